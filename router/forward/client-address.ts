/**
 * The client's address as the platform reports it: the socket's peer on Node
 * (@hono/node-server puts `incoming` in the env), the source IP in a Lambda event, or
 * `clientAddress` from an embedding without sockets (the simulator's network). Never a
 * header: X-Forwarded-For from the client is appended to, not trusted.
 */
export function clientAddress(env: unknown): string | undefined {
  const e = env as {
    clientAddress?: string;
    incoming?: { socket?: { remoteAddress?: string } };
    event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
  };
  return (
    e?.incoming?.socket?.remoteAddress ??
    e?.event?.requestContext?.http?.sourceIp ??
    e?.event?.requestContext?.identity?.sourceIp ??
    e?.clientAddress
  );
}

/** A node for the Forwarded header (RFC 7239 §6): IPv6 bracketed and quoted, unknown when absent. */
export function forwardedNode(address: string | undefined): string {
  if (!address) return "unknown";
  const plain = address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
  return plain.includes(":") ? `"[${plain}]"` : plain;
}

/** The address as it goes into X-Forwarded-For (v4-mapped IPv6 shown as IPv4). */
export function xffAddress(address: string | undefined): string {
  if (!address) return "unknown";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** The raw header list of a Node request (@hono/node-server's env), if that is where we run. */
export function nodeRawHeaders(env: unknown): readonly string[] | undefined {
  return (env as { incoming?: { rawHeaders?: string[] } } | undefined)?.incoming?.rawHeaders;
}
