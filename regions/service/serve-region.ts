import { type ServedApp, serveApp } from "../../core/serve-app.ts";
import type { RegionService } from "./region-service.ts";

/** Serves a region on Node and starts its replication loop; close() stops both. */
export async function serveRegion(
  service: RegionService,
  options: { port: number; host: string },
): Promise<ServedApp> {
  const served = await serveApp(service.app, options);
  service.start();
  return {
    ...served,
    close: async () => {
      await service.stop();
      await served.close();
    },
  };
}
