import { Hono } from "hono";
import { pino } from "pino";
import type { EnvironmentConfig } from "../../../config/schema.ts";
import { type Clock, systemClock } from "../../../core/clock.ts";
import { MemoryControlStore } from "../../../core/control.ts";
import { seededRandom } from "../../../core/random.ts";
import type { ServedApp } from "../../../core/serve-app.ts";
import type { Transport } from "../../../core/transport.ts";
import { createRegionService, type RegionService } from "../../../regions/service/region-service.ts";
import { serveRegion } from "../../../regions/service/serve-region.ts";
import { MemoryStore } from "../../../regions/store/memory-store.ts";
import { createRouter, type Router } from "../../../router/create-router.ts";
import { serveRouter } from "../../../router/node-server.ts";
import type { HttpTransport } from "../../../router/transport/http-transport.ts";
import { createRuntimeTransport } from "../../../router/transport/runtime-transport.ts";
import { probeTimings, STALL_MS } from "../../support/loaded-machine.ts";
import { FAST_LEASE, LEASE_WAIT_MS, routerEnvironment } from "./router-env.ts";
import { TcpProxy } from "./tcp-proxy.ts";

/**
 * A policy for tests over real sockets that take seconds, with probe timings that a loaded
 * machine's stall does not trip (loopback: no round trip to allow for): fall 3, rise 2,
 * confirmation probes 20 ms apart. A forwarded write may wait out a promoted region's lease
 * before its response timeout; the connect timeout (loopback) allows a stall.
 */
export const FAST_POLICY = {
  healthCheck: { ...probeTimings(0), fallCount: 3, riseCount: 2, fastIntervalMs: 20 },
  connectTimeoutMs: STALL_MS,
  responseTimeoutMs: LEASE_WAIT_MS + STALL_MS,
  minPromotionIntervalMs: 1000,
};

export interface StackOptions {
  proxied?: boolean;
  policy?: Record<string, unknown>;
  /** Every Nth request (not /readyz) to a region answers 500 before reaching the service. */
  errorEvery?: Partial<Record<"prod-us" | "prod-ie", number>>;
  /** Sees every request a region receives (after the router), e.g. to check forwarded headers. */
  onRegionRequest?: (region: string, request: Request) => void;
}

export interface RegionNode {
  name: string;
  service: RegionService;
  store: MemoryStore;
  served: ServedApp | undefined;
  /** The port the router reaches it on (the proxy's, when proxied). */
  port: number;
  regionPort: number;
  proxy: TcpProxy | undefined;
}

export interface RouterNode {
  router: Router;
  served: ServedApp;
  url: string;
  transport: HttpTransport;
}

export interface Stack {
  config: EnvironmentConfig;
  control: MemoryControlStore;
  regions: Record<"prod-us" | "prod-ie", RegionNode>;
  routers: RouterNode[];
  addRouter(routerId: string, adminToken?: string): Promise<RouterNode>;
  /** Closes a region's server: new connections are refused. */
  kill(name: "prod-us" | "prod-ie"): Promise<void>;
  close(): Promise<void>;
}

/**
 * prod-us and prod-ie as real region services (memory stores, one shared control record) on
 * 127.0.0.1, optionally behind TCP proxies, and routers in front of them over the pooled HTTP
 * transport, all on the system clock.
 */
export async function regionStack(options: StackOptions = {}): Promise<Stack> {
  const clock: Clock = systemClock;
  const control = new MemoryControlStore();
  let replication: Transport | undefined;
  const lateTransport: Transport = (region, request, opts) => {
    if (!replication) throw new Error("stack not ready");
    return replication(region, request, opts);
  };
  const placeholder = routerEnvironment(options.policy ?? FAST_POLICY, { control: { lease: FAST_LEASE } });
  const nodes = {} as Stack["regions"];
  const replicationUrls: string[] = [];
  for (const [i, name] of (["prod-us", "prod-ie"] as const).entries()) {
    const store = new MemoryStore();
    const service = createRegionService({
      config: placeholder,
      regionName: name,
      store,
      control,
      clock,
      transport: lateTransport,
      random: seededRandom(i + 1),
      logger: pino({ level: "silent" }),
    });
    const wrapped = { ...service, app: wrapRegion(name, service.app, options) };
    const served = await serveRegion(wrapped, { port: 0, host: "127.0.0.1", replicationPort: 0 });
    replicationUrls.push(served.replication.url);
    const proxy = options.proxied ? new TcpProxy(served.port) : undefined;
    const port = proxy ? await proxy.listen() : served.port;
    nodes[name] = { name, service, store, served, port, regionPort: served.port, proxy };
  }
  const config = routerEnvironment(options.policy ?? FAST_POLICY, { control: { lease: FAST_LEASE } }, [
    `http://127.0.0.1:${nodes["prod-us"].port}`,
    `http://127.0.0.1:${nodes["prod-ie"].port}`,
  ]);
  // Replication goes straight to each region's own replication listener (not via a proxy).
  const replicationTransport = createRuntimeTransport({
    ...config,
    regions: config.regions.map((r, i) => ({ ...r, endpoint: replicationUrls[i]! })),
  });
  replication = replicationTransport.transport;
  const routers: RouterNode[] = [];

  const stack: Stack = {
    config,
    control,
    regions: nodes,
    routers,
    async addRouter(routerId, adminToken) {
      const transport = createRuntimeTransport(config);
      const router = createRouter({
        config,
        routerId,
        clock,
        transport: transport.transport,
        random: seededRandom(routers.length + 10),
        control,
        adminToken,
      });
      const served = await serveRouter(router, { port: 0, host: "127.0.0.1" });
      router.start();
      const node = { router, served, url: served.url, transport };
      routers.push(node);
      return node;
    },
    async kill(name) {
      const node = nodes[name];
      await node.served?.close();
      node.served = undefined;
    },
    async close() {
      for (const r of routers) {
        r.router.stop();
        await r.served.close();
        await r.transport.close();
      }
      for (const node of Object.values(nodes)) {
        await node.served?.close();
        await node.proxy?.close();
      }
      await replicationTransport.close();
    },
  };
  return stack;
}

/** The region's own app behind a thin layer that can record requests and inject 500s. */
function wrapRegion(name: "prod-us" | "prod-ie", app: Hono, options: StackOptions): Hono {
  const every = options.errorEvery?.[name];
  let count = 0;
  const outer = new Hono();
  outer.all("*", (c) => {
    options.onRegionRequest?.(name, c.req.raw);
    if (every !== undefined && c.req.path !== "/readyz" && ++count % every === 0) {
      return c.json({ error: "injected", detail: "fault injected by the test" }, 500, { "x-region": name });
    }
    return app.fetch(c.req.raw);
  });
  return outer;
}
