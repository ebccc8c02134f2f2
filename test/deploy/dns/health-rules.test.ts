import { describe, expect, it } from "vitest";
import { summarizeCheckers, verdict } from "../../../deploy/dns/health-verdict.ts";
import { whoAnswers } from "../../../deploy/dns/who-answers.ts";

const ok = { status: "Success: HTTP Status Code 200, OK" };
const bad = { status: "Failure: Connection timed out." };

describe("summarizeCheckers", () => {
  it("is healthy only while more than 18% of checkers report success", () => {
    // 2 of 11 is 18.2%: just above Route 53's threshold; 1 of 6 is 16.7%: below.
    expect(summarizeCheckers([ok, ok, ...Array(9).fill(bad)]).observedHealthy).toBe(true);
    expect(summarizeCheckers([ok, ...Array(5).fill(bad)]).observedHealthy).toBe(false);
    expect(summarizeCheckers([ok, ok, ok])).toEqual({ reporting: 3, healthy: 3, observedHealthy: true });
  });

  it("knows nothing before any checker has reported", () => {
    expect(summarizeCheckers([]).observedHealthy).toBeUndefined();
  });
});

describe("verdict", () => {
  const healthy = summarizeCheckers([ok, ok]);
  const down = summarizeCheckers([bad, bad]);

  it("follows the checkers when neither inverted nor disabled", () => {
    expect(verdict(healthy, { inverted: false, disabled: false }).healthy).toBe(true);
    expect(verdict(down, { inverted: false, disabled: false }).healthy).toBe(false);
  });

  it("flips the checkers' result when inverted", () => {
    expect(verdict(healthy, { inverted: true, disabled: false })).toMatchObject({
      healthy: false,
      disabledTrap: false,
    });
    expect(verdict(down, { inverted: true, disabled: false }).healthy).toBe(true);
  });

  it("counts a disabled check as healthy even when every checker fails, and flags the trap", () => {
    const v = verdict(down, { inverted: false, disabled: true });
    expect(v).toMatchObject({ healthy: true, disabledTrap: true });
    expect(v.reason).toMatch(/DISABLED/);
    // Inverting a disabled check does not help: it still counts as healthy.
    expect(verdict(healthy, { inverted: true, disabled: true }).healthy).toBe(true);
  });
});

describe("whoAnswers", () => {
  const pair = (primary: boolean | undefined, secondary: boolean | undefined) => [
    { region: "prod-us", role: "PRIMARY" as const, healthy: primary },
    { region: "prod-ie", role: "SECONDARY" as const, healthy: secondary },
  ];

  it("answers the PRIMARY while it is healthy, whatever the SECONDARY", () => {
    expect(whoAnswers(pair(true, false))?.region).toBe("prod-us");
    expect(whoAnswers(pair(true, true))?.region).toBe("prod-us");
  });

  it("answers the SECONDARY when the PRIMARY is unhealthy and the SECONDARY is not", () => {
    expect(whoAnswers(pair(false, true))?.region).toBe("prod-ie");
    // A SECONDARY without a health check counts as healthy.
    expect(whoAnswers(pair(false, undefined))?.region).toBe("prod-ie");
  });

  it("answers the PRIMARY when both are unhealthy", () => {
    expect(whoAnswers(pair(false, false))).toMatchObject({
      region: "prod-us",
      reason: expect.stringMatching(/both/),
    });
  });
});
