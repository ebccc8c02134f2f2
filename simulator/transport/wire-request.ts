import { LazyBodyStream } from "./lazy-body-stream.ts";
import { LightHeaders } from "./light-headers.ts";
import { asBytes, bodyUsedError, bytesOf, textOf } from "./plain-body.ts";

/**
 * A request as a server receives it off the simulated wire: method, URL, header fields and the
 * body bytes, the way @hono/node-server hands the live router a request built lazily from the
 * socket. A Request by prototype, so Hono and the router read it unchanged; an undici Request
 * does URL parsing, header validation and an AbortSignal on every build, and a simulated request
 * crosses two or three servers.
 *
 * A body gets Content-Length, as an HTTP client sends for a body of known length. Anything
 * beyond the parts (a body stream, the signal, cache modes) is a native Request built on first use.
 */
export class WireRequest {
  readonly url: string;
  readonly method: string;
  readonly #headers: LightHeaders;
  readonly #body: string | Uint8Array<ArrayBuffer> | undefined;
  #used = false;
  #stream: LazyBodyStream | undefined;
  #native: Request | undefined;

  /** `headers`: lower-case names. The record is not changed (the first write copies it). */
  constructor(
    url: string,
    method: string,
    headers: Record<string, string>,
    body?: string | Uint8Array<ArrayBuffer>,
  ) {
    this.url = url;
    this.method = method;
    this.#body = body;
    if (body !== undefined) {
      const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
      this.#headers = new LightHeaders({ ...headers, "content-length": String(length) }, true);
    } else this.#headers = new LightHeaders(headers);
  }

  get headers(): Headers {
    return this.#headers as unknown as Headers;
  }

  /**
   * The body as a stream (built only if someone reads it: Hono's bodyLimit just checks there is
   * one, then reads Content-Length). Reading the request with text()/json() afterwards works as
   * on a native Request whose stream was never read: it consumes the body, and the stream is
   * cancelled so nothing reads it twice.
   */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#native) return this.#native.body;
    if (this.#body === undefined) return null;
    if (!this.#stream) {
      this.#stream = new LazyBodyStream(asBytes(this.#body));
    }
    return this.#stream as unknown as ReadableStream<Uint8Array>;
  }

  get bodyUsed(): boolean {
    return this.#native ? this.#native.bodyUsed : this.#used;
  }

  get signal(): AbortSignal {
    return this.materialize().signal;
  }

  text(): Promise<string> {
    return this.#native ? this.#native.text() : textOf(this.#take());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes().then((bytes) => bytes.buffer);
  }

  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#native) return this.#native.arrayBuffer().then((b) => new Uint8Array(b));
    return bytesOf(this.#take());
  }

  blob(): Promise<Blob> {
    return this.materialize().blob();
  }

  formData(): Promise<FormData> {
    return this.materialize().formData() as Promise<FormData>;
  }

  clone(): Request {
    if (this.#native) return this.#native.clone();
    if (this.#used) throw new TypeError("Request.clone: Body has already been consumed.");
    const record = Object.fromEntries(this.#headers.entries());
    return new WireRequest(this.url, this.method, record, this.#body) as unknown as Request;
  }

  #take(): string | Uint8Array<ArrayBuffer> | undefined | TypeError {
    if (this.#body === undefined) return undefined; // nothing to consume: no body is never "used"
    if (this.#used || this.#stream?.started) return bodyUsedError();
    this.#used = true;
    return this.#body;
  }

  /** The native Request with the same parts (built once, on first need). */
  materialize(): Request {
    if (!this.#native) {
      const init: RequestInit = { method: this.method, headers: Object.fromEntries(this.#headers.entries()) };
      if (this.#body !== undefined && !this.#used) init.body = this.#body;
      this.#native = new Request(this.url, init);
    }
    return this.#native;
  }
}
Object.setPrototypeOf(WireRequest.prototype, Request.prototype);

// The rest of Request's read-only fields, from the native request when someone asks.
for (const name of [
  "cache",
  "credentials",
  "destination",
  "integrity",
  "keepalive",
  "mode",
  "redirect",
  "referrer",
  "referrerPolicy",
  "duplex",
] as const) {
  Object.defineProperty(WireRequest.prototype, name, {
    get(this: WireRequest) {
      return this.materialize()[name as keyof Request];
    },
  });
}
