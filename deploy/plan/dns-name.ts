/**
 * Route 53 returns names lower-case-insensitively stored, fully qualified with a trailing dot;
 * config may spell them either way. Compare and send them in this one form.
 */
export function fqdn(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith(".") ? lower : `${lower}.`;
}

/** The same name without the trailing dot, for display and for CNAME targets in tags. */
export function bareName(name: string): string {
  return fqdn(name).slice(0, -1);
}

/** True when `name` is `zone` itself or a name inside it. */
export function isWithinZone(name: string, zone: string): boolean {
  const n = fqdn(name);
  const z = fqdn(zone);
  return n === z || n.endsWith(`.${z}`);
}
