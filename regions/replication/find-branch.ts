import type { LogPosition, Store } from "../store/store.ts";

/**
 * The last seq at which the standby's log and ours agree, given the standby's head. Logs agree
 * on a prefix and differ after it, and entries written after a promotion carry a higher epoch,
 * so walking back from the standby's head to an entry of ours with an epoch no higher than the
 * standby's head finds the branch point. Bounded by the diverged tail's length.
 */
export async function findBranchSeq(store: Store, peerHead: LogPosition): Promise<number> {
  const head = await store.head();
  let seq = Math.min(peerHead.seq, head.seq);
  while (seq > 0) {
    const [entry] = await store.readLog(seq - 1, 1);
    if (entry && entry.epoch <= peerHead.epoch) return seq;
    seq--;
  }
  return 0;
}
