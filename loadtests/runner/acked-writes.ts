import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

/**
 * Writes the router acknowledged during a k6 run, with the value each wrote. The scripts log
 * `ack <kind> <id> <region> <data as JSON>` for every 2xx write and `nack update <id> - <data>`
 * for an update whose answer was not a 2xx (it may still have been applied). k6 VUs share no
 * memory, so the log is how they report; k6 writes it as JSON lines with --log-format json. An
 * item is only ever written by the VU that created it (loadtests/lib/items.ts), so the log's
 * order is each item's write order.
 */
export interface AckedWrite {
  kind: "create" | "update";
  id: string;
  servedBy: string;
  /** The item's `data` as written (absent in logs from before values were logged). */
  data?: unknown;
  /** False for a `nack`: no 2xx, outcome unknown. */
  acknowledged: boolean;
}

const LINE = /^(ack|nack) (create|update) ([0-9A-Z]{26}) (\S+)(?: (.*))?$/;

export function readAckedWrites(logFile: string): AckedWrite[] {
  let text: string;
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return [];
  }
  const out: AckedWrite[] = [];
  for (const line of text.split("\n")) {
    if (!line.includes("ack ")) continue;
    let msg: string;
    try {
      msg = (JSON.parse(line) as { msg?: string }).msg ?? "";
    } catch {
      continue;
    }
    const match = LINE.exec(msg);
    if (!match) continue;
    const write: AckedWrite = {
      kind: match[2] as "create" | "update",
      id: match[3]!,
      servedBy: match[4]!,
      acknowledged: match[1] === "ack",
    };
    if (match[5] !== undefined) {
      try {
        write.data = JSON.parse(match[5]);
      } catch {
        continue;
      }
    }
    out.push(write);
  }
  return out;
}

/** For each acknowledged item: the values its final state may have. */
export interface ExpectedFinal {
  id: string;
  kind: "create" | "update";
  /** The last acknowledged value, then any later unacknowledged attempt's (it may have landed). */
  acceptable: unknown[];
}

export function expectedFinalValues(writes: readonly AckedWrite[]): ExpectedFinal[] {
  const byId = new Map<string, ExpectedFinal>();
  for (const w of writes) {
    if (w.acknowledged) {
      byId.set(w.id, { id: w.id, kind: w.kind, acceptable: w.data === undefined ? [] : [w.data] });
    } else {
      const known = byId.get(w.id);
      if (known && w.data !== undefined) known.acceptable.push(w.data);
    }
  }
  return [...byId.values()];
}

/**
 * Compares what was read back (undefined: not found) with what was acknowledged: `missing` ids
 * are gone, `stale` ids hold a value no acknowledged (or later attempted) write left there:
 * a lost update.
 */
export function compareFinalValues(
  expected: readonly ExpectedFinal[],
  readBack: ReadonlyMap<string, unknown>,
): { missingIds: string[]; staleIds: string[] } {
  const missingIds: string[] = [];
  const staleIds: string[] = [];
  for (const e of expected) {
    const found = readBack.get(e.id);
    if (found === undefined) missingIds.push(e.id);
    else if (e.acceptable.length > 0 && !e.acceptable.some((v) => isDeepStrictEqual(v, found)))
      staleIds.push(e.id);
  }
  return { missingIds, staleIds };
}
