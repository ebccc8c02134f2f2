import type { Server } from "node:http";
import type { Duplex } from "node:stream";

/**
 * How long a client may take, on every Node listener of the product (issue 13 (docs/issues.md), item 7). Node's
 * defaults let a client that trickles its headers hold a socket for 60 s (headersTimeout) and a
 * body for 300 s (requestTimeout), and it only looks every 30 s (connectionsCheckingInterval).
 */
export interface ServerLimits {
  /** All request headers must arrive within this. A real client sends them in one round trip;
   * 10 s leaves room for a slow mobile link and cuts a slowloris off 6x sooner than Node's 60 s. */
  headersTimeoutMs: number;
  /** The whole request, body included. The largest body the router takes (maxBodyBytes, 350 KB)
   * needs ~28 s at 100 kbit/s; 30 s allows that, against Node's 300 s. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this: Node's default, kept explicit. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two timeouts above; at its default (30 s) a slow client could
   * stay up to 30 s past them. */
  checkIntervalMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

/** Options for node:http's createServer (the check interval can only be set there). */
export function serverOptions(limits: ServerLimits): { connectionsCheckingInterval: number } {
  return { connectionsCheckingInterval: limits.checkIntervalMs };
}

/**
 * Applies the limits, and answers what never reaches the app in the product's one error format
 * (JSON {error, detail}): requests Node's parser rejects (bad framing, Content-Length with
 * Transfer-Encoding, oversized headers, an unknown method), header and request timeouts, and
 * CONNECT (which Node hands to a 'connect' listener instead of the app, or drops).
 */
export function hardenServer(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    const [status, code, detail] = describeClientError(error.code);
    socket.end(rawJsonResponse(status, code, detail));
  });
  server.on("connect", (_request, socket: Duplex) => {
    socket.end(rawJsonResponse(405, "method_not_allowed", "the CONNECT method is not served here"));
  });
}

/** Node's own clientError handler writes only when no response has started on the socket (lib/_http_server.js). */
function responseStarted(socket: Duplex): boolean {
  const message = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return message?.headersSent === true;
}

function describeClientError(code: string | undefined): [number, string, string] {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return [431, "headers_too_large", "the request headers are larger than the server accepts"];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "request_timeout", "the request did not arrive in time"];
    case "HPE_INVALID_METHOD":
      return [501, "method_not_implemented", "the request method is not supported"];
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return [400, "bad_framing", "conflicting Content-Length / Transfer-Encoding headers are not accepted"];
    case "HPE_INVALID_TRANSFER_ENCODING":
      return [400, "bad_framing", "the Transfer-Encoding is not valid"];
    default:
      return [400, "bad_request", `the request could not be parsed (${code ?? "unknown error"})`];
  }
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  405: "Method Not Allowed",
  408: "Request Timeout",
  431: "Request Header Fields Too Large",
  501: "Not Implemented",
};

function rawJsonResponse(status: number, error: string, detail: string): string {
  const body = JSON.stringify({ error, detail });
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\n` +
    "content-type: application/json\r\n" +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    "connection: close\r\n\r\n" +
    body
  );
}
