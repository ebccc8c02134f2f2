import type { TestProject } from "vitest/node";
import { startMotoServer } from "./moto-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of moto's server (Route 53 and STS over HTTP), e.g. http://127.0.0.1:41234. */
    motoEndpoint: string;
  }
}

/**
 * vitest global setup: one moto server for the whole run, on 127.0.0.1 on a free port.
 * Tests read it with `inject("motoEndpoint")`; each test isolates itself in its own moto
 * account (assume a role in a fresh account id) rather than resetting shared state.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMotoServer();
  project.provide("motoEndpoint", moto.endpoint);
  process.env.MOTO_ENDPOINT = moto.endpoint;
  return async () => {
    await moto.stop();
  };
}
