import type { Hono } from "hono";
import { PortInUseError, type ServedApp, serveApp } from "../core/serve-app.ts";

/**
 * Serves one of the stack's apps; a port in use names the flag that picks that port
 * (--port, --control-port, --region-ports), since the stack listens on four.
 */
export async function serveOnPort(app: Hono, port: number, host: string, flag: string): Promise<ServedApp> {
  try {
    return await serveApp(app, { port, host });
  } catch (error) {
    if (error instanceof PortInUseError) {
      throw new PortInUseError(`port ${port} on ${host} is already in use; choose another with ${flag}`);
    }
    throw error;
  }
}
