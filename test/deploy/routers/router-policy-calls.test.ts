import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, inject, it } from "vitest";
import { systemClock } from "../../../core/clock.ts";
import { FallbackControlStore } from "../../../core/fallback-control-store.ts";
import { desiredRouters } from "../../../deploy/routers/desired-routers.ts";
import { renderRouterPolicies } from "../../../deploy/routers/router-policy.ts";
import { DynamoDbControlStore } from "../../../regions/store/dynamodb-control-store.ts";
import { controlTableDefinition, ensureTables } from "../../../regions/store/dynamodb-tables.ts";
import { Promoter } from "../../../router/control/promoter.ts";
import { uniqueTablePrefix } from "../../store/dynamodb-test-tables.ts";
import { productionConfig } from "../support/aws-test-env.ts";

// Issue 12: the router role may call exactly what the router calls on the control table, in
// exactly the control table's replica regions. The router's only control-plane code is its
// Promoter (router/control/promoter.ts: load, promote); here it runs against DynamoDB Local
// through one client per replica region, as in AWS (regions/store/create-store.ts), with the
// nearest replica refusing connections so the calls move on to the next. Every call is recorded
// in the clients' middleware stacks and compared with deploy/iam/router-policy.json as deployed.
const ACCOUNT = { id: "123456789012", partition: "aws" };
const clients: DynamoDBClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

interface Statement {
  Action: string | string[];
  Resource: string | string[];
}

function routerPolicyStatements(): Statement[] {
  const desired = desiredRouters(productionConfig(), undefined)!;
  const { policy } = renderRouterPolicies(desired, ACCOUNT);
  return (JSON.parse(policy) as { Statement: Statement[] }).Statement;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

describe("the router role's DynamoDB permissions match the router's calls", () => {
  it("allows exactly GetItem and PutItem, on the control table in each replica region and nothing else", async () => {
    const prefix = uniqueTablePrefix("policy");
    const calls: { region: string; command: string }[] = [];
    const replicas = ["us-east-1", "us-east-2", "us-west-2"].map((region, i) => {
      // us-east-1 (the nearest) refuses: its calls fail and the next replica answers.
      const endpoint = i === 0 ? "http://127.0.0.1:1" : inject("dynamodbEndpoint");
      const client = new DynamoDBClient({
        region,
        endpoint,
        maxAttempts: 1,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      clients.push(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          calls.push({ region, command: context.commandName ?? "?" });
          return next(args);
        },
        { step: "initialize", name: "recordRouterCalls" },
      );
      return {
        name: `control-${region}`,
        store: new DynamoDbControlStore({ client, tablePrefix: prefix, ownsClient: false }),
      };
    });
    await ensureTables(clients[1]!, [controlTableDefinition(prefix)]);
    calls.length = 0;

    const promoter = new Promoter(new FallbackControlStore(replicas), systemClock, "edge-test");
    const first = await promoter.load("prod-us", "prod-ie");
    const promoted = await promoter.promote(first, "prod-ie", "test: prod-us down", true);
    expect(promoted.kind).toBe("promoted");
    const lost = await promoter.promote(first, "prod-ie", "test: a stale router");
    expect(lost.kind).toBe("conflict");

    const actions = new Set(calls.map((c) => `dynamodb:${c.command.replace(/Command$/, "")}`));
    const dynamo = routerPolicyStatements().filter((s) =>
      list(s.Action).some((a) => a.startsWith("dynamodb:")),
    );
    expect(dynamo).toHaveLength(1);
    expect(new Set(list(dynamo[0]!.Action))).toEqual(actions);
    expect([...actions].sort()).toEqual(["dynamodb:GetItem", "dynamodb:PutItem"]);

    const table = "failover-production-control";
    const resources = list(dynamo[0]!.Resource);
    expect(resources).toEqual(
      ["us-east-1", "us-east-2", "us-west-2"].map(
        (r) => `arn:aws:dynamodb:${r}:${ACCOUNT.id}:table/${table}`,
      ),
    );
    // Every region the router called (the refused one included) is one the policy allows.
    for (const region of new Set(calls.map((c) => c.region))) {
      expect(resources).toContain(`arn:aws:dynamodb:${region}:${ACCOUNT.id}:table/${table}`);
    }
    expect(new Set(calls.map((c) => c.region))).toEqual(new Set(["us-east-1", "us-east-2"]));
  }, 60_000);
});
