// Prints the suite's closing line, "N passed, N failed", from vitest's JSON report (and the
// k6 run's threshold results, if any), so CI can read the counts in any runner's output.
import { existsSync, readFileSync } from "node:fs";

const [vitestFile, k6File] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (vitestFile && existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed +=
    (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) - countSuitesWithFailedTests(report);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} else {
  failed += 1;
  console.log("no vitest report found");
}
if (k6File && existsSync(k6File)) {
  const k6 = JSON.parse(readFileSync(k6File, "utf8"));
  for (const [name, ok] of Object.entries(k6.thresholds ?? {})) {
    if (ok) passed++;
    else {
      failed++;
      console.log(`k6 threshold failed: ${name}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

function countSuitesWithFailedTests(report) {
  return (report.testResults ?? []).filter(
    (s) => s.status === "failed" && (s.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
}
