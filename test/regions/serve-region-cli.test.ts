import { afterEach, describe, expect, it } from "vitest";
import { type CliProcess, runFailover, STACK_FRAME } from "../stack/support/cli-process.ts";
import { distinctFreePorts } from "../stack/support/test-stack.ts";

// `failover serve region` as an operator runs it: a real process.
const running: CliProcess[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill();
});

const quiet = { USER_ENV_NAME: "", ENV_NAME: "", LOG_LEVEL: "silent" };

describe("failover serve region", () => {
  it("serves replication on its own listener: the client port 404s it, the replication port wants a signature", async () => {
    const [port, replicationPort] = await distinctFreePorts("127.0.0.1", 2);
    const cli = runFailover(
      [
        "serve",
        "region",
        "--region",
        "dev-us",
        "--port",
        String(port),
        "--replication-port",
        String(replicationPort),
      ],
      quiet,
    );
    running.push(cli);
    const out = await cli.waitForOutput(/replication on http:\/\/127\.0\.0\.1:\d+/, 30_000);
    expect(out).toContain(
      `serving on http://127.0.0.1:${port}, replication on http://127.0.0.1:${replicationPort}`,
    );
    const batch = JSON.stringify({
      from: "dev-ie",
      epoch: 1,
      senderHead: { seq: 0, epoch: 0 },
      prev: null,
      entries: [],
      resyncAfterSeq: 0,
    });
    const post = (url: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: batch });
    const onClientPort = await post(`http://127.0.0.1:${port}/_replication/entries`);
    expect(onClientPort.status).toBe(404);
    const unsigned = await post(`http://127.0.0.1:${replicationPort}/_replication/entries`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: "missing_signature" });
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  }, 60_000);

  it("production without a replication key refuses to start, naming the variable and the field", async () => {
    const cli = runFailover(
      ["serve", "region", "--env", "production", "--region", "prod-us", "--port", "0"],
      {
        ...quiet,
        FAILOVER_REPLICATION_KEY: "",
      },
    );
    running.push(cli);
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr()).toContain("replicationAuth: no replication key");
    expect(cli.stderr()).toContain("$FAILOVER_REPLICATION_KEY");
    expect(cli.stderr()).not.toMatch(STACK_FRAME);
  }, 60_000);
});
