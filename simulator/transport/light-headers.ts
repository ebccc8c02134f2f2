/**
 * Headers over a plain record of lower-case names, for requests and responses that never leave
 * the simulator. An undici Headers object validates every name and value on the way in; a simulated request is built and read a few times per hop, a
 * million times a run. A Headers by prototype (`instanceof Headers` holds), so code written for
 * the real thing (Hono's `c.req.header()`, the router's forwardHeaders) reads it unchanged.
 *
 * The record may be shared with whoever built it (the router's forwarded headers are reused on
 * a retry), so the first write copies it. Values are joined as HTTP joins repeated fields
 * (RFC 9110 §5.3); Set-Cookie, the one field that cannot be joined, is kept as a list.
 */
export class LightHeaders {
  #record: Record<string, string>;
  #owned: boolean;
  #setCookie: string[] | undefined;

  constructor(record: Record<string, string | string[]> = {}, owned = false) {
    const cookies = record["set-cookie"];
    if (cookies !== undefined) {
      const { "set-cookie": _, ...rest } = record;
      this.#record = rest as Record<string, string>;
      this.#owned = true;
      this.#setCookie = Array.isArray(cookies) ? [...cookies] : [cookies];
      return;
    }
    this.#record = record as Record<string, string>;
    this.#owned = owned;
  }

  get(name: string): string | null {
    const lower = name.toLowerCase();
    if (lower === "set-cookie" && this.#setCookie) return this.#setCookie.join(", ");
    return Object.hasOwn(this.#record, lower) ? this.#record[lower]! : null;
  }

  has(name: string): boolean {
    const lower = name.toLowerCase();
    return Object.hasOwn(this.#record, lower) || (lower === "set-cookie" && this.#setCookie !== undefined);
  }

  set(name: string, value: string): void {
    const lower = name.toLowerCase();
    if (lower === "set-cookie") this.#setCookie = [String(value)];
    else this.#writable()[lower] = String(value);
  }

  append(name: string, value: string): void {
    const lower = name.toLowerCase();
    if (lower === "set-cookie") {
      this.#setCookie = [...(this.#setCookie ?? []), String(value)];
      return;
    }
    const record = this.#writable();
    const existing = record[lower];
    record[lower] = existing === undefined ? String(value) : `${existing}, ${value}`;
  }

  delete(name: string): void {
    const lower = name.toLowerCase();
    if (lower === "set-cookie") this.#setCookie = undefined;
    else if (Object.hasOwn(this.#record, lower)) delete this.#writable()[lower];
  }

  getSetCookie(): string[] {
    return this.#setCookie ? [...this.#setCookie] : [];
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    // The order entries() gives, without a generator and a pair per field (the router copies
    // every request's headers with forEach).
    const self = this as unknown as Headers;
    const names = Object.keys(this.#record);
    if (this.#setCookie) names.push("set-cookie");
    if (names.length > 1) names.sort();
    for (const name of names) {
      if (name !== "set-cookie") callback.call(thisArg, this.#record[name]!, name, self);
      else for (const cookie of this.#setCookie ?? []) callback.call(thisArg, cookie, name, self);
    }
  }

  *entries(): IterableIterator<[string, string]> {
    // Headers iterate in sorted name order, each Set-Cookie on its own (Fetch standard, "sort and combine").
    const names = Object.keys(this.#record);
    if (this.#setCookie) names.push("set-cookie");
    for (const name of names.sort()) {
      if (name !== "set-cookie") yield [name, this.#record[name]!];
      else for (const cookie of this.#setCookie ?? []) yield ["set-cookie", cookie];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /**
   * The fields as a record (lower-case names; Set-Cookie as a list when present), for the
   * simulated wire. The record is the live one: callers must not change it.
   */
  toRecord(): Record<string, string | string[]> {
    if (!this.#setCookie) return this.#record;
    return { ...this.#record, "set-cookie": [...this.#setCookie] };
  }

  #writable(): Record<string, string> {
    if (!this.#owned) {
      this.#record = { ...this.#record };
      this.#owned = true;
    }
    return this.#record;
  }
}
Object.setPrototypeOf(LightHeaders.prototype, Headers.prototype);

/** Any Headers (light or real) or header init as a record of lower-case names, for the wire. */
export function headerRecord(
  headers: Headers | LightHeaders | Record<string, string> | [string, string][] | undefined,
): Record<string, string | string[]> {
  if (headers === undefined) return {};
  if (headers instanceof LightHeaders) return headers.toRecord();
  if (headers instanceof Headers) {
    const out: Record<string, string | string[]> = {};
    headers.forEach((value, name) => {
      if (name !== "set-cookie") out[name] = value;
    });
    const cookies = headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    return out;
  }
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (const [name, value] of headers) addField(out, name, value);
    return out;
  }
  // A for-in over the record, not Object.entries: no [name, value] pair per field, and this
  // runs for every response an in-process app builds (the profile's top entry before).
  for (const name in headers) addField(out, name, headers[name]!);
  return out;
}

function addField(out: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  const existing = out[lower];
  out[lower] = existing === undefined ? value : `${existing}, ${value}`;
}
