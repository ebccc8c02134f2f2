/** A body held whole, as the simulated wire carries it: text as written, or bytes. */
export type PlainBody = string | Uint8Array<ArrayBuffer> | null | undefined;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The error Fetch gives for a second read of a body. */
export function bodyUsedError(): TypeError {
  return new TypeError("Body is unusable: Body has already been read");
}

export function asBytes(body: string | Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return typeof body === "string" ? (encoder.encode(body) as Uint8Array<ArrayBuffer>) : body;
}

/** `text()` of a body taken for reading (or the error taking it gave). */
export function textOf(taken: PlainBody | TypeError): Promise<string> {
  if (taken instanceof TypeError) return Promise.reject(taken);
  return Promise.resolve(typeof taken === "string" ? taken : taken ? decoder.decode(taken) : "");
}

/** `bytes()` of a body taken for reading: a copy the caller owns. */
export function bytesOf(taken: PlainBody | TypeError): Promise<Uint8Array<ArrayBuffer>> {
  if (taken instanceof TypeError) return Promise.reject(taken);
  if (typeof taken === "string") return Promise.resolve(asBytes(taken));
  return Promise.resolve(taken ? taken.slice() : new Uint8Array(0));
}
