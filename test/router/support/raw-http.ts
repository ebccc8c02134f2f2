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
 * until the server closes the connection or one full answer with a Content-Length has arrived.
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
      else resolve({ ...parsed, elapsedMs: Date.now() - startedMs });
    };
    socket.on("connect", () => {
      socket.write(payload);
      if (options.trickleMs)
        trickle = setInterval(() => socket.writable && socket.write("x"), options.trickleMs);
    });
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      const parsed = parseAnswer(received);
      if (parsed && Number(parsed.headers["content-length"]) === Buffer.byteLength(parsed.body, "latin1"))
        finish();
    });
    socket.on("error", () => {});
    socket.on("close", finish);
  });
}

function parseAnswer(text: string): Omit<RawAnswer, "elapsedMs"> | undefined {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const status = Number(statusLine?.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: text.slice(end + 4) };
}
