import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plainPath } from "../../core/direct-context.ts";

/** plainPath as it was written first (a loop over character codes): the reference. */
function plainPathByLoop(url: string): string | undefined {
  const start = url.indexOf("/", url.indexOf(":") + 4);
  if (start === -1) return undefined;
  let i = start;
  for (; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === 37) return undefined;
    if (code === 63 || code === 35) break;
  }
  return url.slice(start, i);
}

describe("plainPath (the direct path's routing path)", () => {
  it("answers as the loop it replaced, for any URL of likely characters", () => {
    const char = fc.constantFrom(..."/////ab?#%:.".split(""));
    const tail = fc.array(char, { maxLength: 16 }).map((cs) => cs.join(""));
    const url = fc
      .tuple(fc.constantFrom("http://h.test", "https://x", "", "h:"), tail)
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(url, (u) => plainPath(u) === plainPathByLoop(u)),
      { numRuns: 50_000 },
    );
  });

  it("stops at the query or fragment and leaves an escaped path to Hono", () => {
    expect(plainPath("http://items.sim/items/01J?x=%2F#y")).toBe("/items/01J");
    expect(plainPath("http://items.sim/items#a?b")).toBe("/items");
    expect(plainPath("http://items.sim/it%65ms?x")).toBeUndefined();
    expect(plainPath("http://items.sim")).toBeUndefined();
  });
});
