import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../config/config-error.ts";
import { ManualClock } from "../../core/clock.ts";
import { MemoryControlStore } from "../../core/control.ts";
import { seededRandom } from "../../core/random.ts";
import { createRouter, type Router } from "../../router/create-router.ts";
import { FakeRegions } from "./support/fake-regions.ts";
import { routerEnvironment } from "./support/router-env.ts";

const TOKEN = "s3cret-admin-token";
let router: Router | undefined;
afterEach(() => router?.stop());

function setup(adminToken: string | null = TOKEN, sync?: { standby: string | null }) {
  const clock = new ManualClock(0);
  const control = new MemoryControlStore({
    activeRegion: "prod-us",
    epoch: 1,
    updatedAtMs: 0,
    reason: "test",
    ...(sync ? { syncStandby: sync.standby } : {}),
  });
  const regions = new FakeRegions(clock, control);
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  router = createRouter({
    config: routerEnvironment({}, sync ? { replication: { mode: "sync" } } : {}),
    routerId: "edge-1",
    clock,
    transport: regions.transport,
    random: seededRandom(1),
    control,
    adminToken: adminToken ?? undefined,
    logger: pino({ level: "info" }, sink),
  });
  router.start();
  const admin = (path: string, init: RequestInit = {}, token: string | null = TOKEN) =>
    Promise.resolve(
      router!.app.request(`http://edge.test/_router${path}`, {
        ...init,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(init.headers ?? {}) },
      }),
    );
  const post = (path: string, body: unknown) =>
    admin(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return { clock, control, regions, lines, admin, post, router };
}

describe("admin API authentication", () => {
  it("401 without a token (with WWW-Authenticate), 403 with a wrong one of any length, 200 with the right one", async () => {
    const { admin, clock } = setup();
    await clock.advance(1);
    const missing = await admin("/status", {}, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect(await missing.json()).toMatchObject({ error: "unauthorized" });
    expect((await admin("/status", { headers: { authorization: "Basic abc" } }, null)).status).toBe(401);
    for (const wrong of ["x", "s3cret-admin-tokeN", `${TOKEN}${TOKEN}`]) {
      const response = await admin("/status", {}, wrong);
      expect(response.status, wrong).toBe(403);
      expect(await response.json()).toMatchObject({ error: "forbidden", detail: "the admin token is wrong" });
    }
    const ok = await admin("/status");
    expect(ok.status).toBe(200);
    const status = (await ok.json()) as { activeRegion: string; epoch: number; regions: { name: string }[] };
    expect(status).toMatchObject({ activeRegion: "prod-us", epoch: 1 });
    expect(status.regions.map((r) => r.name)).toEqual(["prod-us", "prod-ie"]);
  });

  it("without a configured token the admin API is closed (403), never open", async () => {
    const { admin } = setup(null);
    const response = await admin("/status", {}, "anything");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ detail: expect.stringContaining("FAILOVER_ADMIN_TOKEN") });
  });

  it("the production router refuses to start without a token", () => {
    const control = new MemoryControlStore();
    const build = () =>
      createRouter({
        config: { ...routerEnvironment(), name: "production" },
        routerId: "edge-1",
        clock: new ManualClock(0),
        transport: async () => new Response(),
        random: seededRandom(1),
        control,
      });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/refuses to start without an admin token/);
  });
});

