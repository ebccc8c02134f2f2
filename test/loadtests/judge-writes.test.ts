import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAckedWrites } from "../../loadtests/runner/acked-writes.ts";
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
        JSON.stringify({ level: "info", msg: `ack update ${B} prod-ie` }),
        JSON.stringify({ level: "info", msg: "ack create not-an-id prod-us" }),
        "garbage line with ack in it",
        JSON.stringify({ level: "warning", msg: "Request Failed" }),
      ].join("\n"),
    );
    expect(readAckedWrites(file)).toEqual([
      { kind: "create", id: A, servedBy: "prod-us" },
      { kind: "update", id: B, servedBy: "prod-ie" },
    ]);
    expect(readAckedWrites(join(tmpdir(), "does-not-exist.log"))).toEqual([]);
  });
});
