/**
 * What visibility-after-durability costs readers (issue 19 (docs/issues.md)): the lincheck workload (8 writers
 * PUT, 8 readers GET, closed loop, from Virginia through the router) in the simulator, the real
 * code in virtual time, with sync replication at the after-commit wait point (readers see a write
 * as soon as prod-us stores it) and at after-sync (only once prod-ie holds it), on one seed.
 * Read latency is measured before the fault; the figures are virtual time (network + service
 * time from the latency table), so they do not depend on how busy the machine is.
 *
 *   node --import tsx bench/read-visibility-bench.ts
 */

import { percentile } from "../test/lincheck/live-history.ts";
import { recordSimHistory } from "../test/lincheck/sim-history.ts";

const FAULT_AT_S = 8;
console.log(
  "| items | wait point | reads in the 8 s before the fault | read p50 | read mean | read p99 | puts acknowledged (whole 20 s run) |",
);
console.log("|---|---|---|---|---|---|---|");
for (const items of [5, 1000]) {
  for (const replication of ["after-commit", "after-sync"] as const) {
    // PUT writers only, as when the README's table was measured: the read cost of a write in flight.
    const { history } = await recordSimHistory({
      seed: 1,
      replication,
      items,
      faultAtS: FAULT_AT_S,
      deleteShare: 0,
    });
    const reads = history.ops.filter((o) => o.op === "get" && o.callUs < FAULT_AT_S * 1e6);
    const latenciesMs = reads.map((o) => (o.returnUs! - o.callUs) / 1000);
    const acked = history.ops.filter((o) => o.op === "put" && o.returnUs !== null).length;
    const meanMs = latenciesMs.reduce((a, b) => a + b, 0) / latenciesMs.length;
    console.log(
      `| ${items} | ${replication} | ${reads.length} | ${percentile(latenciesMs, 50).toFixed(1)} ms | ${meanMs.toFixed(1)} ms | ${percentile(latenciesMs, 99).toFixed(1)} ms | ${acked} |`,
    );
  }
}
