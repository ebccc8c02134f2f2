export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Reads a request body into memory, refusing more than `maxBytes`. The router buffers request
 * bodies (bounded by the environment's maxBodyBytes, which the regions enforce anyway) so that a
 * request that never reached a region, or was reset, can be sent again after a failover.
 * A declared Content-Length over the limit is refused before reading anything.
 */
export async function readBody(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    const length = Number(declared);
    if (Number.isFinite(length) && length > maxBytes) throw new BodyTooLargeError(maxBytes);
    if (length === 0) return undefined;
    const bytes = new Uint8Array(await request.arrayBuffer());
    return bytes.byteLength === 0 ? undefined : bytes;
  }
  if (!request.body) return undefined;
  return readLimited(request.body, maxBytes);
}

async function readLimited(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  if (total === 0) return undefined;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