describe("admin actions", () => {
  it("promote moves traffic (epoch 2) and is logged and listed in decisions", async () => {
    const { post, clock, control, lines, router } = setup();
    await clock.advance(10);
    const response = await post("/promote", { region: "prod-ie", reason: "drill" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      result: "promoted",
      record: { activeRegion: "prod-ie", epoch: 2 },
    });
    expect(await control.read()).toMatchObject({
      activeRegion: "prod-ie",
      epoch: 2,
      reason: expect.stringContaining("drill"),
    });
    const served = await router.app.request("http://edge.test/items/a");
    expect(served.headers.get("x-served-by")).toBe("prod-ie");
    expect(served.headers.get("x-served-reason")).toBe("failover");
    expect(lines.some((l) => l.msg === "admin action: promote" && l.outcome === "promoted")).toBe(true);
    expect(router.status().decisions.map((d) => d.kind)).toContain("admin");
  });

  it("promote validates its body (400) and refuses an unhealthy region unless forced (409)", async () => {
    const { post, clock, regions } = setup();
    expect((await post("/promote", { region: "prod-mars" })).status).toBe(400);
    expect((await post("/promote", { region: "prod-ie", extra: 1 })).status).toBe(400);
    regions.faults.set("prod-ie", { kind: "hang" });
    await clock.advance(5000);
    const refused = await post("/promote", { region: "prod-ie" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: "region_unhealthy" });
    const forced = await post("/promote", { region: "prod-ie", force: true });
    expect(forced.status).toBe(200);
  });

  it("drain moves traffic off the active region; failback returns to initialActive (epoch 3)", async () => {
    const { post, clock, router } = setup();
    await clock.advance(10);
    const drained = await post("/drain", { region: "prod-us" });
    expect(drained.status).toBe(200);
    expect(await drained.json()).toMatchObject({
      region: "prod-us",
      drained: true,
      activeRegion: "prod-ie",
      epoch: 2,
    });
    expect((await post("/drain", { region: "prod-us", drained: false })).status).toBe(200);
    const back = await post("/failback", {});
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({
      result: "promoted",
      record: { activeRegion: "prod-us", epoch: 3 },
    });
    expect(router.status().activeRegion).toBe("prod-us");
  });
});

describe("/metrics", () => {
  it("exposes requests by region and status, health, promotions, detection and promotion times", async () => {
    const { clock, regions, router } = setup();
    await router.app.request("http://edge.test/items/a");
    await router.app.request("http://edge.test/items/b");
    regions.faults.set("prod-us", { kind: "hang" });
    await clock.advance(7000);
    const text = await (await router.app.request("http://edge.test/metrics")).text();
    expect(text).toContain('failover_router_requests_total{region="prod-us",status="200"} 2');
    expect(text).toContain('failover_router_region_healthy{region="prod-us"} 0');
    expect(text).toContain('failover_router_region_active{region="prod-ie"} 1');
    expect(text).toContain(
      'failover_router_promotions_total{from="prod-us",to="prod-ie",cause="failover"} 1',
    );
    // Probes at 2000, 4000, 6000 failed; the streak began when the 2000 probe was sent: 5000 ms to detect.
    expect(text).toContain('failover_router_time_to_detect_seconds_sum{region="prod-us"} 5');
    expect(text).toContain('failover_router_time_to_promote_seconds_count{cause="failover"} 1');
  });

  it("sync mode: promoting a region not recorded in sync needs acceptDataLoss, and the refusal shows the known lag", async () => {
    const { post, clock, control } = setup(TOKEN, { standby: null });
    await clock.advance(10);
    const refused = await post("/promote", { region: "prod-ie" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: "not_in_sync",
      detail: expect.stringMatching(/not recorded as the synchronous standby.*Known lag: .*acceptDataLoss/),
    });
    expect(await control.read()).toMatchObject({ activeRegion: "prod-us", epoch: 1 });
    const accepted = await post("/promote", { region: "prod-ie", acceptDataLoss: true });
    expect(accepted.status).toBe(200);
    expect(await control.read()).toMatchObject({
      activeRegion: "prod-ie",
      epoch: 2,
      reason: expect.stringContaining("accepting data loss"),
    });
  });

  it("sync mode: the recorded synchronous standby is promoted without acceptDataLoss", async () => {
    const { post, clock, control } = setup(TOKEN, { standby: "prod-ie" });
    await clock.advance(10);
    expect((await post("/promote", { region: "prod-ie" })).status).toBe(200);
    expect(await control.read()).toMatchObject({ activeRegion: "prod-ie", epoch: 2 });
  });
});
