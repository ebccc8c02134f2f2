import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../core/random.ts";
import { requestIdFor, requestUlid } from "../../router/forward/request-id.ts";

describe("request ids", () => {
  it("are the ULIDs the ulid package makes from the same clock and draws, in the same order", () => {
    // Simulations replay by seed: the fast encoder must draw and encode exactly as the package did.
    for (let seed = 0; seed < 20; seed++) {
      const ours = seededRandom(seed);
      const theirs = seededRandom(seed);
      for (let n = 0; n < 50; n++) {
        const nowMs = Date.UTC(2026, 0, 1) + seed * 7919 + Math.floor(n / 3);
        expect(requestUlid(nowMs, ours)).toBe(ulid(nowMs, () => theirs.next()));
      }
      expect(ours.next()).toBe(theirs.next());
    }
  });

  it("keep an acceptable caller id and replace anything else", () => {
    const clock = { nowMs: () => Date.UTC(2026, 0, 1), setTimer: () => ({ cancel: () => {} }) };
    const random = seededRandom(1);
    expect(requestIdFor("abc-123", clock, random)).toBe("abc-123");
    const made = requestIdFor("bad id!", clock, random);
    expect(made).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(made.slice(0, 10)).toBe(ulid(clock.nowMs(), () => 0).slice(0, 10));
  });

  it("refuse a time no ULID can hold", () => {
    expect(() => requestUlid(2 ** 48, seededRandom(1))).toThrow(RangeError);
  });
});
