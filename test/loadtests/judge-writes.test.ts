import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AckedWrite,
  compareFinalValues,
  expectedFinalValues,
  readAckedWrites,
} from "../../loadtests/runner/acked-writes.ts";
import { judgeWrites } from "../../loadtests/runner/judge-writes.ts";

const A = "01M80H07WXKR3SM5WPYBNDWKW9";
const B = "01M80H07X9TNGBBRW3KGD8YRS3";
const C = "01M80H07ZGYYM1EGH2MS9R9VD6";

describe("judgeWrites", () => {
  it("passes when nothing acknowledged is missing", () => {
    const v = judgeWrites({ mode: "sync", acknowledgedIds: [A, B], missingIds: [], orphanedIds: [] });
    expect(v).toMatchObject({ ok: true, acknowledged: 2, missing: 0 });
  });

  it("fails synchronous replication on any missing acknowledged write", () => {
    const v = judgeWrites({ mode: "sync", acknowledgedIds: [A, B], missingIds: [B], orphanedIds: [B] });
    expect(v.ok).toBe(false);
    expect(v.detail).toContain("synchronous replication lost 1");
  });

  it("accepts asynchronous losses only when the old active reported them orphaned", () => {
    const explained = judgeWrites({
      mode: "async",
      acknowledgedIds: [A, B, C],
      missingIds: [B],
      orphanedIds: [B, C],
    });
    expect(explained).toMatchObject({ ok: true, missing: 1, orphanedReported: 2 });
    expect(explained.detail).toContain("lost to asynchronous replication (RPO)");
    const unexplained = judgeWrites({
      mode: "async",
      acknowledgedIds: [A, B],
      missingIds: [A, B],
      orphanedIds: [B],
    });
    expect(unexplained.ok).toBe(false);
    expect(unexplained.detail).toContain(A);
  });
});

describe("readAckedWrites", () => {
  it("reads k6's JSON log lines and ignores everything else", () => {
    const file = join(mkdtempSync(join(tmpdir(), "k6log-")), "k6.log");
    writeFileSync(
      file,
      [
        JSON.stringify({ level: "info", msg: `ack create ${A} prod-us`, source: "console" }),
        JSON.stringify({ level: "info", msg: `ack update ${B} prod-ie {"n":2}` }),
        JSON.stringify({ level: "info", msg: `nack update ${B} - {"n":3}` }),
        JSON.stringify({ level: "info", msg: "ack create not-an-id prod-us" }),
        "garbage line with ack in it",
        JSON.stringify({ level: "warning", msg: "Request Failed" }),
      ].join("\n"),
    );
    expect(readAckedWrites(file)).toEqual([
      { kind: "create", id: A, servedBy: "prod-us", acknowledged: true },
      { kind: "update", id: B, servedBy: "prod-ie", data: { n: 2 }, acknowledged: true },
      { kind: "update", id: B, servedBy: "-", data: { n: 3 }, acknowledged: false },
    ]);
    expect(readAckedWrites(join(tmpdir(), "does-not-exist.log"))).toEqual([]);
  });
});

describe("final values", () => {
  const ack = (kind: "create" | "update", id: string, data: unknown): AckedWrite => ({
    kind,
    id,
    servedBy: "prod-us",
    data,
    acknowledged: true,
  });

  it("expects each item's last acknowledged value, or a later unacknowledged attempt's", () => {
    const writes: AckedWrite[] = [
      ack("create", A, { n: 1 }),
      ack("update", A, { n: 2 }),
      { kind: "update", id: A, servedBy: "-", data: { n: 3 }, acknowledged: false },
      ack("create", B, { n: 1 }),
      ack("update", B, { n: 2 }),
      ack("create", C, { n: 1 }),
    ];
    const expected = expectedFinalValues(writes);
    expect(expected.map((e) => [e.id, e.acceptable])).toEqual([
      [A, [{ n: 2 }, { n: 3 }]],
      [B, [{ n: 2 }]],
      [C, [{ n: 1 }]],
    ]);
    // A took its unacknowledged update; B lost its acknowledged update; C is gone.
    const readBack = new Map<string, unknown>([
      [A, { n: 3 }],
      [B, { n: 1 }],
    ]);
    expect(compareFinalValues(expected, readBack)).toEqual({ missingIds: [C], staleIds: [B] });
  });

  /** B's acknowledged update was read back older: a lost update, reported orphaned or not. */
  const lostUpdate = (mode: "sync" | "async", orphanedIds: string[]) =>
    judgeWrites({ mode, acknowledgedIds: [A, B], missingIds: [], staleIds: [B], orphanedIds });

  it("fails a run with a lost update unless the old active reported it orphaned", () => {
    const lost = lostUpdate("async", []);
    expect(lost).toMatchObject({ ok: false, stale: 1 });
    expect(lost.detail).toContain("1 with an older value (lost update)");
    expect(lostUpdate("async", [B]).ok).toBe(true);
    // Synchronous replication promised no loss: reported orphaned or not, it fails the run.
    expect(lostUpdate("sync", [B]).ok).toBe(false);
  });
});
