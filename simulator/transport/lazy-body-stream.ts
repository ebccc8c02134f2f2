/**
 * A request body stream that is built only when someone reads it. Node makes every
 * ReadableStream transferable at construction (a tenth of a simulated write when measured with
 * --cpu-prof), and Hono's bodyLimit asks a request for its stream only to see that there
 * is one, then reads Content-Length. A ReadableStream by prototype; every method builds the
 * real stream (once) and delegates to it.
 */
export class LazyBodyStream {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  #stream: ReadableStream<Uint8Array> | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer>) {
    this.#bytes = bytes;
  }

  /** True once the real stream exists (something asked to read it). */
  get started(): boolean {
    return this.#stream !== undefined;
  }

  get locked(): boolean {
    return this.#stream?.locked ?? false;
  }

  getReader(options?: ReadableStreamGetReaderOptions): ReadableStreamReader<Uint8Array> {
    return this.#real().getReader(options as { mode: "byob" });
  }

  cancel(reason?: unknown): Promise<void> {
    return this.#stream ? this.#stream.cancel(reason) : Promise.resolve();
  }

  pipeTo(destination: WritableStream<Uint8Array>, options?: StreamPipeOptions): Promise<void> {
    return this.#real().pipeTo(destination, options);
  }

  pipeThrough<T>(
    transform: ReadableWritablePair<T, Uint8Array>,
    options?: StreamPipeOptions,
  ): ReadableStream<T> {
    return this.#real().pipeThrough(transform, options);
  }

  tee(): [ReadableStream<Uint8Array>, ReadableStream<Uint8Array>] {
    return this.#real().tee();
  }

  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array> {
    return (this.#real() as unknown as { values(o?: unknown): AsyncIterableIterator<Uint8Array> }).values(
      options,
    );
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.values();
  }

  #real(): ReadableStream<Uint8Array> {
    if (!this.#stream) {
      const bytes = this.#bytes;
      this.#stream = new ReadableStream<Uint8Array>({
        start(controller) {
          if (bytes.byteLength > 0) controller.enqueue(bytes);
          controller.close();
        },
      });
    }
    return this.#stream;
  }
}
Object.setPrototypeOf(LazyBodyStream.prototype, ReadableStream.prototype);
