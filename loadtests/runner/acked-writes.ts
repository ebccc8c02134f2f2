import { readFileSync } from "node:fs";

/**
 * Writes the router acknowledged during a k6 run. The scripts log `ack <kind> <id> <region>`
 * for every 2xx write (k6 VUs share no memory, so the log is how they report); k6 writes its
 * log as JSON lines with --log-format json.
 */
export interface AckedWrite {
  kind: "create" | "update";
  id: string;
  servedBy: string;
}

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
    const match = /^ack (create|update) ([0-9A-Z]{26}) (\S+)$/.exec(msg);
    if (match) out.push({ kind: match[1] as "create" | "update", id: match[2]!, servedBy: match[3]! });
  }
  return out;
}
