import type { Dispatcher } from "undici";
import type { CancelSlot, RawResponse } from "../../core/transport.ts";

export interface ExchangeOptions {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  signal: AbortSignal | undefined;
  /** Bodies declared at most this long are collected whole; others stream. */
  smallBodyBytes: number;
  /** The raw path's cancel slot, if any: pointed at this exchange when it starts. */
  cancel: CancelSlot | undefined;
}

/** Statuses whose responses have no body (RFC 9110 §6.4.1, §15.3.5, §15.4.5). */
const NULL_BODY = new Set([204, 205, 304]);

/**
 * One request over an undici dispatcher with a lean handler, instead of `pool.request`: that
 * API wraps every response body in a Node Readable, which costs more per request than the rest
 * of the exchange on a small body. The answer is a RawResponse (core/transport.ts): small bodies
 * collected into one buffer, larger or unsized ones a ReadableStream with backpressure
 * (pause/resume). An aborted signal, or the cancel slot, aborts the request on its socket.
 */
export function exchange(dispatcher: Dispatcher, options: ExchangeOptions): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) =>
    new Exchange(options, resolve, reject).start(dispatcher),
  );
}

/** The handler for one exchange: one object per request rather than a closure per callback. */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private cancelled: Error | undefined;
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private collected: Buffer[] | undefined;
  private collectedBytes = 0;
  private stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    private readonly options: ExchangeOptions,
    private readonly resolve: (response: RawResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    const { signal } = options;
    if (signal) this.onAbort = () => this.cancel(signal.reason);
  }

  start(dispatcher: Dispatcher): void {
    const { options } = this;
    if (options.signal?.aborted) {
      this.reject(options.signal.reason);
      return;
    }
    if (this.onAbort) options.signal?.addEventListener("abort", this.onAbort, { once: true });
    if (options.cancel) options.cancel.cancel = (reason) => this.cancel(reason);
    const request: Dispatcher.DispatchOptions = {
      path: options.path,
      method: options.method as Dispatcher.HttpMethod,
      headers: options.headers,
      body: options.body,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    };
    dispatcher.dispatch(request, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Cancelled while connecting: abort as soon as the request has a socket.
    if (this.cancelled) controller.abort(this.cancelled);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: object): void {
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = headers as Record<string, string | string[]>;
    if (this.options.method === "HEAD" || NULL_BODY.has(statusCode)) {
      this.answer({ status: statusCode, headers: this.headers, body: null });
      return;
    }
    if (Number(this.headers["content-length"]) <= this.options.smallBodyBytes) {
      this.collected = [];
      return;
    }
    const body = new ReadableStream<Uint8Array>({
      start: (stream) => {
        this.stream = stream;
      },
      pull: () => controller.resume(),
      cancel: (reason) => controller.abort(reason instanceof Error ? reason : new Error("body cancelled")),
    });
    this.answer({ status: statusCode, headers: this.headers, body });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.collected) {
      this.collected.push(chunk);
      this.collectedBytes += chunk.length;
    } else if (this.stream && chunk.length > 0) {
      // A resumed parser can report an empty body span; queueing it would only pause again at
      // once, for ever (found by the 200 kB streaming test).
      this.stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      if ((this.stream.desiredSize ?? 1) <= 0) controller.pause();
    }
  }

  onResponseEnd(): void {
    if (this.collected) {
      const joined =
        this.collected.length === 1 ? this.collected[0]! : Buffer.concat(this.collected, this.collectedBytes);
      const body = new Uint8Array(joined.buffer, joined.byteOffset, joined.length) as Uint8Array<ArrayBuffer>;
      this.answer({ status: this.status, headers: this.headers, body });
    } else if (this.stream) {
      this.stream.close();
      this.stream = undefined;
    } else if (!this.settled) {
      this.answer({ status: this.status, headers: this.headers, body: null });
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private cancel(reason: Error): void {
    this.cancelled = reason;
    this.controller?.abort(reason);
    this.fail(reason);
  }

  private answer(response: RawResponse): void {
    this.unlisten();
    this.settled = true;
    this.resolve(response);
  }

  private fail(error: unknown): void {
    this.unlisten();
    if (!this.settled) {
      this.settled = true;
      this.reject(error);
    } else if (this.stream) {
      this.stream.error(error);
      this.stream = undefined;
    }
  }

  private unlisten(): void {
    if (this.onAbort) this.options.signal?.removeEventListener("abort", this.onAbort);
  }
}
