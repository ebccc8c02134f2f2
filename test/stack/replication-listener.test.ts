import { describe, expect, it } from "vitest";
import { eventually, sendJson } from "./support/http.ts";
import { stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

describe("the live stack's region-to-region listener", () => {
  it("replicates over its own signed listener; the regions' client ports and the router 404 it", async () => {
    const stack = await stacks.start();
    const created = await sendJson(`${stack.routerUrl}/items`, "POST", {
      data: { over: "signed replication" },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    await eventually("the write on prod-ie", async () => {
      return (await sendJson(`${stack.regionUrls["prod-ie"]}/items/${id}`, "GET")).status === 200;
    });

    const wipe = {
      from: "prod-us",
      epoch: 1,
      senderHead: { seq: 0, epoch: 0 },
      prev: null,
      entries: [],
      resyncAfterSeq: 0,
    };
    for (const url of [stack.regionUrls["prod-ie"], stack.routerUrl]) {
      expect((await sendJson(`${url}/_replication/entries`, "POST", wipe)).status).toBe(404);
      expect((await sendJson(`${url}/%5Freplication/entries`, "POST", wipe)).status).toBe(404);
    }
    const unsigned = await sendJson(`${stack.replicationUrls["prod-ie"]}/_replication/entries`, "POST", wipe);
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.error).toBe("missing_signature");
    expect((await sendJson(`${stack.regionUrls["prod-ie"]}/items/${id}`, "GET")).status).toBe(200);
  });
});
