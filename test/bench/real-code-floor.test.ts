import { describe, expect, it } from "vitest";
import { realCodeFloor } from "../../bench/real-code-floor.ts";

// The bench's floor row must keep measuring what it says: every request through the real router
// and region, every write acknowledged (201) and every read found (200). A refusal throws.
describe("real-code floor (npm run bench:sim)", () => {
  it("sends the whole mix through the real router and region, and every request succeeds", async () => {
    const result = await realCodeFloor(2_000, 0.25, 200);
    expect(result.requests).toBe(2_000);
    // 25% writes drawn from a seeded generator: 500 expected, sd ~19.
    expect(result.writes).toBeGreaterThan(400);
    expect(result.writes).toBeLessThan(600);
    expect(result.cpuS).toBeGreaterThan(0);
  });

  it("puts the global Response back afterwards", async () => {
    const before = globalThis.Response;
    await realCodeFloor(10, 0.5, 0);
    expect(globalThis.Response).toBe(before);
  });
});
