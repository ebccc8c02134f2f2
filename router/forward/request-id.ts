import type { Clock } from "../../core/clock.ts";
import type { Random } from "../../core/random.ts";

/** A caller's id is kept if it is short and plain (it ends up in logs and headers). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Crockford base32, as the ULID spec (github.com/ulid/spec) and the `ulid` package encode. */
const ENCODING = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The request id forwarded upstream as `x-request-id` and echoed to the client: the caller's if
 * acceptable, else a ULID from the injected clock and random source (reproducible in simulation).
 */
export function requestIdFor(incoming: string | null, clock: Clock, random: Random): string {
  if (incoming !== null && ACCEPTABLE_ID.test(incoming)) return incoming;
  return requestUlid(clock.nowMs(), random);
}

let cachedMs = -1;
let cachedTime = "";

/**
 * The same string `ulid(nowMs, () => random.next())` from the `ulid` package returns, drawing
 * the same 16 numbers in the same order (so a simulation's later draws do not move), without
 * its per-call validation and PRNG detection: the router makes one per request. The time part
 * is kept while the millisecond lasts. test/router/request-id.test.ts holds it to the package.
 */
export function requestUlid(nowMs: number, random: Random): string {
  if (nowMs !== cachedMs) {
    cachedTime = encodeTime(nowMs);
    cachedMs = nowMs;
  }
  // The package prepends each random character, so the first draw is the last character. The
  // characters go into a reused array and become one string at once, not sixteen (issue 18).
  const codes = tailCodes;
  for (let i = 15; i >= 0; i--) codes[i] = ENCODING_CODES[Math.floor(random.next() * 32) % 32]!;
  return (
    cachedTime +
    String.fromCharCode(
      codes[0]!,
      codes[1]!,
      codes[2]!,
      codes[3]!,
      codes[4]!,
      codes[5]!,
      codes[6]!,
      codes[7]!,
      codes[8]!,
      codes[9]!,
      codes[10]!,
      codes[11]!,
      codes[12]!,
      codes[13]!,
      codes[14]!,
      codes[15]!,
    )
  );
}

const ENCODING_CODES: readonly number[] = Array.from(ENCODING, (ch) => ch.charCodeAt(0));
const tailCodes: number[] = new Array(16).fill(0);

function encodeTime(nowMs: number): string {
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > 2 ** 48 - 1)
    throw new RangeError(`a ULID's time must be an integer in [0, 2^48): ${nowMs}`);
  let rest = nowMs;
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ENCODING[rest % 32]! + out;
    rest = (rest - (rest % 32)) / 32;
  }
  return out;
}
