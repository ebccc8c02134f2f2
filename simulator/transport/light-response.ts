import { headerRecord, LightHeaders } from "./light-headers.ts";
import { bodyUsedError, bytesOf, textOf } from "./plain-body.ts";

/**
 * The platform's own Response class. If @hono/node-server has already put its lightweight one
 * on globalThis (it does when a live server starts in this process), walk back to the native
 * class it extends.
 */
function nativeResponseClass(): typeof Response {
  let ctor = globalThis.Response;
  while (Object.getPrototypeOf(ctor.prototype) !== Object.prototype) ctor = Object.getPrototypeOf(ctor);
  return ctor;
}

const NativeResponse = nativeResponseClass();
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** The Content-Type a string body gets when none is given (Fetch standard, "extract a body"). */
const TEXT_CONTENT_TYPE = "text/plain;charset=UTF-8";

type LightBody = string | Uint8Array<ArrayBuffer> | null;

export interface ResponseParts {
  status: number;
  /** Lower-case names; Set-Cookie as a list. The record may be the response's own: read only. */
  headers: Record<string, string | string[]>;
  /** null for none: a 204 or 304 must arrive with no body, as core/transport.ts's RawResponse says. */
  body: LightBody;
}

/**
 * A Response for the simulator's in-process apps, the way @hono/node-server serves the live
 * router: the live server replaces the global Response with a lightweight one that keeps the
 * body and init as given and builds the platform's Response only when something needs a stream.
 * An undici Response costs ~9 us to build on Node 20 (measured: Hono answering a route took
 * 10.2 us with it, 1.0 us without), and a simulated request makes three or four of them.
 *
 * String and byte bodies (all the product's apps send) stay plain; the simulated network
 * reads them with `responseParts` without a copy. Anything else (a stream body, `.body`,
 * `blob()`, `formData()`) is delegated to a native Response built on first use.
 */
export class LightResponse {
  #body: LightBody = null;
  #status = 200;
  #statusText = "";
  #headersInit: HeadersInit | LightHeaders | undefined;
  #headers: LightHeaders | undefined;
  #used = false;
  #native: Response | undefined;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    const status = init?.status ?? 200;
    const plainBody = body == null || typeof body === "string" || body instanceof Uint8Array;
    const plainStatus = Number.isInteger(status) && status >= 200 && status <= 599;
    if (
      !plainBody ||
      !plainStatus ||
      init instanceof NativeResponse ||
      (body != null && NULL_BODY_STATUSES.has(status))
    ) {
      // Everything unusual (and every error the native class raises) is the native class's.
      this.#native = new NativeResponse(body, init);
      return;
    }
    this.#body = (body ?? null) as LightBody;
    this.#status = status;
    this.#statusText = init?.statusText ?? "";
    this.#headersInit = init?.headers as HeadersInit | LightHeaders | undefined;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof NativeResponse;
  }

  get status(): number {
    return this.#native ? this.#native.status : this.#status;
  }

  get statusText(): string {
    return this.#native ? this.#native.statusText : this.#statusText;
  }

  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status < 300;
  }

  get headers(): Headers {
    if (this.#native) return this.#native.headers;
    if (!this.#headers) {
      // A record built from the init is this response's own; one shared with a LightHeaders init is copied on write.
      this.#headers = new LightHeaders(this.#record(), !(this.#headersInit instanceof LightHeaders));
    }
    return this.#headers as unknown as Headers;
  }

  get bodyUsed(): boolean {
    return this.#native ? this.#native.bodyUsed : this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#toNative().body;
  }

  get redirected(): boolean {
    return false;
  }

  get type(): ResponseType {
    return this.#native ? this.#native.type : "default";
  }

  get url(): string {
    return this.#native ? this.#native.url : "";
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
    return this.#toNative().blob();
  }

  formData(): Promise<FormData> {
    return this.#toNative().formData() as Promise<FormData>;
  }

  clone(): Response {
    if (this.#native) return this.#native.clone();
    if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    const copy = new LightResponse(this.#body, {
      status: this.#status,
      statusText: this.#statusText,
      headers: { ...(this.#record() as Record<string, string>) },
    });
    return copy as unknown as Response;
  }

  /** The parts as the simulated wire carries them, without building anything; undefined once a stream is involved. */
  parts(): ResponseParts | undefined {
    if (this.#native || this.#used) return undefined;
    return { status: this.#status, headers: this.#record(), body: this.#body };
  }

  #record(): Record<string, string | string[]> {
    if (this.#headers) return this.#headers.toRecord();
    const record = headerRecord(this.#headersInit as Record<string, string> | Headers | undefined);
    if (typeof this.#body === "string" && record["content-type"] === undefined) {
      return { ...record, "content-type": TEXT_CONTENT_TYPE };
    }
    return record;
  }

  #take(): LightBody | TypeError {
    if (this.#body === null) return null; // nothing to consume: a null body is never "used"
    if (this.#used) return bodyUsedError();
    this.#used = true;
    return this.#body;
  }

  #toNative(): Response {
    if (!this.#native) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.#record())) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else headers.set(name, value);
      }
      const body = this.#used ? null : this.#body;
      this.#native = new NativeResponse(body, {
        status: this.#status,
        statusText: this.#statusText,
        headers,
      });
      if (this.#used) void this.#native.text().catch(() => {}); // keep bodyUsed true
    }
    return this.#native;
  }
}
Object.setPrototypeOf(LightResponse, NativeResponse);
Object.setPrototypeOf(LightResponse.prototype, NativeResponse.prototype);

/** The parts of a response the simulator can carry as they are; undefined for a native (stream) one. */
export function responseParts(response: Response): ResponseParts | undefined {
  return response instanceof LightResponseBrand ? (response as unknown as LightResponse).parts() : undefined;
}

/** `instanceof` on the class itself answers for every Response; this checks for a light one. */
const LightResponseBrand = {
  [Symbol.hasInstance]: (value: unknown) => Object.getPrototypeOf(value) === LightResponse.prototype,
};
