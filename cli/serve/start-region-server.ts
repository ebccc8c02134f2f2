import { pino } from "pino";
import { loadEnvironment } from "../../config/load-config.ts";
import type { EnvName } from "../../config/schema.ts";
import { systemClock } from "../../core/clock.ts";
import { cryptoRandom } from "../../core/random.ts";
import { resolveReplicationKey } from "../../regions/replication/auth/replication-key.ts";
import { secretsManagerFetcher } from "../../regions/replication/auth/replication-key-secret.ts";
import { createRegionService } from "../../regions/service/region-service.ts";
import { replicationEndpointOf, replicationTopology } from "../../regions/service/replication-endpoints.ts";
import { type ServedRegion, serveRegion } from "../../regions/service/serve-region.ts";
import { createControlStore, createStore } from "../../regions/store/create-store.ts";
import { createHttpTransport } from "../../router/transport/http-transport.ts";

/**
 * The production composition of one region (`failover serve region`): the environment's config,
 * its store and control record, the pooled HTTP transport to the peer, the system clock, and
 * randomness from the OS. Listens on the port of the region's endpoint unless told otherwise.
 * It lives with the CLI, above the parts it wires: the regional service must not import the
 * router, whose HTTP transport it is handed here (see .dependency-cruiser.cjs).
 */
export async function startRegionServer(options: {
  env: EnvName;
  regionName: string;
  port?: number | undefined;
  replicationPort?: number | undefined;
  host: string;
}): Promise<ServedRegion> {
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
  // First, before any connection is opened: staging and production refuse to start without a key.
  const replicationKey = await resolveReplicationKey(config, {
    env: process.env,
    awsRegion: region.awsRegion,
    fetchSecret: secretsManagerFetcher(
      config.aws?.profile !== undefined ? { profile: config.aws.profile } : {},
    ),
  });
  const replicationUrl = replicationEndpointOf(config, region);
  const store = await createStore(config, region.name);
  // The control replica in this region's AWS region first (the nearest), the others after it.
  const control = await createControlStore(config, { nearAwsRegion: region.awsRegion });
  const http = createHttpTransport(config);
  const replicationHttp = createHttpTransport(replicationTopology(config));
  const service = createRegionService({
    config,
    regionName: region.name,
    store,
    control,
    clock: systemClock,
    transport: http.transport,
    replicationTransport: replicationHttp.transport,
    replicationKey,
    random: cryptoRandom(),
    logger,
  });
  const port = options.port ?? portOf(region.endpoint);
  const replicationPort = options.replicationPort ?? portOf(replicationUrl);
  const served = await serveRegion(service, { port, host: options.host, replicationPort });
  logger.info(
    {
      url: served.url,
      replicationUrl: served.replication.url,
      store: config.store.kind,
      replication: config.replication.mode,
    },
    "region serving",
  );
  return {
    ...served,
    close: async () => {
      await served.close();
      await store.close();
      await http.close();
      await replicationHttp.close();
    },
  };
}

function portOf(url: string): number {
  const parsed = new URL(url);
  return Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
}
