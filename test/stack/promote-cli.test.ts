import { describe, expect, it } from "vitest";
import type { RunningStack } from "../../stack/start-stack.ts";
import { failoverOnce, runFailover } from "./support/cli-process.ts";
import { injectFault } from "./support/control.ts";
import { eventually } from "./support/http.ts";
import { ADMIN_TOKEN, STACK_SYNC_TIMEOUT_MS, stackPerTest } from "./support/test-stack.ts";

const stacks = stackPerTest();

const promote = (s: RunningStack, ...args: string[]) =>
  failoverOnce(["promote", "--router", s.routerUrl, "--token", ADMIN_TOKEN, ...args]);

describe("failover promote (a real process against a running stack)", () => {
  it("sync mode: refuses a standby that is not recorded in sync unless --accept-data-loss, then promotes it", async () => {
    const stack = await stacks.start({ replication: { mode: "sync", syncTimeoutMs: STACK_SYNC_TIMEOUT_MS } });
    const s = stack;
    // Cut replication: prod-us records that it has no synchronous standby on its next write.
    await injectFault(s, { kind: "partition", between: ["prod-us", "prod-ie"] });
    await eventually("prod-us to acknowledge a write without its standby", async () => {
      const res = await fetch(`${s.routerUrl}/items`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: { n: 1 } }),
      });
      await res.arrayBuffer();
      return res.headers.get("x-replication") === "degraded";
    });
    const refused = await promote(s, "prod-ie");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /not promoted: not_in_sync: prod-ie is not recorded as the synchronous standby/,
    );
    expect(refused.stderr).toMatch(/Known lag: /);
    const accepted = await promote(s, "prod-ie", "--accept-data-loss", "--reason", "drill");
    expect(accepted).toMatchObject({ code: 0, stdout: "promoted: prod-ie is active (epoch 2)\n" });
  });

  it("bad usage exits 2 with a clear message; an unknown region is the router's 400", async () => {
    const stack = await stacks.start();
    const cli = runFailover(["promote", "prod-ie", "--router", stack.routerUrl], {
      FAILOVER_ADMIN_TOKEN: "",
    });
    const noToken = { code: await cli.exited, stderr: cli.stderr() };
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/no admin token/);
    const unknown = await promote(stack, "prod-mars");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/the router refused the request: invalid_body/);
  });
});
