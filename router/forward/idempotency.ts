/**
 * Methods whose repeat has the same effect as one request (RFC 9110 §9.2.2), plus POST with an
 * `Idempotency-Key` (the region stores the key with the item and replays the first result).
 */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

export function isIdempotent(method: string, headers: Record<string, string>): boolean {
  if (IDEMPOTENT_METHODS.has(method)) return true;
  return method === "POST" && headers["idempotency-key"] !== undefined;
}

/** Methods that only read (RFC 9110 §9.2.1): the ones a standby may answer when standbyReads is on. */
export function isRead(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}
