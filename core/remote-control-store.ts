import type { CompareAndSetResult, ControlRecord, ControlStore, SyncStandbyCondition } from "./control.ts";
import { ControlStoreError } from "./control.ts";
import { CONTROL_CALL_PATH, type ControlCall, compareAndSetCall } from "./control-replica-protocol.ts";
import { FallbackControlStore } from "./fallback-control-store.ts";
import type { SendOptions, Transport } from "./transport.ts";

/**
 * One replica of the control record reached over the injected transport (a network call that
 * pays the link's latency and fails with its faults). Any failure to get an answer (refused,
 * timed out, no quorum) is a ControlStoreError, so FallbackControlStore tries the next replica.
 */
export class RemoteControlStore implements ControlStore {
  constructor(
    private readonly transport: Transport,
    /** The replica's name as the transport resolves it, e.g. "control-us-east-2". */
    readonly replica: string,
    private readonly options: SendOptions,
  ) {}

  async read(): Promise<ControlRecord | undefined> {
    const body = (await this.call({ op: "read" })) as { record: ControlRecord | null };
    return body.record ?? undefined;
  }

  async compareAndSet(
    expectedEpoch: number | null,
    next: ControlRecord,
    expectedSyncStandby?: SyncStandbyCondition,
  ): Promise<CompareAndSetResult> {
    const body = await this.call(compareAndSetCall(expectedEpoch, next, expectedSyncStandby));
    return (body as { result: CompareAndSetResult }).result;
  }

  async setSyncStandby(
    expectedSyncStandby: string | null,
    next: ControlRecord,
  ): Promise<CompareAndSetResult> {
    const body = await this.call({ op: "set-sync-standby", expectedSyncStandby, next });
    return (body as { result: CompareAndSetResult }).result;
  }

  private async call(call: ControlCall): Promise<unknown> {
    const request = new Request(`http://${this.replica}${CONTROL_CALL_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(call),
    });
    let response: Response;
    try {
      response = await this.transport(this.replica, request, this.options);
    } catch (error) {
      // A TransportError's message already names the replica ("control-us-east-1: connection refused").
      throw new ControlStoreError((error as Error).message, { cause: error });
    }
    const text = await response.text();
    if (response.status !== 200) {
      throw new ControlStoreError(`${this.replica}: ${response.status} ${text}`);
    }
    return JSON.parse(text) as unknown;
  }
}

/**
 * The control plane as a router or region reaches it over the network: the replicas nearest
 * first (by the caller's round trip), each a RemoteControlStore, with fallback between them.
 */
export function remoteControlPlane(
  transport: Transport,
  replicasNearestFirst: readonly string[],
  options: SendOptions,
): ControlStore {
  return new FallbackControlStore(
    replicasNearestFirst.map((name) => ({ name, store: new RemoteControlStore(transport, name, options) })),
  );
}

/**
 * Timeouts for one control-plane call: a call slower than a lease renewal interval is overtaken
 * by the next renewal, so the caller moves on to the next replica after one interval without a
 * connection, and after two without an answer.
 */
export function controlCallOptions(lease: { renewIntervalMs: number }): SendOptions {
  return { connectTimeoutMs: lease.renewIntervalMs, responseTimeoutMs: 2 * lease.renewIntervalMs };
}
