import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "./dynamodb-local.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** DynamoDB Local for this test run, e.g. http://127.0.0.1:41234 (read with `inject`). */
    dynamodbEndpoint: string;
  }
}

/**
 * vitest globalSetup: one DynamoDB Local (in memory) for the whole run, on 127.0.0.1 on a
 * free port, stopped at the end. Tests read its address with `inject("dynamodbEndpoint")`;
 * child processes and scripts get it as DYNAMODB_ENDPOINT. Tests keep apart by using a unique
 * table prefix each.
 *
 * With DYNAMODB_ENDPOINT already set, that server is used and nothing is started.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const preset = process.env.DYNAMODB_ENDPOINT;
  if (preset) {
    project.provide("dynamodbEndpoint", preset);
    return undefined;
  }
  const local = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  project.provide("dynamodbEndpoint", local.endpoint);
  if (process.env.FAILOVER_TEST_VERBOSE) {
    console.log(`DynamoDB Local answering on ${local.endpoint} after ${local.startMs} ms`);
  }
  return async () => {
    delete process.env.DYNAMODB_ENDPOINT;
    await local.stop();
  };
}
