import { z } from "zod";

/**
 * What kinds of DNS clients a client group is made of (docs/dns-client-sources.md):
 * - `ttl`: a resolver cache that keeps an answer exactly for the record's TTL (the ideal).
 * - `long-cache`: ignores the TTL and keeps an answer for cacheS, like a JVM's InetAddress cache
 *   (networkaddress.cache.ttl: forever when a security manager is installed, 30 s by default in
 *   OpenJDK otherwise; services often set minutes).
 * - `serve-stale`: honours the TTL, but when it has expired answers the stale record at once and
 *   refreshes in the background (RFC 8767 serve-stale, unbound's serve-expired): the request that
 *   finds it expired still goes to the old address.
 * - `keep-alive`: resolves like `ttl`, then keeps its connection to that address for every request
 *   until one fails without an answer (refused, reset, timed out); only then resolves again
 *   (HTTP keep-alive, connection pools).
 */
export const dnsClientKindSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ttl"), share: z.number().gt(0).max(1) }).strict(),
  z
    .object({
      kind: z.literal("long-cache"),
      share: z.number().gt(0).max(1),
      cacheS: z
        .number()
        .min(0)
        .max(86_400 * 365)
        .default(600),
    })
    .strict(),
  z.object({ kind: z.literal("serve-stale"), share: z.number().gt(0).max(1) }).strict(),
  z.object({ kind: z.literal("keep-alive"), share: z.number().gt(0).max(1) }).strict(),
]);

export type DnsClientKind = z.infer<typeof dnsClientKindSchema>;

/** The default mix: every client honours the TTL (the simulator's behaviour before issue 15). */
export const IDEAL_CLIENT_MIX: DnsClientKind[] = [{ kind: "ttl", share: 1 }];

/**
 * Which kind each of `instances` resolver caches is: instance i takes the kind whose cumulative
 * share first exceeds (i + 0.5) / instances, so the counts follow the shares and the assignment
 * needs no random draw.
 */
export function kindsOfInstances(mix: readonly DnsClientKind[], instances: number): DnsClientKind[] {
  const total = mix.reduce((sum, k) => sum + k.share, 0);
  const out: DnsClientKind[] = [];
  for (let i = 0; i < instances; i++) {
    const at = ((i + 0.5) / instances) * total;
    let cumulative = 0;
    let chosen = mix[mix.length - 1]!;
    for (const k of mix) {
      cumulative += k.share;
      if (at < cumulative) {
        chosen = k;
        break;
      }
    }
    out.push(chosen);
  }
  return out;
}
