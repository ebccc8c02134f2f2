import { describe, expect, it } from "vitest";
import { brownoutRow } from "../../simulator/run/brownout-table.ts";

// The production policy in virtual time (issue 13 (docs/issues.md)): a brownout below the error-rate threshold
// never fails over, one well above it does, quickly. A one-minute brownout and three seeds keep
// it fast; `npm run bench:brownout` runs the README's full table (20 seeds, 300 s).
const overrides = { startS: 10, faultDurationS: 60, durationS: 75, settleS: 5 };
const seeds = [1, 2, 3];

describe("brownouts against the production policy", () => {
  it("30% of requests failing (health checks included) never fails over", async () => {
    const row = await brownoutRow({ errorRate: 0.3, seeds, overrides });
    expect(row).toMatchObject({ seeds: 3, failedOver: 0 });
  }, 120_000);

  it("60% failing fails over in every seed, within 15 s of the start", async () => {
    const row = await brownoutRow({ errorRate: 0.6, seeds, overrides });
    expect(row).toMatchObject({ seeds: 3, failedOver: 3 });
    expect(Math.max(...row.promoteS)).toBeLessThan(15);
  }, 120_000);
});
