import type { Random } from "../../core/random.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import type { DnsModelSpec } from "../scenario/scenario-schema.ts";
import type { Cell } from "../system/build-system.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import type { SimNetwork } from "../transport/sim-network.ts";

/**
 * Route 53's TCP+HTTP check: a connection within 4 s, then a 2xx/3xx within 2 s of connecting
 * (Route 53 developer guide, "How Amazon Route 53 determines whether a health check is healthy").
 * The connection takes one round trip from the checker, so the answer is due at RTT + 2 s.
 */
const CHECK_CONNECT_TIMEOUT_MS = 4000;
const CHECK_RESPONSE_AFTER_CONNECT_MS = 2000;

export interface DnsEvent {
  atMs: number;
  cell: number;
  kind: "unhealthy" | "healthy" | "answer";
  region: string;
}

interface CheckerState {
  healthy: boolean;
  failures: number;
  successes: number;
}

/**
 * DNS failover as Route 53 does it, since DNS is not our code: a failover record pair per cell
 * (primary: the cell's preferred region, secondary: the other), health checks from several
 * checker locations every 10 or 30 s, each checker flipping after failureThreshold consecutive
 * results, a region healthy while more than 18% of checkers say so; the answer is the primary
 * if healthy, else the secondary if healthy, else the primary (Route 53 answers the primary when
 * both are unhealthy). Clients cache answers for the TTL (dns-client-target.ts).
 */
export class Route53Model {
  readonly events: DnsEvent[] = [];
  private readonly states = new Map<string, CheckerState>();
  private readonly regionHealthy = new Map<string, boolean>();
  private readonly answers: string[];

  constructor(
    private readonly clock: VirtualClock,
    private readonly network: SimNetwork,
    private readonly spec: DnsModelSpec,
    private readonly cells: readonly Cell[],
    private readonly random: Random,
    private readonly onAnswerChange: (cell: Cell, region: string) => void,
    /** The AWS region a checker location is in (its failure domain), if any. */
    private readonly awsRegionOf: (location: string) => string | undefined = () => undefined,
  ) {
    this.answers = cells.map((c) => c.activeAtStart);
  }

  /** The region a resolver gets for this cell's record now. */
  answer(cellIndex: number): string {
    return this.answers[cellIndex]!;
  }

  start(stopAtMs: number): void {
    const intervalMs = this.spec.requestIntervalS * 1000;
    this.spec.checkers.forEach((location, c) => {
      const checker: Endpoint = {
        id: `route53:${location}#${c}`,
        kind: "checker",
        location,
        name: `route53-${location}`,
      };
      const awsRegion = this.awsRegionOf(location);
      if (awsRegion !== undefined) checker.awsRegion = awsRegion;
      for (const cell of this.cells) {
        for (const region of cell.regions.values()) {
          this.states.set(this.key(cell, region.name, c), { healthy: true, failures: 0, successes: 0 });
          // Checkers are not synchronised: each starts at its own point in the interval.
          const firstMs = this.random.next() * intervalMs;
          const probe = () => {
            if (this.clock.exactMs >= stopAtMs) return;
            this.probe(checker, cell, region.name, region.endpoint, c);
            this.clock.at(this.clock.exactMs + intervalMs, probe);
          };
          this.clock.at(firstMs, probe);
        }
      }
    });
  }

  private probe(checker: Endpoint, cell: Cell, region: string, target: Endpoint, checkerIndex: number): void {
    // A checker whose AWS region is out reports nothing (it neither passes nor fails a check).
    if (this.network.internals.faults.awsRegionDown(checker.awsRegion, this.clock.exactMs)) return;
    const url = `http://${region}${cell.config.dns?.healthCheck.path ?? "/readyz"}`;
    this.network
      .send(checker, target, new Request(url), {
        connectTimeoutMs: CHECK_CONNECT_TIMEOUT_MS,
        responseTimeoutMs:
          this.network.internals.links.between(checker, target).rttMs + CHECK_RESPONSE_AFTER_CONNECT_MS,
      })
      .then(
        (response) => this.count(cell, region, checkerIndex, response.status >= 200 && response.status < 400),
        () => this.count(cell, region, checkerIndex, false),
      );
  }

  private count(cell: Cell, region: string, checkerIndex: number, passed: boolean): void {
    const state = this.states.get(this.key(cell, region, checkerIndex))!;
    if (passed) {
      state.failures = 0;
      state.successes++;
      if (!state.healthy && state.successes >= this.spec.failureThreshold) state.healthy = true;
    } else {
      state.successes = 0;
      state.failures++;
      if (state.healthy && state.failures >= this.spec.failureThreshold) state.healthy = false;
    }
    this.update(cell, region);
  }

  private update(cell: Cell, region: string): void {
    const n = this.spec.checkers.length;
    let healthyCount = 0;
    for (let c = 0; c < n; c++) if (this.states.get(this.key(cell, region, c))!.healthy) healthyCount++;
    const healthy = healthyCount / n > this.spec.healthyCheckerShare;
    const key = `${cell.index}|${region}`;
    const was = this.regionHealthy.get(key) ?? true;
    if (healthy === was) return;
    this.regionHealthy.set(key, healthy);
    this.events.push({
      atMs: this.clock.exactMs,
      cell: cell.index,
      kind: healthy ? "healthy" : "unhealthy",
      region,
    });
    this.reanswer(cell);
  }

  private reanswer(cell: Cell): void {
    const primary = cell.activeAtStart;
    const secondary = [...cell.regions.keys()].find((r) => r !== primary)!;
    const isHealthy = (r: string) => this.regionHealthy.get(`${cell.index}|${r}`) ?? true;
    const answer = isHealthy(primary) ? primary : isHealthy(secondary) ? secondary : primary;
    if (answer === this.answers[cell.index]) return;
    this.answers[cell.index] = answer;
    this.events.push({ atMs: this.clock.exactMs, cell: cell.index, kind: "answer", region: answer });
    this.onAnswerChange(cell, answer);
  }

  private key(cell: Cell, region: string, checkerIndex: number): string {
    return `${cell.index}|${region}|${checkerIndex}`;
  }
}
