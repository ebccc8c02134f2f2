import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWrites } from "../../loadtests/runner/run-loadtest.ts";
import type { RunningStack } from "../../stack/start-stack.ts";
import { startTestStack } from "../stack/support/test-stack.ts";

// `failover loadtest`'s read-back against a real stack: every acknowledged write, updates
// included, is read back on the active region with its final value.
let stack: RunningStack;
const dir = mkdtempSync(join(tmpdir(), "failover-readback-"));
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function write(
  method: "POST" | "PUT",
  path: string,
  data: unknown,
): Promise<{ id: string; servedBy: string }> {
  const res = await fetch(`${stack.routerUrl}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data }),
  });
  expect(res.ok).toBe(true);
  const body = (await res.json()) as { id: string };
  return { id: body.id, servedBy: res.headers.get("x-served-by") ?? "?" };
}

/** The log k6 writes with --log-format json for these acknowledged writes (loadtests/lib/items.ts). */
function k6Log(lines: string[]): string {
  const file = join(dir, `k6-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(
    file,
    lines.map((msg) => JSON.stringify({ level: "info", msg, source: "console" })).join("\n"),
  );
  return file;
}

describe("the load-test runner's read-back", () => {
  it("passes when every acknowledged create and update holds its final value", async () => {
    const created = await write("POST", "/items", { n: 1 });
    const updated = await write("PUT", `/items/${created.id}`, { n: 2 });
    const log = k6Log([
      `ack create ${created.id} ${created.servedBy} {"n":1}`,
      `ack update ${created.id} ${updated.servedBy} {"n":2}`,
    ]);
    const verdict = await checkWrites(stack, "prod-us", log, () => {});
    expect(verdict).toMatchObject({ ok: true, acknowledged: 1, missing: 0, stale: 0 });
  });

  it("fails when an acknowledged update is lost (the item holds an older value)", async () => {
    const created = await write("POST", "/items", { n: 1 });
    const updated = await write("PUT", `/items/${created.id}`, { n: 2 });
    // Behind the runner's back the item goes back to its first value: the update is lost.
    await write("PUT", `/items/${created.id}`, { n: 1 });
    const log = k6Log([
      `ack create ${created.id} ${created.servedBy} {"n":1}`,
      `ack update ${created.id} ${updated.servedBy} {"n":2}`,
    ]);
    const lines: string[] = [];
    const verdict = await checkWrites(stack, "prod-us", log, (l) => lines.push(l));
    expect(verdict).toMatchObject({ ok: false, stale: 1, missing: 0 });
    expect(lines.join("\n")).toMatch(/read back 1 items for 2 acknowledged writes \(1 creates, 1 updates\)/);
  });
});
