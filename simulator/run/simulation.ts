import { seededRandom } from "../../core/random.ts";
import { CapacityModel } from "../capacity/capacity-model.ts";
import type { CapacitySpec } from "../capacity/capacity-schema.ts";
import { ClientGroup, type ClientTarget } from "../clients/client-group.ts";
import { KnownIds } from "../clients/known-ids.ts";
import { WriteLedger } from "../clients/write-ledger.ts";
import { DnsClientTarget } from "../dns/dns-client-target.ts";
import { Route53Model } from "../dns/route53-model.ts";
import { SimEngine } from "../engine/engine.ts";
import { installLightResponse } from "../engine/run-globals.ts";
import { subsystemSeed } from "../engine/subsystem-seed.ts";
import { FaultState } from "../faults/fault-state.ts";
import { LinkModel } from "../latency/link.ts";
import { type Phase, phasesOf } from "../report/phases.ts";
import { type Promotion, promotionFrom } from "../report/promotions.ts";
import { RouterObserver } from "../report/router-observer.ts";
import { RunRecorder } from "../report/run-recorder.ts";
import { SplitBrainChecker } from "../report/split-brain.ts";
import type { ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { type Cell, SimSystem } from "../system/build-system.ts";
import { SimNetwork } from "../transport/sim-network.ts";

/** Chart intervals: about 300 points over the run, at least a second each. */
export function chartBucketMsFor(totalMs: number): number {
  const steps = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
  return steps.find((s) => totalMs / s <= 360) ?? 600_000;
}

/** The HTML report's close-up of a fault: 3 s before its start to 27 s after, within the run. */
export function zoomWindowOf(startMs: number, durationMs: number): { fromMs: number; toMs: number } {
  const fromMs = Math.max(0, startMs - 3000);
  return { fromMs, toMs: Math.min(durationMs, fromMs + 30_000) };
}

/**
 * How requests and responses cross the simulated network. "light" (every run): the parts as
 * they are, in Request/Response/Headers look-alikes built only as far as code reads them, and the
 * router's raw fast path, the way @hono/node-server and the router's HTTP transport work live
 * (core/transport.ts, transport/network-transport.ts). "native": undici's own objects end to end, ~5x slower; a test runs both
 * and requires byte-identical results, so the light objects cannot change what a run reports.
 */
export type WireMode = "light" | "native";

/**
 * One run's world, wired: engine and clock, network and faults, the real system (regions,
 * routers, control records), DNS if it does the failover, clients, and the observers that
 * record what happens. `run()` drives it; the checkers read it afterwards.
 */
export class Simulation {
  readonly engine = new SimEngine();
  readonly network: SimNetwork;
  readonly system: SimSystem;
  readonly ledger = new WriteLedger();
  readonly recorder: RunRecorder;
  readonly splitBrain = new SplitBrainChecker();
  readonly promotions: Promotion[] = [];
  readonly observer: RouterObserver;
  readonly dns: Route53Model | undefined;
  readonly phases: Phase[];
  readonly locations: string[];
  readonly clients: ClientGroup[] = [];
  private readonly knownIds: KnownIds[] = [];
  readonly durationMs: number;
  readonly totalMs: number;

  constructor(
    readonly scenario: ResolvedScenario,
    readonly seed: number,
    readonly wire: WireMode = "light",
  ) {
    const clock = this.engine.clock;
    this.durationMs = scenario.durationS * 1000;
    this.totalMs = (scenario.durationS + scenario.settleS) * 1000;
    const faults = new FaultState(scenario.faults.flatMap((f) => f.effects));
    const links = new LinkModel(scenario.latencyTable, scenario.jitter, subsystemSeed(seed, "links"));
    this.network = new SimNetwork(
      clock,
      links,
      faults,
      scenario.serviceTime,
      seededRandom(subsystemSeed(seed, "faults")),
    );
    this.system = new SimSystem({
      clock,
      network: this.network,
      config: scenario.config,
      topology: scenario.topology,
      routers: scenario.routers,
      latencyTable: scenario.latencyTable,
      clockDriftPpm: scenario.clockDriftPpm,
      seed,
      rawTransport: wire === "light",
    });
    if (scenario.capacity) this.network.capacity = this.buildCapacity(scenario.capacity);
    this.phases = phasesOf(scenario.faults, this.durationMs);
    this.locations = [...new Set(scenario.clients.map((c) => c.location))];
    this.recorder = new RunRecorder({
      locations: this.locations,
      cells: this.system.cells.length,
      phases: this.phases,
      totalMs: this.durationMs,
      chartBucketMs: chartBucketMsFor(this.durationMs),
      zoomWindows: scenario.faults.map((f) => zoomWindowOf(f.startMs, this.durationMs)),
    });
    this.observer = new RouterObserver(clock, this.system.cells);
    this.dns = scenario.failoverBy === "dns" ? this.buildDns() : undefined;
    this.watchCells();
    this.buildClients();
    this.scheduleFaultActions();
  }

  /** Runs to the end of the settle period; `onProgress` gets the share of virtual time done. */
  async run(
    onProgress?: (done: number) => void,
  ): Promise<{ unhandledRejections: string[]; realTimerCalls: number }> {
    this.system.start();
    for (const client of this.clients) client.start();
    this.dns?.start(this.totalMs);
    if (this.scenario.failoverBy === "router") this.observer.start(this.totalMs);
    const removeLightResponse = this.wire === "light" ? installLightResponse() : () => {};
    const result = await this.engine
      .runUntil({ untilMs: this.totalMs, onProgress: (p) => onProgress?.(p.nowMs / this.totalMs) })
      .finally(removeLightResponse);
    this.observer.collect();
    await this.system.stop();
    return { unhandledRejections: result.unhandledRejections, realTimerCalls: result.realTimerCalls };
  }

  /** The region a cell's control record named at `atMs`. */
  activeAt(cell: number, atMs: number): string {
    let active = this.system.cells[cell]!.activeAtStart;
    for (const p of this.promotions) if (p.cell === cell && p.atMs <= atMs) active = p.to;
    return active;
  }

  private watchCells(): void {
    for (const cell of this.system.cells) {
      const known = new KnownIds();
      this.knownIds.push(known);
      for (const region of cell.regions.values()) {
        region.store.onOwnCommit = (commit) => {
          const atMs = this.engine.clock.exactMs;
          this.ledger.observeCommit(commit, atMs);
          this.splitBrain.noteCommit(commit.region, cell.index, atMs);
          if (commit.entry.op.kind === "put") known.add(commit.entry.op.item.id);
        };
        region.service.onWriteAcknowledged = (ack) =>
          this.splitBrain.check(ack, region.name, cell.index, this.engine.clock.exactMs);
      }
      cell.control.onChange = (change) => {
        const from = change.from?.activeRegion;
        const newStore = cell.regions.get(change.to.activeRegion)!.store;
        const promotion = promotionFrom(change, cell.index, {
          newHead: newStore.headSeq,
          newRuns: newStore.epochRuns.map((r) => ({ ...r })),
          oldHead: from ? cell.regions.get(from)!.store.headSeq : 0,
          oldLastAcceptMs: from ? this.splitBrain.lastAcceptMs.get(`${cell.index}|${from}`) : undefined,
        });
        if (promotion) {
          this.promotions.push(promotion);
          this.network.capacity?.onPromoted(promotion.to);
        }
      };
    }
  }

  /** Regions not active in any cell at the start are standbys (scaled down if the scenario says so). */
  private buildCapacity(spec: CapacitySpec): CapacityModel {
    const regions = this.scenario.config.regions.map((r) => r.name);
    const active = new Set(this.system.cells.map((c) => c.activeAtStart));
    const standbys = new Set(regions.filter((r) => !active.has(r)));
    const routers = this.scenario.failoverBy === "router" ? this.scenario.routers.map((r) => r.id) : [];
    return new CapacityModel(this.engine.clock, spec, regions, standbys, routers, (label) =>
      seededRandom(subsystemSeed(this.seed, label)),
    );
  }

  private buildDns(): Route53Model {
    const clock = this.engine.clock;
    const spec = this.scenario.dns;
    return new Route53Model(
      clock,
      this.network,
      spec,
      this.system.cells,
      seededRandom(subsystemSeed(this.seed, "dns")),
      (cell, region) => {
        if (spec.promote === "none") return;
        const why = region === cell.activeAtStart ? "failback" : "failover";
        clock.at(
          clock.exactMs + spec.promoteDelayS * 1000,
          () => void promoteByDns(cell, region, why, clock.nowMs()),
        );
      },
      (location) => this.scenario.latencyTable.awsRegionOf(location),
    );
  }

  private buildClients(): void {
    const clock = this.engine.clock;
    this.scenario.clients.forEach((spec, clientIndex) => {
      const cell = this.cellFor(spec.location);
      const random = seededRandom(subsystemSeed(this.seed, `client:${spec.name}`));
      this.clients.push(
        new ClientGroup(spec, {
          clock,
          network: this.network,
          random,
          ledger: this.ledger,
          recorder: this.recorder,
          knownIds: this.knownIds[cell.index]!,
          target: this.targetFor(
            spec.routerId,
            cell,
            seededRandom(subsystemSeed(this.seed, `dns-cache:${spec.name}`)),
          ),
          clientIndex,
          locationIndex: this.locations.indexOf(spec.location),
          cellIndex: cell.index,
          stopAtMs: this.durationMs,
          nativeRequests: this.wire === "native",
        }),
      );
    });
  }

  private targetFor(
    routerId: string | undefined,
    cell: Cell,
    random: ReturnType<typeof seededRandom>,
  ): ClientTarget {
    if (this.dns) {
      const spec = this.scenario.dns;
      return new DnsClientTarget(
        this.engine.clock,
        this.dns,
        cell,
        {
          instances: spec.cacheInstances,
          ttlMs: spec.ttlS * 1000,
          lookupMs: spec.lookupMs,
          ...(spec.clientMix ? { mix: spec.clientMix } : {}),
        },
        random,
      );
    }
    const endpoint = cell.routers.get(routerId!)!.endpoint;
    return { endpointFor: () => endpoint };
  }

  /** Active/active: a client's data lives in the cell whose home region is nearest to it. */
  private cellFor(location: string): Cell {
    const cells = this.system.cells;
    if (cells.length === 1) return cells[0]!;
    const table = this.scenario.latencyTable;
    const rtt = (cell: Cell) =>
      table.find(location, cell.regions.get(cell.activeAtStart)!.endpoint.location)?.rttMs ?? Infinity;
    return [...cells].sort((a, b) => rtt(a) - rtt(b) || a.index - b.index)[0]!;
  }

  /** Faults that change state rather than the network: stores going down, routers restarting. */
  private scheduleFaultActions(): void {
    const clock = this.engine.clock;
    for (const effect of this.scenario.faults.flatMap((f) => f.effects)) {
      if (effect.type === "store") {
        clock.at(effect.fromMs, () => this.system.setStoreDown(effect.region, true));
        clock.at(effect.toMs, () => this.system.setStoreDown(effect.region, false));
      } else if (effect.type === "router") {
        clock.at(effect.fromMs, () => this.system.stopRouter(effect.routerId));
        clock.at(effect.toMs, () => this.system.restartRouter(effect.routerId));
      }
    }
  }
}

/** What an operator's automation does when Route 53's answer changes: promote that region. */
async function promoteByDns(
  cell: Cell,
  region: string,
  why: "failover" | "failback",
  nowMs: number,
): Promise<void> {
  const current = cell.control.current();
  if (!current || current.activeRegion === region) return;
  await cell.control.compareAndSet(current.epoch, {
    activeRegion: region,
    epoch: current.epoch + 1,
    updatedAtMs: nowMs,
    reason: `dns automation: ${why}: Route 53 now answers ${region}`,
  });
}
