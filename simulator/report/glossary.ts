import { HELD_MS } from "./outages.ts";

/**
 * The one definition of each figure the reports print. The README's glossary quotes these
 * texts word for word (a test checks it) and `failover simulate --explain` prints them; the code
 * that computes each figure cites its term here.
 */
export const GLOSSARY: readonly { term: string; definition: string }[] = [
  {
    term: "detect",
    definition:
      "Time from a fault's start to the first router (or Route 53 health check) marking the region the fault hit as down.",
  },
  {
    term: "promote",
    definition:
      "Time from a fault's start to the control record naming another region active (the promotion's compare-and-set). " +
      "Only for a fault that warranted a failover.",
  },
  {
    term: "RTO",
    definition:
      "Recovery time, per fault that warranted a failover: from the fault's start to the answer of the last request its outage disrupted. " +
      `A request is disrupted if it failed, or if it was held: answered, but more than ${HELD_MS} ms after it was sent ` +
      "(the router waiting to detect, to promote, and for the new active region's lease). " +
      "An outage is a run of disrupted requests with no gap of report.restoredForS (default 5 s) between them. " +
      "0 when no request was disrupted; none (-) for a fault that needed no failover, whose failed requests are still counted.",
  },
  {
    term: "RPO",
    definition:
      "Recovery point, per promotion that lost writes: how far back in time the promoted region's data was when the old active region was cut off, " +
      "from the last write of the old epoch it held (without one, the oldest write it lost) to the cut-off " +
      "(the later of the fault's start and the last write the old region accepted, lost ones included). The run's RPO is the largest.",
  },
  {
    term: "lost writes",
    definition:
      "Writes acknowledged to a client (2xx) that the final active region does not hold at the end of the run, looked up by their Idempotency-Key. " +
      "Explained when replication lag accounts for it (the promoted region never received it); an unexplained loss breaks an invariant. " +
      "The JSON lists the first 200; the .lost-writes.ndjson file beside it lists every one.",
  },
  {
    term: "false failover",
    definition:
      "A failover (by a router or by DNS automation) away from a region that no fault warranted leaving, " +
      "between the fault's start and its end plus the detection bound (health-check interval x (fall + 1) + timeout + passive window).",
  },
  {
    term: "outage after a failback",
    definition:
      "An outage that starts within report.restoredForS after a failback (or a drain, or an operator's promotion) is that change's, not a fault's; " +
      "the report lists it under other outages with its failed and held requests.",
  },
];

/** The glossary as `failover simulate --explain` prints it. */
export function explainText(): string {
  return GLOSSARY.map((g) => `${g.term}\n${wrap(g.definition, 96, "  ")}`).join("\n\n");
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}
