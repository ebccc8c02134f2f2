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
 * Crockford base32, 26 characters, first character 0-7 (the 48-bit time must not overflow).
 * Stricter than ulid's isValid (which also takes lower case and any first character), so it is
 * the whole check: one regex test per request, not a split into 26 strings.
 */
const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

export function isUlid(value: string): boolean {
  return ULID_PATTERN.test(value);
}
