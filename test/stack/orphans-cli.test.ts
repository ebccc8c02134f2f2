import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunningStack } from "../../stack/start-stack.ts";
import { failoverOnce, STACK_FRAME } from "./support/cli-process.ts";
import { healFault, injectFault, region, stackStatus, waitForActive } from "./support/control.ts";
import { eventually, sendJson } from "./support/http.ts";
import { stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

/** prod-us acknowledges writes prod-ie never gets (replication paused), dies, and rejoins as standby. */
async function stackWithOrphans(): Promise<{ s: RunningStack; lost: { id: string; data: unknown }[] }> {
  const s = await stacks.start();
  const kept = await sendJson(`${s.routerUrl}/items`, "POST", { data: { kept: 1 } });
  expect(kept.status).toBe(201);
  // Async replication: the kept write must reach prod-ie before replication is paused.
  await eventually("the kept write on prod-ie", async () => {
    const res = await fetch(`${s.regionUrls["prod-ie"]}/items/${kept.json.id as string}`);
    await res.arrayBuffer();
    return res.status === 200;
  });
  const paused = await injectFault(s, { kind: "replication-paused" });
  const lost: { id: string; data: unknown }[] = [];
  for (const data of [{ lost: "first", nested: { list: [1, 2] } }, { lost: "second" }]) {
    const res = await sendJson(`${s.routerUrl}/items`, "POST", { data });
    expect(res.status).toBe(201);
    lost.push({ id: res.json.id as string, data });
  }
  const down = await injectFault(s, { kind: "region-down", region: "prod-us" });
  await waitForActive(s, "prod-ie");
  await healFault(s, down.id);
  await healFault(s, paused.id);
  await eventually("prod-us to rejoin as standby with orphans", async () => {
    const us = region(await stackStatus(s), "prod-us");
    return us.role === "standby" && us.replication.orphanedWrites === 2;
  });
  return { s, lost };
}

describe("failover orphans (a real process against the live stack)", () => {
  it("lists, exports as NDJSON, and re-applies orphans through the active region on purpose", async () => {
    const { s, lost } = await stackWithOrphans();
    const target = ["--region", "prod-us", "--stack", s.controlUrl];

    const table = await failoverOnce(["orphans", "list", ...target]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("2 orphaned write(s) on prod-us");
    for (const { id } of lost) expect(table.stdout).toContain(id);

    const json = await failoverOnce(["orphans", "list", ...target, "--json"]);
    const listed = JSON.parse(json.stdout) as {
      id: string;
      itemId: string;
      entry: { op: { item: { data: unknown } } };
    }[];
    expect(listed.map((o) => [o.itemId, o.entry.op.item.data])).toEqual(lost.map((l) => [l.id, l.data]));

    const file = join(mkdtempSync(join(tmpdir(), "orphans-")), "orphans.ndjson");
    const exported = await failoverOnce(["orphans", "export", ...target, "--out", file]);
    expect(exported.code).toBe(0);
    const lines = readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(listed);

    // Without a terminal and without --yes, nothing happens.
    const first = listed[0]!;
    const refused = await failoverOnce(["orphans", "reapply", ...target, "--id", first.id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("not confirmed");
    expect((await sendJson(`${s.routerUrl}/items/${first.itemId}`, "GET")).status).toBe(404);

    const applied = await failoverOnce(["orphans", "reapply", ...target, "--id", first.id, "--yes"]);
    expect(applied.stderr).not.toMatch(STACK_FRAME);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(new RegExp(`${first.id}: re-applied on prod-ie as seq \\d+`));
    const read = await sendJson(`${s.routerUrl}/items/${first.itemId}`, "GET");
    expect(read.status).toBe(200);
    expect(read.json.data).toEqual(lost[0]!.data);
    const after = JSON.parse((await failoverOnce(["orphans", "list", ...target, "--json"])).stdout) as {
      id: string;
      reapplied: { region: string } | null;
    }[];
    expect(after.map((o) => o.reapplied?.region ?? null)).toEqual(["prod-ie", null]);

    const twice = await failoverOnce(["orphans", "reapply", ...target, "--id", first.id, "--yes"]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("already re-applied");
  });
});
