import { seededRandom } from "../../core/random.ts";
import { subsystemSeed } from "../../simulator/engine/subsystem-seed.ts";
import { Simulation } from "../../simulator/run/simulation.ts";
import { parseScenarioText } from "../../simulator/scenario/load-scenario.ts";
import type { Endpoint } from "../../simulator/transport/endpoint.ts";
import { WireRequest } from "../../simulator/transport/wire-request.ts";
import { errorCodeOf, type History, HistoryRecorder, type WriteKind, writeOp } from "./history.ts";

export interface SimRunOptions {
  seed: number;
  /** async replication, or sync with one of its wait points (config/schema.ts). */
  replication: "async" | "after-sync" | "after-commit";
  durationS?: number;
  faultAtS?: number;
  /** Items the clients pick from (5 unless set). */
  items?: number;
  /** One fault of the simulator's kinds (simulator/faults/); "none" for a run without one. */
  fault?: string;
  /** The share of a writer's writes that are DELETEs (DELETE_SHARE unless set). */
  deleteShare?: number;
}

/**
 * One write in ten is a DELETE: enough that deletes meet puts and reads on every item across the
 * failover (a retried DELETE must not apply twice), few enough that their unknown outcomes, which
 * the checker cannot leave out as it does unseen puts, keep the search small.
 */
export const DELETE_SHARE = 0.1;

/** Item ids: valid ULIDs, the same in every run. */
function itemIds(count: number): string[] {
  return Array.from({ length: count }, (_, n) => `01JDQ2Y6X0${String(n).padStart(16, "0")}`);
}

/**
 * The same workload as live-history.ts (8 writers PUT unique integers to 5 items or DELETE them,
 * 8 readers GET them, closed loop) on the simulator: the real router and regions in virtual time, sync
 * replication (or async), the inter-region latency table, and prod-us going down part-way. The scenario's
 * own clients are a trickle; the recorded clients are added on the engine's clock.
 */
export async function recordSimHistory(
  options: SimRunOptions,
): Promise<{ history: History; promoted: boolean }> {
  const durationS = options.durationS ?? 20;
  const faultAtS = options.faultAtS ?? 8;
  const fault = options.fault ?? "{ kind: region-down, region: prod-us }";
  const text = [
    "name: lincheck",
    "environment: production",
    `durationS: ${durationS}`,
    "settleS: 2",
    options.replication === "async"
      ? "replication: { mode: async }"
      : `replication: { mode: sync, syncWaitPoint: ${options.replication} }`,
    "clients:",
    "  - { name: trickle, location: virginia, ratePerS: 1, writeShare: 0 }",
    ...(fault === "none"
      ? []
      : [
          "faults:",
          `  - { ${fault.slice(1, -1).trim()}, startS: ${faultAtS}, durationS: ${durationS - faultAtS} }`,
        ]),
  ].join("\n");
  const scenario = parseScenarioText(text, "lincheck.yaml", process.cwd()).scenarios[0]!;
  const sim = new Simulation(scenario, options.seed);
  const clock = sim.engine.clock;
  const recorder = new HistoryRecorder(() => clock.exactMs);
  const router = [...sim.system.cells[0]!.routers.values()][0]!.endpoint;
  const ITEMS = itemIds(options.items ?? 5);
  const random = seededRandom(subsystemSeed(options.seed, "lincheck"));
  const stopAtMs = durationS * 1000;
  const deleteShare = options.deleteShare ?? DELETE_SHARE;
  let next = 1;

  const client = (index: number, writer: boolean) => {
    const endpoint: Endpoint = {
      id: `client:lincheck-${index}`,
      kind: "client",
      location: "virginia",
      name: "lincheck",
    };
    const step = (): void => {
      if (clock.exactMs >= stopAtMs) return;
      const key = ITEMS[Math.floor(random.next() * ITEMS.length)]!;
      // No draw when there are no deletes: a PUT-only run keeps the key sequence it always had.
      const deleting = writer && deleteShare > 0 && random.next() < deleteShare;
      const kind: WriteKind | undefined = writer ? (deleting ? "delete" : "put") : undefined;
      const value = kind === "put" ? next++ : null;
      const callUs = recorder.nowUs();
      const url = `http://items.sim/items/${key}`;
      const request =
        kind === "put"
          ? new WireRequest(url, "PUT", { "content-type": "application/json" }, `{"data":{"n":${value}}}`)
          : new WireRequest(url, kind === "delete" ? "DELETE" : "GET", {});
      const options = { connectTimeoutMs: 3000, responseTimeoutMs: 15_000 };
      const write = kind && { client: index, key, kind, value, callUs };
      const again = () => clock.at(clock.exactMs + (writer ? 10 : 1), step);
      sim.network.send(endpoint, router, request as unknown as Request, options).then(
        async (response) => {
          const body = await response.text();
          const note = `${response.status} ${response.headers.get("x-served-by")}`;
          if (write) {
            const answer = { status: response.status, error: errorCodeOf(body), returnUs: recorder.nowUs() };
            recorder.record(writeOp(write, answer, note));
          } else if (response.status === 200 || response.status === 404) {
            const seen =
              response.status === 404 ? null : (JSON.parse(body) as { data: { n: number } }).data.n;
            recorder.record({
              client: index,
              key,
              op: "get",
              value: seen,
              callUs,
              returnUs: recorder.nowUs(),
              note,
            });
          }
          again();
        },
        () => {
          if (write) recorder.record(writeOp(write, undefined, "no answer"));
          again();
        },
      );
    };
    clock.at(1 + index, step);
  };
  for (let n = 0; n < 8; n++) client(n, true);
  for (let n = 8; n < 16; n++) client(n, false);
  await sim.run();
  return { history: recorder.history(), promoted: sim.promotions.length > 0 };
}
