import { Hono } from "hono";
import type { ServedApp } from "../core/serve-app.ts";
import type { RegionService } from "../regions/service/region-service.ts";
import type { StoreLatency } from "../regions/store/delayed-store.ts";
import type { Store } from "../regions/store/store.ts";
import type { RegionGate } from "./region-gate.ts";
import { serveOnPort } from "./serve-on-port.ts";

/**
 * One region of the live stack: its service on its own port (and its replication listener on
 * another), behind its gate. Taking it down
 * closes the listening socket (connections are really refused) and stops its replication;
 * bringing it up serves the same service and store again, like a process restarting on
 * durable storage. Up and down are queued, so a heal never races a flap half-way through.
 */
export class LiveRegion {
  private served: ServedApp | undefined;
  private servedReplication: ServedApp | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly front = new Hono();
  /** The replication listener, behind the same gate: a fault on the region acts on both. */
  private readonly replicationFront = new Hono();

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly host: string,
    readonly service: RegionService,
    readonly store: Store,
    readonly gate: RegionGate,
    readonly replicationPort: number,
    /** How much longer each of its store calls takes (the store-latency-spike fault sets it). */
    readonly storeLatency: StoreLatency = { addedLatencyMs: 0, jitterMs: 0 },
  ) {
    this.front.all("*", async (c) => (await this.gate.intercept()) ?? this.service.app.fetch(c.req.raw));
    this.replicationFront.all(
      "*",
      async (c) => (await this.gate.intercept()) ?? this.service.replicationApp.fetch(c.req.raw),
    );
  }

  get up(): boolean {
    return this.served !== undefined;
  }

  bringUp(): Promise<void> {
    return this.queued(async () => {
      if (this.served) return;
      this.served = await serveOnPort(this.front, this.port, this.host, "--region-ports");
      try {
        this.servedReplication = await serveOnPort(
          this.replicationFront,
          this.replicationPort,
          this.host,
          "--region-ports",
        );
      } catch (error) {
        await this.served.close();
        this.served = undefined;
        throw error;
      }
      this.service.start();
    });
  }

  takeDown(): Promise<void> {
    return this.queued(async () => {
      const served = this.served;
      if (!served) return;
      this.served = undefined;
      const replication = this.servedReplication;
      this.servedReplication = undefined;
      await this.service.stop();
      // Both sockets at once, as a process dying closes them: nothing answers in between.
      await Promise.all([served.close(), replication?.close()]);
    });
  }

  private queued(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => {});
    return run;
  }
}
