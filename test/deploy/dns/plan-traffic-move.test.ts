import { describe, expect, it } from "vitest";
import { updateHealthCheckInput } from "../../../deploy/aws/health-check-update.ts";
import { DeployError } from "../../../deploy/deploy-error.ts";
import { summarizeCheckers, verdict } from "../../../deploy/dns/health-verdict.ts";
import { planTrafficMove } from "../../../deploy/dns/plan-traffic-move.ts";
import type { DnsState, RegionDns } from "../../../deploy/dns/read-dns-state.ts";
import type { FailoverRole, HealthCheckActual } from "../../../deploy/plan/plan-types.ts";

const ok = { status: "Success: HTTP Status Code 200" };
const bad = { status: "Failure: timed out" };

function region(
  name: string,
  role: FailoverRole,
  settings: { inverted?: boolean; disabled?: boolean; up?: boolean } = {},
): RegionDns {
  const check: HealthCheckActual = {
    id: `hc-${name}`,
    callerReference: "failover-x-1",
    type: "HTTPS",
    fqdn: `${name}.example.com`,
    port: 443,
    resourcePath: "/readyz",
    requestIntervalS: 30,
    failureThreshold: 3,
    enableSni: true,
    inverted: settings.inverted ?? false,
    disabled: settings.disabled ?? false,
    tags: {},
    version: 4,
  };
  const checkers = summarizeCheckers(settings.up === false ? [bad, bad, bad] : [ok, ok, ok]);
  return { region: name, role, check, checkers, verdict: verdict(checkers, check) };
}

function state(primary: RegionDns, secondary: RegionDns): DnsState {
  return {
    zone: { id: "Z1", name: "example.com." },
    recordName: "items.example.com.",
    regions: [primary, secondary],
  };
}

describe("planTrafficMove", () => {
  it("fails over by inverting the PRIMARY's check, with its version for optimistic concurrency", () => {
    const move = planTrafficMove(state(region("prod-us", "PRIMARY"), region("prod-ie", "SECONDARY")), {
      kind: "failover",
      to: "prod-ie",
      force: false,
    });
    expect(move.changes).toEqual([
      {
        region: "prod-us",
        checkId: "hc-prod-us",
        version: 4,
        update: { inverted: true },
        describe: ["Inverted false -> true"],
      },
    ]);
    expect(move.expectedRegion).toBe("prod-ie");
  });

  it("fails back by turning the inversion off", () => {
    const move = planTrafficMove(
      state(region("prod-us", "PRIMARY", { inverted: true }), region("prod-ie", "SECONDARY")),
      { kind: "failback", force: false },
    );
    expect(move.changes.map((c) => c.update)).toEqual([{ inverted: false }]);
    expect(move.expectedRegion).toBe("prod-us");
  });

  it("never disables, and re-enables any disabled check of the pair while moving traffic", () => {
    const move = planTrafficMove(
      state(
        region("prod-us", "PRIMARY", { disabled: true }),
        region("prod-ie", "SECONDARY", { disabled: true }),
      ),
      { kind: "failover", to: "prod-ie", force: false },
    );
    expect(move.changes.map((c) => c.update)).toEqual([
      { inverted: true, disabled: false },
      { disabled: false },
    ]);
    expect(move.messages.filter((m) => /was DISABLED/.test(m))).toHaveLength(2);
  });

  it("does nothing when traffic is already where it was asked to go", () => {
    const move = planTrafficMove(
      state(region("prod-us", "PRIMARY", { inverted: true }), region("prod-ie", "SECONDARY")),
      { kind: "failover", to: "prod-ie", force: false },
    );
    expect(move.changes).toEqual([]);
    expect(move.messages.join(" ")).toMatch(/already failed over/);
  });

  it("treats --to the PRIMARY as a failback", () => {
    const move = planTrafficMove(
      state(region("prod-us", "PRIMARY", { inverted: true }), region("prod-ie", "SECONDARY")),
      { kind: "failover", to: "prod-us", force: false },
    );
    expect(move.changes.map((c) => c.update)).toEqual([{ inverted: false }]);
    expect(move.messages[0]).toMatch(/is the PRIMARY: sending traffic to it is a failback/);
  });

  it("refuses to fail over to a standby its checkers report down, unless forced", () => {
    const s = state(region("prod-us", "PRIMARY"), region("prod-ie", "SECONDARY", { up: false }));
    expect(() => planTrafficMove(s, { kind: "failover", to: "prod-ie", force: false })).toThrow(DeployError);
    expect(() => planTrafficMove(s, { kind: "failover", to: "prod-ie", force: false })).toThrow(
      /prod-ie's health check reports it unhealthy \(0\/3 checkers\)/,
    );
    expect(planTrafficMove(s, { kind: "failover", to: "prod-ie", force: true }).changes).toHaveLength(1);
  });

  it("refuses when nothing is deployed", () => {
    const bare: DnsState = {
      zone: { id: "Z1", name: "example.com." },
      recordName: "items.example.com.",
      regions: [{ region: "prod-us" }, { region: "prod-ie" }],
    };
    expect(() => planTrafficMove(bare, { kind: "failback", force: false })).toThrow(
      /run `failover deploy` first/,
    );
  });
});

describe("updateHealthCheckInput", () => {
  it("refuses Disabled: true even from a caller that bypasses the type", () => {
    const unsafe = { disabled: true } as unknown as { disabled: false };
    expect(() => updateHealthCheckInput("hc-1", 1, unsafe)).toThrow(/refusing to disable health check hc-1/);
  });

  it("sends only the fields asked for, with the version", () => {
    const command = updateHealthCheckInput("hc-1", 7, { inverted: true, disabled: false });
    expect(command.input).toEqual({
      HealthCheckId: "hc-1",
      HealthCheckVersion: 7,
      Inverted: true,
      Disabled: false,
    });
  });
});
