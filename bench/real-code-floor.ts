/**
 * The floor under any simulator of this system: the real router and region code alone, called
 * in-process one request after another, with no network model, no event queue, no clients and
 * no recorder. Whatever a simulator adds comes on top of this.
 *
 * Same request mix as the simulator bench (5% POST with an Idempotency-Key, the rest GETs of
 * recently created items), the production environment's config, memory stores, and the
 * simulator's light Request/Response classes (the cheapest the code can be fed). Time stands
 * still, so no timer fires: health probes, control-record refreshes and the standby applying
 * replicated writes are left out, which makes this a lower bound.
 */

import { environmentFile, loadConfigFile } from "../config/load-config.ts";
import type { Clock, TimerHandle } from "../core/clock.ts";
import { MemoryControlStore } from "../core/control.ts";
import { seededRandom } from "../core/random.ts";
import { type RawTransport, rawOfResponse } from "../core/transport.ts";
import { createRegionService, type RegionService } from "../regions/service/region-service.ts";
import { MemoryStore } from "../regions/store/memory-store.ts";
import { createRouter } from "../router/create-router.ts";
import { KnownIds } from "../simulator/clients/known-ids.ts";
import { installLightResponse } from "../simulator/engine/run-globals.ts";
import { responseParts } from "../simulator/transport/light-response.ts";
import { WireRequest } from "../simulator/transport/wire-request.ts";

export interface FloorResult {
  requests: number;
  writes: number;
  wallS: number;
  cpuS: number;
}

/**
 * Sends `requests` requests through the real router to the real active region, one at a time,
 * after `warmUpRequests` unmeasured ones (JIT, the first items), as the simulator's first minutes do.
 */
export async function realCodeFloor(
  requests: number,
  writeShare: number,
  warmUpRequests = 20_000,
): Promise<FloorResult> {
  const removeLightResponse = installLightResponse();
  try {
    const config = loadConfigFile(environmentFile("production"));
    const clock = stillClock(Date.UTC(2026, 0, 1));
    const control = new MemoryControlStore({
      activeRegion: config.initialActive,
      epoch: 1,
      updatedAtMs: clock.nowMs(),
      reason: "bench",
    });
    const regions = new Map<string, RegionService>();
    // The simulator's raw path (simulator/transport/sim-network.ts), minus the network.
    const raw: RawTransport = async (region, request) => {
      const { url, method, headers, body } = request;
      const received = new WireRequest(url, method, headers, body) as unknown as Request;
      const response = await regions.get(region)!.app.fetch(received);
      return responseParts(response) ?? rawOfResponse(response);
    };
    const fetchPath = async (region: string, request: Request) => regions.get(region)!.app.fetch(request);
    const transport = Object.assign(fetchPath, { raw });
    for (const region of config.regions) {
      const store = new MemoryStore();
      const random = seededRandom(1);
      regions.set(
        region.name,
        createRegionService({ config, regionName: region.name, store, control, clock, transport, random }),
      );
    }
    const router = createRouter({
      config,
      routerId: "floor",
      clock,
      transport,
      random: seededRandom(2),
      control,
      adminToken: "bench",
    });
    router.start();
    const random = seededRandom(3);
    const known = new KnownIds();
    let writes = 0;
    const send = async (n: number): Promise<void> => {
      const write = random.next() < writeShare;
      const id = write ? undefined : known.pick(random);
      const request = write
        ? new WireRequest(
            "http://items.sim/items",
            "POST",
            { "content-type": "application/json", "idempotency-key": `floor-${n}` },
            `{"data":{"client":"us-users","n":${n}}}`,
          )
        : new WireRequest(id ? `http://items.sim/items/${id}` : "http://items.sim/items?limit=1", "GET", {});
      const response = await router.app.fetch(request as unknown as Request);
      if (write) {
        writes++;
        if (response.status !== 201) throw new Error(`floor: POST answered ${response.status}`);
        known.add(((await response.json()) as { id: string }).id);
      } else if (response.status !== 200) throw new Error(`floor: GET answered ${response.status}`);
    };
    for (let n = 0; n < warmUpRequests; n++) await send(-n - 1);
    writes = 0;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    for (let n = 0; n < requests; n++) await send(n);
    const used = process.cpuUsage(cpu0);
    router.stop();
    return {
      requests,
      writes,
      wallS: (performance.now() - started) / 1000,
      cpuS: (used.user + used.system) / 1e6,
    };
  } finally {
    removeLightResponse();
  }
}

/** A clock that never moves: timers are accepted and never fire (see the file comment). */
function stillClock(nowMs: number): Clock {
  const never: TimerHandle = { cancel: () => {} };
  return { nowMs: () => nowMs, setTimer: () => never };
}
