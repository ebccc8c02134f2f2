import { parentPort, workerData } from "node:worker_threads";
import { systemClock } from "../../core/clock.ts";
import { cryptoRandom } from "../../core/random.ts";
import { createIdFactory } from "../../regions/service/ids.ts";

// One "region" generating ids as fast as it can, with the production clock and randomness.
const { count } = workerData as { count: number };
const next = createIdFactory(systemClock, cryptoRandom());
const ids = new Array<string>(count);
for (let i = 0; i < count; i++) ids[i] = next();
parentPort!.postMessage(ids);
