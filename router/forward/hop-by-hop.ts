/**
 * Header fields that describe one connection, not the message, and so must not be forwarded
 * by a proxy: RFC 9110 §7.6.1 (Connection and every field it names, Proxy-Connection,
 * Keep-Alive, TE, Transfer-Encoding, Upgrade), Trailer (RFC 9110 §6.6.2, tied to the
 * transfer coding), and the proxy's own credentials (RFC 9110 §11.7.1-11.7.2).
 */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "transfer-encoding",
  "upgrade",
  "trailer",
  "proxy-authorization",
  "proxy-authenticate",
]);

export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name);
}

/** The field names a Connection header lists (lower-cased); they are hop-by-hop for this message. */
export function connectionListed(connection: string | null): ReadonlySet<string> | undefined {
  if (!connection) return undefined;
  // The usual values name no other field; skip building a set for them on every request.
  const plain = connection.toLowerCase();
  if (plain === "keep-alive" || plain === "close") return undefined;
  const names = new Set<string>();
  for (const part of connection.split(",")) {
    const name = part.trim().toLowerCase();
    if (name) names.add(name);
  }
  return names;
}
