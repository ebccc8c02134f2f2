import { afterEach, describe, expect, inject, it } from "vitest";
import { type CliProcess, runFailover } from "./support/cli-process.ts";
import { healFault, injectFault, region, stackStatus, waitForActive } from "./support/control.ts";
import { eventually, sendJson } from "./support/http.ts";
import { distinctFreePorts, stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();
const running: CliProcess[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill();
});

/** `failover up` on DynamoDB Local, on the ports given. */
function upOnDynamoDb(port: number, controlPort: number, extra: string[] = []): string[] {
  return [
    "up",
    ...extra,
    "--store",
    "dynamodb",
    "--dynamodb-endpoint",
    inject("dynamodbEndpoint"),
    "--port",
    String(port),
    "--control-port",
    String(controlPort),
  ];
}

describe("the live stack on DynamoDB Local", () => {
  it("stores writes in DynamoDB, replicates them, and fails over to prod-ie through the DynamoDB control record", async () => {
    const endpoint = inject("dynamodbEndpoint");
    const stack = await stacks.start({
      store: { kind: "dynamodb", tablePrefix: `live-stack-${Date.now()}`, endpoint },
      // A generous sync timeout: a cold or busy DynamoDB Local slower than syncTimeoutMs turns the
      // write into a "degraded" acknowledgement without prod-ie (degrade-to-async, the default),
      // which prod-ie does not hold yet (a CI run saw that 404 at production's 2 s). The router's
      // response timeout and the client's 10 s (sendJson) sit above it.
      replication: { mode: "sync", syncTimeoutMs: 8000 },
      // DynamoDB Local is a JVM on a shared 2-core machine: a write and its replication can take
      // seconds when it is busy. FAST_ROUTER's probe timings already allow a stall.
      router: { responseTimeoutMs: 9000 },
    });
    // The first write is each region's first to its new DynamoDB Local tables: on a loaded machine
    // that outlasted even 8 s, and prod-us answered 503 replication_timeout, "retry it (with the
    // same Idempotency-Key)". A client does that; so does this, until the write is acknowledged.
    const before = await eventually(
      "the first write to be acknowledged",
      async () => {
        const answer = await sendJson(
          `${stack.routerUrl}/items`,
          "POST",
          { data: { store: "dynamodb" } },
          { "idempotency-key": "ddb-0" },
        );
        return answer.status === 503 && answer.json.error === "replication_timeout" ? undefined : answer;
      },
      60_000,
    );
    expect(before.status, JSON.stringify(before.json)).toBe(201);
    expect(before.headers.get("x-replication")).toBeNull();
    const id = before.json.id as string;
    // Sync replication: acknowledged means prod-ie's DynamoDB table holds it already.
    expect((await fetch(`${stack.regionUrls["prod-ie"]}/items/${id}`)).status).toBe(200);

    const fault = await injectFault(stack, { kind: "region-down", region: "prod-us" });
    const moved = await waitForActive(stack, "prod-ie");
    expect(moved.router.epoch).toBe(2);
    const after = await sendJson(
      `${stack.routerUrl}/items`,
      "POST",
      { data: { after: "failover" } },
      { "idempotency-key": "ddb-1" },
    );
    expect(after.status).toBe(201);
    expect(after.headers.get("x-served-by")).toBe("prod-ie");
    const read = await sendJson(`${stack.routerUrl}/items/${id}`, "GET");
    expect(read.status).toBe(200);
    expect(read.json.data).toEqual({ store: "dynamodb" });

    // store-down only works on the memory store: refused with a reason, nothing changed.
    const storeDown = await sendJson(`${stack.controlUrl}/faults`, "POST", {
      kind: "store-down",
      region: "prod-ie",
    });
    expect(storeDown.status).toBe(400);
    expect(storeDown.json.detail).toMatch(/memory store/);

    await healFault(stack, fault.id);
    await eventually("prod-us to rejoin as standby", async () => {
      const us = region(await stackStatus(stack), "prod-us");
      return us.up && us.role === "standby" && us.epoch === 2;
    });
  });

  it("`failover up --store dynamodb --dynamodb-endpoint` serves writes and stops cleanly", async () => {
    const [port, controlPort] = await distinctFreePorts("127.0.0.1", 2);
    const cli = runFailover(upOnDynamoDb(port!, controlPort!));
    running.push(cli);
    const out = await cli.waitForOutput(/Ctrl-C to stop/);
    expect(out).toContain("store dynamodb");
    const created = await sendJson(`http://127.0.0.1:${port}/items`, "POST", { data: { via: "cli" } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  });

  it("`failover up --store dynamodb` keeps its tables across a restart with the same flags; --fresh starts empty", async () => {
    const [port, controlPort] = await distinctFreePorts("127.0.0.1", 2);
    // staging's topology: only this test uses its default prefix (failover-live-staging).
    const flags = upOnDynamoDb(port!, controlPort!, ["--env", "staging"]);
    const start = async (extra: string[] = []) => {
      const cli = runFailover([...flags, ...extra]);
      running.push(cli);
      await cli.waitForOutput(/Ctrl-C to stop/);
      return cli;
    };
    const stop = async (cli: CliProcess) => {
      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
    };
    const first = await start();
    const created = await sendJson(`http://127.0.0.1:${port}/items`, "POST", {
      data: { kept: "across restarts" },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id as string;
    await stop(first);

    const second = await start();
    const again = await sendJson(`http://127.0.0.1:${port}/items/${id}`, "GET");
    expect(again.status).toBe(200);
    expect(again.json.data).toEqual({ kept: "across restarts" });
    await stop(second);

    const fresh = await start(["--fresh"]);
    expect((await sendJson(`http://127.0.0.1:${port}/items/${id}`, "GET")).status).toBe(404);
    await stop(fresh);
  }, 180_000);
});
