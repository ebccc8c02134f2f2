import { seededRandom } from "../../core/random.ts";
import { subsystemSeed } from "../../simulator/engine/subsystem-seed.ts";
import { Simulation } from "../../simulator/run/simulation.ts";
import { parseScenarioText } from "../../simulator/scenario/load-scenario.ts";
import type { Endpoint } from "../../simulator/transport/endpoint.ts";
import { WireRequest } from "../../simulator/transport/wire-request.ts";
import { type History, HistoryRecorder } from "./history.ts";

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
}

/** Item ids: valid ULIDs, the same in every run. */
function itemIds(count: number): string[] {
  return Array.from({ length: count }, (_, n) => `01JDQ2Y6X0${String(n).padStart(16, "0")}`);
}

/**
 * The same workload as live-history.ts (8 writers PUT unique integers to 5 items, 8 readers GET
 * them, closed loop) on the simulator: the real router and regions in virtual time, sync
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
      const value = writer ? next++ : null;
      const callUs = recorder.nowUs();
      const request = writer
        ? new WireRequest(
            `http://items.sim/items/${key}`,
            "PUT",
            { "content-type": "application/json" },
            `{"data":{"n":${value}}}`,
          )
        : new WireRequest(`http://items.sim/items/${key}`, "GET", {});
      const options = { connectTimeoutMs: 3000, responseTimeoutMs: 15_000 };
      // A write whose answer is not a 2xx (or never came) may or may not have taken effect.
      const recordPut = (returnUs: number | null, note: string) =>
        recorder.record({ client: index, key, op: "put", value, callUs, returnUs, note });
      const again = () => clock.at(clock.exactMs + (writer ? 10 : 1), step);
      sim.network.send(endpoint, router, request as unknown as Request, options).then(
        async (response) => {
          const body = await response.text();
          const note = `${response.status} ${response.headers.get("x-served-by")}`;
          if (writer) recordPut(response.ok ? recorder.nowUs() : null, note);
          else if (response.status === 200 || response.status === 404) {
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
          if (writer) recordPut(null, "no answer");
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
