import { describe, expect, it } from "vitest";
import { computePlan } from "../../../deploy/plan/compute-plan.ts";
import { desiredState } from "../../../deploy/plan/desired-state.ts";
import { renderPlan, summaryLine } from "../../../deploy/plan/render-plan.ts";
import { productionConfig } from "../support/aws-test-env.ts";
import { appliedState, emptyState } from "./plan-fixtures.ts";

const desired = desiredState(productionConfig());

describe("renderPlan", () => {
  it("shows each change as `from -> to` under a ~ and counts it in the summary line", () => {
    const actual = appliedState(desired);
    actual.healthChecks[0]!.failureThreshold = 5;
    actual.healthChecks[1]!.disabled = true;
    actual.records[0]!.ttlS = 300;
    const text = renderPlan(computePlan(desired, actual));
    expect(text).toContain(
      "  # route53_health_check.prod-us will be updated in place\n  ~ route53_health_check.prod-us {",
    );
    expect(text).toContain("~ failure_threshold = 5 -> 3");
    expect(text).toContain("~ disabled = true -> false");
    expect(text).toContain("~ ttl_s = 300 -> 60");
    expect(text).toContain("  = dynamodb_table.us-east-1/failover-production-prod-us-items (unchanged)");
    expect(text).toContain("Plan: 0 to create, 3 to change, 6 unchanged.");
    expect(text).not.toContain("No changes");
  });

  it("lists every field of a resource to create with +", () => {
    const text = renderPlan(computePlan(desired, emptyState()));
    expect(text).toContain("+ route53_health_check.prod-us {");
    expect(text).toMatch(/\+ request_interval_s +?= 30/);
    expect(text).toMatch(/\+ health_check_id += \(known after apply\)/);
    expect(text).toMatch(/\+ key_schema += "pk \(HASH, S\) \+ sk \(RANGE, S\)"/);
    expect(text.trimEnd().endsWith("Plan: 9 to create, 0 to change, 0 unchanged.")).toBe(true);
  });

  it("marks a replacement with -/+ and the field that forces it", () => {
    const actual = appliedState(desired);
    actual.healthChecks[0]!.requestIntervalS = 10;
    const plan = computePlan(desired, actual);
    const text = renderPlan(plan);
    expect(text).toContain("-/+ route53_health_check.prod-us {");
    expect(text).toContain("~ request_interval_s = 10 -> 30 # forces replacement");
    expect(summaryLine(plan)).toBe("Plan: 0 to create, 1 to change, 1 to replace, 7 unchanged.");
  });

  it("says so when there is nothing to do", () => {
    const text = renderPlan(computePlan(desired, appliedState(desired)));
    expect(text).toContain(
      "Plan: 0 to create, 0 to change, 9 unchanged.\nNo changes: AWS already matches the configuration.",
    );
  });

  it("lists the problems that stop a plan from being applied", () => {
    const actual = appliedState(desired);
    actual.records.push({
      name: "items.example.com.",
      type: "TXT",
      setIdentifier: undefined,
      failover: undefined,
      ttlS: 300,
      values: ['"v=1"'],
      healthCheckId: undefined,
      aliasTarget: undefined,
    });
    const text = renderPlan(computePlan(desired, actual));
    expect(text).toContain("This plan cannot be applied (1 problem):");
    expect(text).toMatch(
      /! route53_record\.items\.example\.com\.\[TXT\]: items\.example\.com\. already has a simple TXT record/,
    );
  });
});
