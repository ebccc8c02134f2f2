import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStack } from "../../stack/start-stack.ts";
import { stackStatus } from "./support/control.ts";
import { sendJson } from "./support/http.ts";
import { startTestStack } from "./support/test-stack.ts";

// One stack for the file: every request here is refused, so none changes it.
let stack: RunningStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

async function post(body: unknown) {
  return sendJson(`${stack.controlUrl}/faults`, "POST", body);
}

describe("the fault-control API refuses bad input with 400 {error, detail}", () => {
  it.each([
    ["an unknown kind", { kind: "meteor", region: "prod-us" }, /unknown fault kind "meteor".*region-down/],
    ["no kind", { region: "prod-us" }, /unknown fault kind "undefined"/],
    [
      "an unknown region",
      { kind: "region-down", region: "prod-xx" },
      /no region "prod-xx".*prod-us, prod-ie/,
    ],
    ["a missing region", { kind: "region-hang" }, /region-hang: region/],
    [
      "the old name of a parameter",
      { kind: "region-down", target: "prod-us" },
      /region-down: "target" is now "region"/,
    ],
    ["an unknown parameter", { kind: "region-down", region: "prod-us", speed: 3 }, /region-down: .*speed/],
    ["an error rate above 1", { kind: "brownout", region: "prod-us", errorRate: 1.5 }, /brownout: errorRate/],
    [
      "a negative added latency",
      { kind: "brownout", region: "prod-us", addedLatencyMs: -1 },
      /addedLatencyMs/,
    ],
    [
      "an unknown link",
      { kind: "partition", between: ["router", "prod-zz"], oneWay: true },
      /no link "router->prod-zz".*client->router/,
    ],
    ["a selector that is not a string", { kind: "partition", between: [7, "prod-us"] }, /partition: between/],
    [
      "a zero duration",
      { kind: "region-down", region: "prod-us", durationS: 0 },
      /durationS must be a number of seconds/,
    ],
    ["a duration as text", { kind: "region-down", region: "prod-us", durationS: "30s" }, /durationS/],
    [
      "a flapping period too short",
      { kind: "flapping", region: "prod-us", periodS: 0.01 },
      /flapping: periodS/,
    ],
  ])("%s", async (_what, body, detail) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json.error).toBe("invalid_fault");
    expect(json.detail).toMatch(detail);
  });

  it("malformed JSON", async () => {
    const { status, json } = await post("{not json");
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: "malformed_json" });
    expect(typeof json.detail).toBe("string");
  });

  it.each([
    ["an array", [{ kind: "region-down" }]],
    ["a string", '"region-down"'],
    ["null", "null"],
  ])("a body that is %s", async (_what, body) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: "invalid_body" });
    expect(typeof json.detail).toBe("string");
  });

  it("leaves the stack untouched: no fault active, prod-us still active", async () => {
    const status = await stackStatus(stack);
    expect(status.faults).toEqual([]);
    expect(status.router.activeRegion).toBe("prod-us");
    expect((await fetch(`${stack.regionUrls["prod-us"]}/healthz`)).status).toBe(200);
  });
});

describe("the fault-control API's other answers", () => {
  it("the same fault twice is 409: the first heal would undo both", async () => {
    const first = await post({ kind: "brownout", region: "prod-ie", errorRate: 0 });
    expect(first.status).toBe(201);
    const second = await post({ kind: "brownout", region: "prod-ie", errorRate: 0 });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: "fault_conflict" });
    expect(second.json.detail).toContain(`already active (fault ${first.json.id})`);
    const other = await post({ kind: "brownout", region: "prod-us", errorRate: 0 });
    expect(other.status).toBe(201);
    await sendJson(`${stack.controlUrl}/faults`, "DELETE");
  });

  it("DELETE of an unknown fault id is 404 {error, detail}", async () => {
    for (const id of ["999", "abc", "1.5", "-1"]) {
      const { status, json } = await sendJson(`${stack.controlUrl}/faults/${id}`, "DELETE");
      expect(status).toBe(404);
      expect(json).toMatchObject({ error: "not_found" });
      expect(json.detail).toContain(id);
    }
  });

  it("an unknown route is 404 {error, detail}", async () => {
    const { status, json } = await sendJson(`${stack.controlUrl}/nope`, "GET");
    expect(status).toBe(404);
    expect(json).toMatchObject({ error: "not_found" });
  });

  it("lists the fault kinds with a summary each", async () => {
    const { status, json } = await sendJson(`${stack.controlUrl}/fault-kinds`, "GET");
    expect(status).toBe(200);
    const kinds = (json as unknown as { kind: string }[]).map((k) => k.kind).sort();
    expect(kinds).toEqual(
      [
        "aws-region-outage",
        "brownout",
        "control-replica-slow",
        "flapping",
        "partition",
        "region-down",
        "region-hang",
        "replication-paused",
        "router-restart",
        "store-down",
        "store-latency-spike",
      ].sort(),
    );
  });

  it("an injected fault is listed, and DELETE /faults heals all and says what it healed", async () => {
    const a = await post({ kind: "brownout", region: "prod-ie", errorRate: 0, addedLatencyMs: 1 });
    const b = await post({ kind: "replication-paused" });
    expect([a.status, b.status]).toEqual([201, 201]);
    const listed = await sendJson(`${stack.controlUrl}/faults`, "GET");
    expect((listed.json.active as { kind: string }[]).map((f) => f.kind)).toEqual([
      "brownout",
      "replication-paused",
    ]);
    const healed = await sendJson(`${stack.controlUrl}/faults`, "DELETE");
    expect((healed.json.healed as { id: number }[]).map((f) => f.id).sort()).toEqual(
      [a.json.id, b.json.id].sort(),
    );
    expect((await stackStatus(stack)).faults).toEqual([]);
  });
});
