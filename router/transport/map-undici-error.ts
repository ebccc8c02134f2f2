import { TransportError, type TransportErrorKind } from "../../core/transport.ts";

/**
 * undici's and Node's error codes, by what they mean for the router: whether the request can
 * have reached the region. ECONNREFUSED and a connect timeout mean it cannot; a reset socket
 * means it may have; a headers or body timeout means the region took too long.
 */
const KIND_BY_CODE: Record<string, TransportErrorKind> = {
  ECONNREFUSED: "refused",
  UND_ERR_CONNECT_TIMEOUT: "connect_timeout",
  ECONNRESET: "reset",
  EPIPE: "reset",
  UND_ERR_SOCKET: "reset",
  UND_ERR_CLOSED: "reset",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  UND_ERR_ABORTED: "aborted",
  ABORT_ERR: "aborted",
};

export function toTransportError(error: unknown, region: string): TransportError {
  if (error instanceof TransportError) return error;
  const code = errorCode(error);
  const kind = (code && KIND_BY_CODE[code]) || (isAbort(error) ? "aborted" : "unknown");
  const message = error instanceof Error ? error.message || error.name : String(error);
  return new TransportError(kind, region, code && !message.includes(code) ? `${message} (${code})` : message);
}

/** The first error code found on the error, its cause, or (happy-eyeballs connects) its inner errors. */
function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  if (!e || typeof e !== "object") return undefined;
  if (typeof e.code === "string" && e.code in KIND_BY_CODE) return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner);
      if (code) return code;
    }
  }
  if (e.cause) return errorCode(e.cause);
  return typeof e.code === "string" ? e.code : undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
