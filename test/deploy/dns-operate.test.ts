import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { deployEnvironment } from "../../deploy/apply/deploy-environment.ts";
import { dnsStatus, moveTraffic } from "../../deploy/dns/operate-dns.ts";
import type { MoveRequest } from "../../deploy/dns/plan-traffic-move.ts";
import { awsPerFile } from "./support/aws-per-file.ts";
import { isolatedProductionConfig } from "./support/aws-test-env.ts";
import { createZone, healthCheck, recordsNamed } from "./support/route53-readback.ts";

/**
 * `failover dns status|failover|failback` against moto. moto's checkers always report success,
 * so what answers is derived from the checks' settings (Inverted, Disabled), exactly as the
 * tool does wherever TestDNSAnswer is unavailable.
 */
const aws = awsPerFile();

/** A deployed production-shaped pair in its own moto account; returns its zone id. */
async function deployed(): Promise<{ config: EnvironmentConfig; zoneId: string }> {
  const base = isolatedProductionConfig();
  const config = { ...base, store: { ...base.store, kind: "memory" as const } };
  const { clients } = aws.clientsFor(config);
  const zoneId = await createZone(clients.route53, config.dns!.hostedZoneName);
  await deployEnvironment({ config, clients, dryRun: false, confirm: async () => true, out: () => {} });
  return { config, zoneId };
}

async function status(config: EnvironmentConfig) {
  let text = "";
  const state = await dnsStatus(config, aws.clientsFor(config).clients, (t) => {
    text += t;
  });
  return { state, text };
}

async function move(config: EnvironmentConfig, request: MoveRequest) {
  const recorded = aws.clientsFor(config);
  let text = "";
  const result = await moveTraffic(config, recorded.clients, request, {
    confirm: async () => true,
    out: (t) => {
      text += t;
    },
  });
  return { ...result, text, recorded };
}

describe("failover dns (moto)", () => {
  it("status shows both checks healthy and the PRIMARY answering", async () => {
    const { config } = await deployed();
    const { state, text } = await status(config);
    expect(state.answer).toMatchObject({ region: "prod-us", role: "PRIMARY", source: "health-check status" });
    expect(text).toMatch(/prod-us +PRIMARY +-> prod-us\.items\./);
    expect(text).toMatch(/status: HEALTHY: 1\/1 checkers report healthy/);
    expect(text).toContain("Answering: prod-us (PRIMARY): the PRIMARY is healthy");
    expect(text).toContain("reads from the Route 53 control plane");
  });

  it("failover inverts the primary's check (no record edit, never Disabled) and failback undoes it", async () => {
    const { config, zoneId } = await deployed();
    const over = await move(config, { kind: "failover", to: "prod-ie", force: false });
    expect(over.applied).toBe(true);
    expect(over.text).toContain("plane: CONTROL. UpdateHealthCheck is a Route 53 control-plane call");
    expect(over.text).toContain("then:  DATA plane.");
    expect(over.text).toContain("REL11-BP04");
    const writes = over.recorded.mutations();
    expect(writes.map((c) => c.command)).toEqual(["UpdateHealthCheckCommand"]);
    expect(writes[0]!.input).toMatchObject({ Inverted: true });
    expect(writes[0]!.input).not.toHaveProperty("Disabled");
    expect((await status(config)).state.answer).toMatchObject({ region: "prod-ie", role: "SECONDARY" });

    const records = await recordsNamed(over.recorded.clients.route53, zoneId, config.dns!.recordName);
    const primaryCheck = await healthCheck(
      over.recorded.clients.route53,
      records.find((r) => r.Failover === "PRIMARY")!.HealthCheckId!,
    );
    expect(primaryCheck.HealthCheckConfig).toMatchObject({ Inverted: true, Disabled: false });

    // A deploy meanwhile leaves the operator's failover in place.
    const redeploy = aws.clientsFor(config);
    let planText = "";
    await deployEnvironment({
      config,
      clients: redeploy.clients,
      dryRun: false,
      confirm: async () => true,
      out: (t) => {
        planText += t;
      },
    });
    expect(redeploy.mutations()).toEqual([]);
    expect(planText).toMatch(/note: this check is inverted/);

    const back = await move(config, { kind: "failback", force: false });
    expect(back.recorded.mutations().map((c) => c.input)).toEqual([
      expect.objectContaining({ Inverted: false }),
    ]);
    expect((await status(config)).state.answer).toMatchObject({ region: "prod-us", role: "PRIMARY" });
  });

  it("a second failover changes nothing", async () => {
    const { config } = await deployed();
    await move(config, { kind: "failover", to: "prod-ie", force: false });
    const again = await move(config, { kind: "failover", to: "prod-ie", force: false });
    expect(again.applied).toBe(false);
    expect(again.text).toMatch(/already failed over/);
    expect(again.recorded.mutations()).toEqual([]);
  });

  it("flags a disabled check in status, and failover re-enables it while inverting", async () => {
    const { config, zoneId } = await deployed();
    const { clients } = aws.clientsFor(config);
    const records = await recordsNamed(clients.route53, zoneId, config.dns!.recordName);
    const primaryId = records.find((r) => r.Failover === "PRIMARY")!.HealthCheckId!;
    // The trap: someone disabled the primary's check by hand, so it counts as healthy for ever.
    await clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: primaryId, Disabled: true }));

    const { text } = await status(config);
    expect(text).toMatch(
      /status: HEALTHY: DISABLED: Route 53 counts it as healthy whatever the endpoint does/,
    );
    expect(text).toMatch(/WARNING: prod-us's health check is DISABLED/);

    const over = await move(config, { kind: "failover", to: "prod-ie", force: false });
    expect(over.text).toMatch(/warning: prod-us's health check .* was DISABLED/);
    expect(over.recorded.mutations().map((c) => c.input)).toEqual([
      expect.objectContaining({ HealthCheckId: primaryId, Inverted: true, Disabled: false }),
    ]);
    expect((await healthCheck(clients.route53, primaryId)).HealthCheckConfig).toMatchObject({
      Inverted: true,
      Disabled: false,
    });
    expect((await status(config)).state.answer?.region).toBe("prod-ie");
  });

  it("refuses a region that is not in the config before any AWS call", async () => {
    const config = isolatedProductionConfig();
    const attempt = move(config, { kind: "failover", to: "prod-eu", force: false });
    await expect(attempt).rejects.toThrow(
      /"prod-eu" is not a region of environment production \(its regions are prod-us, prod-ie\)/,
    );
    expect(aws.last().calls).toEqual([]);
  });

  it("refuses to move traffic when nothing is deployed", async () => {
    const config = isolatedProductionConfig();
    await createZone(aws.clientsFor(config).clients.route53, config.dns!.hostedZoneName);
    const attempt = move(config, { kind: "failover", to: "prod-ie", force: false });
    await expect(attempt).rejects.toThrow(/no deployed failover pair.*run `failover deploy` first/);
    expect(aws.last().mutations()).toEqual([]);
  });
});
