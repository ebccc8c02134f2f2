/**
 * `npm run bench:brownout`: the brownout table of the README (issue 13 (docs/issues.md)). For each error rate,
 * 20 seeds of simulator/scenarios/brownout-above-threshold.yaml (production policy, 90 requests/s
 * from Virginia and Ireland, prod-us failing that share of all requests, health checks included,
 * +100 ms, for 300 s) with the error rate replaced, and the calm lead-in cut from 180 s to 30 s
 * to halve the run time: how many seeds failed over, and fault start to promotion (median, max).
 * Target: 0 of 20 up to 30%, 20 of 20 from 60%.
 *
 *   npm run bench:brownout
 *   npm run bench:brownout -- --seeds 5 --rates 0.3,0.6
 */
import { brownoutRow, medianOf } from "../simulator/run/brownout-table.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const seedCount = Number(option("--seeds") ?? 20);
const rates = (option("--rates") ?? "0.05,0.1,0.2,0.3,0.4,0.6,0.8").split(",").map(Number);
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);

const fmt = (s: number | undefined) => (s === undefined ? "-" : `${s.toFixed(1)} s`);
console.log(`| error rate | seeds that failed over (of ${seedCount}) | fault to promotion, median | max |`);
console.log("|---|---|---|---|");
for (const errorRate of rates) {
  const started = performance.now();
  const overrides = { startS: 30, faultDurationS: 300, durationS: 340, settleS: 10 };
  const row = await brownoutRow({ errorRate, seeds, overrides });
  const max = row.promoteS.length ? Math.max(...row.promoteS) : undefined;
  console.log(
    `| ${Math.round(errorRate * 100)}% | ${row.failedOver} | ${fmt(medianOf(row.promoteS))} | ${fmt(max)} |`,
  );
  console.error(`  (${errorRate}: ${((performance.now() - started) / 1000).toFixed(0)} s wall)`);
}
