import { type ServedApp, type ServeOptions, serveApp } from "../core/serve-app.ts";
import type { Router } from "./create-router.ts";

/**
 * Serves a router on Node (@hono/node-server). A port in use rejects with a clear
 * PortInUseError. The caller starts the router (health checks) and stops it.
 */
export function serveRouter(router: Router, options: ServeOptions): Promise<ServedApp> {
  return serveApp(router.app, options);
}
