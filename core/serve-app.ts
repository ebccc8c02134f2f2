import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, RequestError } from "@hono/node-server";
import type { Hono } from "hono";
import {
  DEFAULT_SERVER_LIMITS,
  hardenServer,
  type ServerLimits,
  serverOptions,
} from "./http-server-limits.ts";

export interface ServedApp {
  port: number;
  host: string;
  url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

export interface ServeOptions {
  port: number;
  host: string;
  /** Client timeouts (see http-server-limits.ts); tests pass short ones. */
  limits?: Partial<ServerLimits>;
}

/**
 * Serves a Hono app on Node; a port in use is a clear error, not an unhandled 'error' event.
 * Slow clients are cut off and unparseable requests answered in JSON (http-server-limits.ts).
 */
export function serveApp(app: Hono, options: ServeOptions): Promise<ServedApp> {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  // What @hono/node-server's serve() does, plus an errorHandler: a request it cannot turn into a
  // fetch Request (a backslash in the path, a bad Host) gets a JSON 400 instead of an empty one.
  const listener = getRequestListener(app.fetch, {
    hostname: options.host,
    errorHandler: requestErrorAnswer,
  });
  const server = createServer(serverOptions(limits), listener);
  hardenServer(server, limits);
  return new Promise((resolve, reject) => {
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
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      const info = server.address() as AddressInfo;
      resolve({
        port: info.port,
        host: options.host,
        url: `http://${options.host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function requestErrorAnswer(error: unknown): Response {
  if (error instanceof RequestError)
    return Response.json(
      { error: "bad_request", detail: `the request is not valid: ${error.message}` },
      { status: 400 },
    );
  return Response.json(
    { error: "server_error", detail: "the server failed to handle this request" },
    { status: 500 },
  );
}
