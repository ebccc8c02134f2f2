import type { Clock } from "../../../core/clock.ts";
import { REPLICATION_PATH } from "../protocol.ts";
import { signatureHeaders } from "./sign-request.ts";

/** Signs the active region's replication batches (the replicator calls it per request). */
export interface RequestSigner {
  /** Headers for a POST of `body` to `path` (default the replication path), sent in `epoch`. */
  headers(body: Uint8Array | string, epoch: number, path?: string): Record<string, string>;
}

/**
 * A signer on the injected clock. Nonces are `<bootId>.<counter>`: unique per sender as long as
 * two boots of one region never share a bootId, which the caller draws at start-up.
 */
export function requestSigner(key: Uint8Array, from: string, clock: Clock, bootId: string): RequestSigner {
  let counter = 0;
  return {
    headers(body, epoch, path = REPLICATION_PATH) {
      counter += 1;
      return signatureHeaders(key, {
        method: "POST",
        path,
        body,
        from,
        timestampMs: clock.nowMs(),
        epoch,
        nonce: `${bootId}.${counter}`,
      });
    },
  };
}
