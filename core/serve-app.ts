import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface ServedApp {
  port: number;
  host: string;
  url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

/** Serves a Hono app on Node; a port in use is a clear error, not an unhandled 'error' event. */
export function serveApp(app: Hono, options: { port: number; host: string }): Promise<ServedApp> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host },
      (info: AddressInfo) => {
        server.off("error", onError);
        resolve({
          port: info.port,
          host: options.host,
          url: `http://${options.host}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              const closable = server as typeof server & { closeAllConnections?: () => void };
              server.close(() => done());
              closable.closeAllConnections?.();
            }),
        });
      },
    );
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(
          new PortInUseError(
            `port ${options.port} on ${options.host} is already in use; choose another with --port`,
          ),
        );
      } else reject(error);
    };
    server.once("error", onError);
  });
}
