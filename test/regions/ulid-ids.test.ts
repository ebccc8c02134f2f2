import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUlid } from "../../regions/service/ids.ts";

function generateInWorker(count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("../support/ts-worker.mjs", import.meta.url), {
      workerData: { count, module: new URL("./ulid-worker.ts", import.meta.url).href },
    });
    worker.once("message", (ids: string[]) => {
      resolve(ids);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

describe("ULID ids", () => {
  it("two regions generating 1,000,000 ids at once: no collision, strict order within each region", async () => {
    const perRegion = 500_000;
    const [us, ie] = await Promise.all([generateInWorker(perRegion), generateInWorker(perRegion)]);
    for (const ids of [us, ie]) {
      expect(ids.length).toBe(perRegion);
      for (let i = 1; i < ids.length; i++) {
        if (!(ids[i - 1]! < ids[i]!))
          throw new Error(`not strictly increasing at ${i}: ${ids[i - 1]} then ${ids[i]}`);
      }
    }
    const all = new Set([...us, ...ie]);
    expect(all.size).toBe(2 * perRegion);
    expect(isUlid(us[0]!) && isUlid(ie[perRegion - 1]!)).toBe(true);
  }, 120_000);

  it("recognises ULIDs and rejects look-alikes", () => {
    expect(isUlid("01HNZXD07M5CEN5XA66EMZSRZW")).toBe(true);
    expect(isUlid("01HNZXD07M5CEN5XA66EMZSRZ")).toBe(false); // 25 chars
    expect(isUlid("01HNZXD07M5CEN5XA66EMZSRZI")).toBe(false); // I is not Crockford
    expect(isUlid("81HNZXD07M5CEN5XA66EMZSRZW")).toBe(false); // time overflow
    expect(isUlid("42")).toBe(false);
  });

  it("answers as the regular expression it replaced, for any string of 0-28 likely characters", () => {
    const pattern = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
    // Crockford's alphabet, its excluded letters, lower case and a few others, mostly 26 long.
    const char = fc.constantFrom(..."0123456789ABCDEFGHJKMNPQRSTVWXYZILOUaz8/\u00e9\u0000".split(""));
    const value = fc.oneof(
      fc.array(char, { minLength: 26, maxLength: 26 }).map((cs) => cs.join("")),
      fc.array(char, { maxLength: 28 }).map((cs) => cs.join("")),
    );
    fc.assert(
      fc.property(value, (v) => isUlid(v) === pattern.test(v)),
      { numRuns: 20_000 },
    );
    expect(isUlid(`0${"Z".repeat(25)}`)).toBe(true);
    expect(isUlid(`7${"0".repeat(25)}`)).toBe(true);
  });
});
