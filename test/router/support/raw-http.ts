import { connect } from "node:net";

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting to the server closing the connection (or the answer ending). */
  elapsedMs: number;
}

/**
 * Writes `payload` to 127.0.0.1:port as raw bytes (no client library to tidy it up), then reads
 * until the server closes the connection or one full answer has arrived: as many bytes as its
 * Content-Length, or its last chunk if it is chunked (RFC 9112 section 7.1; Bun's node:http
 * frames the router's JSON answers that way where Node sends a Content-Length).
 * `trickle` keeps writing one more header byte every trickleMs (a slowloris client).
 */
export function rawExchange(
  port: number,
  payload: string,
  options: { trickleMs?: number; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const startedMs = Date.now();
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let trickle: NodeJS.Timeout | undefined;
    const give = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? 5000} ms; got ${JSON.stringify(received)}`));
    }, options.timeoutMs ?? 5000);
    const finish = () => {
      clearTimeout(give);
      if (trickle) clearInterval(trickle);
      socket.destroy();
      const parsed = parseAnswer(received);
      if (!parsed) reject(new Error(`not an HTTP answer: ${JSON.stringify(received.slice(0, 200))}`));
      else
        resolve({
          status: parsed.status,
          headers: parsed.headers,
          body: parsed.body,
          elapsedMs: Date.now() - startedMs,
        });
    };
    socket.on("connect", () => {
      socket.write(payload);
      if (options.trickleMs)
        trickle = setInterval(() => socket.writable && socket.write("x"), options.trickleMs);
    });
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (parseAnswer(received)?.complete) finish();
    });
    socket.on("error", () => {});
    socket.on("close", finish);
  });
}

function parseAnswer(text: string): (Omit<RawAnswer, "elapsedMs"> & { complete: boolean }) | undefined {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const status = Number(statusLine?.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = text.slice(end + 4);
  if (headers["transfer-encoding"]?.toLowerCase() === "chunked") return { status, headers, ...dechunk(rest) };
  const length = headers["content-length"];
  return {
    status,
    headers,
    body: rest,
    complete: length !== undefined && Number(length) === Buffer.byteLength(rest, "latin1"),
  };
}

/** The body of a chunked answer so far, and whether its last (zero-size) chunk has arrived. */
function dechunk(text: string): { body: string; complete: boolean } {
  let body = "";
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf("\r\n", at);
    if (lineEnd === -1) return { body, complete: false };
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (Number.isNaN(size)) return { body: body + text.slice(at), complete: false };
    if (size === 0) return { body, complete: text.indexOf("\r\n", lineEnd + 2) !== -1 };
    body += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
    if (at > text.length) return { body, complete: false };
  }
}
