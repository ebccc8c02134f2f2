import { describe, expect, it } from "vitest";
import { DEVELOPMENT_REPLICATION_KEY } from "../../regions/replication/auth/replication-key.ts";
import { signatureHeaders } from "../../regions/replication/auth/sign-request.ts";
import type { OrphanView } from "../../regions/replication/orphaned-writes.ts";
import type { Item } from "../../regions/store/store.ts";
import { postJson, RENEW_INTERVAL_MS, regionPairEachTest, withClock } from "../support/region-pair.ts";

const pair = regionPairEachTest();

/** prod-us accepts `lost` writes prod-ie never gets, prod-ie is promoted, prod-us rejoins and resyncs. */
async function orphanWrites(lost: Record<string, unknown>[]): Promise<Item[]> {
  for (let i = 0; i < 2; i++) await pair.us.app.request("/items", postJson({ data: { kept: i } }));
  await pair.clock.advance(500);
  pair.down.add("prod-ie");
  const items: Item[] = [];
  for (const data of lost) {
    const res = await pair.us.app.request("/items", postJson({ data }));
    expect(res.status).toBe(201);
    items.push((await res.json()) as Item);
  }
  await pair.us.stop(); // prod-us is lost: it sends nothing more until it rejoins
  const current = await pair.control.read();
  await pair.control.compareAndSet(current!.epoch, {
    activeRegion: "prod-ie",
    epoch: current!.epoch + 1,
    updatedAtMs: pair.clock.nowMs(),
    reason: "test promotion",
  });
  pair.down.delete("prod-ie");
  pair.down.add("prod-us");
  await pair.clock.advance(RENEW_INTERVAL_MS); // prod-ie learns it is active (and waits out the lease)
  const after = await withClock(
    pair.clock,
    pair.ie.app.request("/items", postJson({ data: { after: true } })),
  );
  expect(after.status).toBe(201);
  pair.down.delete("prod-us");
  pair.us.start();
  await pair.clock.advance(1000);
  return items;
}

async function listed(query = ""): Promise<{ count: number; orphaned: OrphanView[]; next: string | null }> {
  const res = await pair.us.app.request(`/region/orphaned${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { count: number; orphaned: OrphanView[]; next: string | null };
}

function markRequest(id: string, body: unknown, signed = true, nonce = `mark-${id}`) {
  const path = `/_replication/orphans/${id}/reapplied`;
  const text = JSON.stringify(body);
  const headers = signed
    ? signatureHeaders(DEVELOPMENT_REPLICATION_KEY, {
        method: "POST",
        path,
        body: text,
        from: "prod-ie",
        timestampMs: pair.clock.nowMs(),
        epoch: 2,
        nonce,
      })
    : {};
  return pair.us.replicationApp.request(path, postJson(text, headers));
}

describe("orphaned writes are kept whole and durable", () => {
  it("keeps each orphan's whole log entry in the store, after the resync cleared the data", async () => {
    const lost = await orphanWrites([{ lost: 0, nested: { list: [1, "two"] } }, { lost: 1 }]);
    // The resync cleared prod-us's data: the lost items are gone from its items...
    for (const item of lost) expect(await pair.stores.us.getItem(item.id)).toBeUndefined();
    // ...but not from its orphans, whole: data, epoch, seq, origin, time.
    const stored = await pair.stores.us.listOrphans(undefined, 10);
    expect(stored.map((o) => o.entry)).toEqual([
      { seq: 3, epoch: 1, origin: "prod-us", atMs: lost[0]!.createdAtMs, op: { kind: "put", item: lost[0] } },
      { seq: 4, epoch: 1, origin: "prod-us", atMs: lost[1]!.createdAtMs, op: { kind: "put", item: lost[1] } },
    ]);
    const page = await listed();
    expect(page.count).toBe(2);
    expect(page.orphaned.map((o) => [o.kind, o.itemId, o.seq, o.epoch, o.reapplied])).toEqual([
      ["put", lost[0]!.id, 3, 1, null],
      ["put", lost[1]!.id, 4, 1, null],
    ]);
  });

  it("pages GET /region/orphaned by id", async () => {
    await orphanWrites([{ n: 0 }, { n: 1 }, { n: 2 }]);
    const first = await listed("?limit=2");
    expect(first.orphaned.length).toBe(2);
    expect(first.next).toBe(first.orphaned[1]!.id);
    const second = await listed(`?limit=2&after=${first.next}`);
    expect(second.orphaned.map((o) => o.seq)).toEqual([5]);
    expect(second.next).toBeNull();
    expect((await pair.us.app.request("/region/orphaned?limit=0")).status).toBe(400);
  });

  it("marks an orphan re-applied only on a signed request, once", async () => {
    await orphanWrites([{ n: 0 }]);
    const [orphan] = (await listed()).orphaned;
    const where = { region: "prod-ie", seq: 9, epoch: 2 };
    const unsigned = await markRequest(orphan!.id, where, false);
    expect(unsigned.status).toBe(401);
    expect((await listed()).orphaned[0]!.reapplied).toBeNull();
    const marked = await markRequest(orphan!.id, where);
    expect(marked.status).toBe(200);
    expect((await listed()).orphaned[0]!.reapplied).toMatchObject(where);
    const again = await markRequest(orphan!.id, where, true, "another-nonce");
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "already_reapplied" });
    expect((await markRequest("e1-s1", where, true, "n3")).status).toBe(404);
  });
});
