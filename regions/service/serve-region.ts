import { PortInUseError, type ServedApp, serveApp } from "../../core/serve-app.ts";
import type { RegionService } from "./region-service.ts";

export interface ServedRegion extends ServedApp {
  /** The region-to-region listener (replication), on its own port. */
  replication: ServedApp;
}

/**
 * Serves a region on Node, the client-facing app and the replication app on two listeners, and
 * starts its replication loop; close() stops all three.
 */
export async function serveRegion(
  service: RegionService,
  options: { port: number; host: string; replicationPort: number },
): Promise<ServedRegion> {
  const served = await serveApp(service.app, options);
  let replication: ServedApp;
  try {
    replication = await serveApp(service.replicationApp, {
      port: options.replicationPort,
      host: options.host,
    });
  } catch (error) {
    await served.close();
    if (!(error instanceof PortInUseError)) throw error;
    throw new PortInUseError(
      `replication port ${options.replicationPort} on ${options.host} is already in use; choose another with --replication-port`,
    );
  }
  service.start();
  return {
    ...served,
    replication,
    close: async () => {
      await service.stop();
      await Promise.all([served.close(), replication.close()]);
    },
  };
}
