import { pino } from "pino";
import { systemClock } from "../../core/clock.ts";
import { cryptoRandom } from "../../core/random.ts";
import type { ServedApp } from "../../core/serve-app.ts";
import { createHttpTransport } from "../../router/transport/http-transport.ts";
import { loadEnvironment } from "../config/load-config.ts";
import type { EnvName } from "../config/schema.ts";
import { createControlStore, createStore } from "../store/create-store.ts";
import { createRegionService } from "./region-service.ts";
import { serveRegion } from "./serve-region.ts";

/**
 * The production composition of one region (`failover serve region`): the environment's config,
 * its store and control record, the pooled HTTP transport to the peer, the system clock, and
 * randomness from the OS. Listens on the port of the region's endpoint unless told otherwise.
 */
export async function startRegionServer(options: {
  env: EnvName;
  regionName: string;
  port?: number | undefined;
  host: string;
}): Promise<ServedApp> {
  const config = loadEnvironment(options.env);
  const region = config.regions.find((r) => r.name === options.regionName);
  if (!region) {
    const names = config.regions.map((r) => r.name).join(", ");
    throw new Error(`region "${options.regionName}" is not in the ${config.name} environment (${names})`);
  }
  const logger = pino({
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: "failover-region", region: region.name },
  });
  const store = await createStore(config, region.name);
  // The control replica in this region's AWS region first (the nearest), the others after it.
  const control = await createControlStore(config, { nearAwsRegion: region.awsRegion });
  const http = createHttpTransport(config);
  const service = createRegionService({
    config,
    regionName: region.name,
    store,
    control,
    clock: systemClock,
    transport: http.transport,
    random: cryptoRandom(),
    logger,
  });
  const port = options.port ?? Number(new URL(region.endpoint).port || 80);
  const served = await serveRegion(service, { port, host: options.host });
  logger.info(
    { url: served.url, store: config.store.kind, replication: config.replication.mode },
    "region serving",
  );
  return {
    ...served,
    close: async () => {
      await served.close();
      await store.close();
      await http.close();
    },
  };
}
