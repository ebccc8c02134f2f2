import { monotonicFactory } from "ulid";
import type { Clock } from "../../core/clock.ts";
import type { Random } from "../../core/random.ts";

/**
 * Item ids are ULIDs from a monotonic factory: 48 bits of time then 80 random bits, so ids sort
 * by creation time, two regions never need to coordinate (a collision needs two identical 80-bit
 * draws in the same millisecond), and within one region every id is greater than the one before,
 * even within a millisecond. Never auto-increment: two databases would both hand out id 42 (docs/seeds.md).
 */
export type IdFactory = () => string;

export function createIdFactory(clock: Clock, random: Random): IdFactory {
  const next = monotonicFactory(() => random.next());
  return () => next(clock.nowMs());
}

/**
 * Crockford base32, 26 characters, first character 0-7 (the 48-bit time must not overflow):
 * `/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/`. Stricter than ulid's isValid (which also takes lower case
 * and any first character), so it is the whole check. A loop over character codes, not that
 * regular expression, which cost ~1% of a request on the real-code floor (issue 18);
 * test/regions/ids.test.ts holds the two to each other.
 */
export function isUlid(value: string): boolean {
  if (value.length !== 26) return false;
  const first = value.charCodeAt(0);
  if (first < 0x30 || first > 0x37) return false;
  for (let i = 1; i < 26; i++) if (!CROCKFORD_CODES[value.charCodeAt(i)]) return false;
  return true;
}

/** Character codes of Crockford base32's upper-case alphabet (no I, L, O, U). */
const CROCKFORD_CODES: readonly boolean[] = Array.from({ length: 128 }, (_, code) =>
  "0123456789ABCDEFGHJKMNPQRSTVWXYZ".includes(String.fromCharCode(code)),
);
