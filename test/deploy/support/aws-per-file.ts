import { afterEach, beforeAll, inject } from "vitest";
import type { EnvironmentConfig } from "../../../config/schema.ts";
import { type AwsTestEnv, awsTestEnv, useInProcess } from "./aws-test-env.ts";
import { type RecordedClients, recordedClients } from "./recorded-clients.ts";

export interface AwsPerFile {
  /** The file's test account and credentials (set before its first test). */
  readonly test: AwsTestEnv;
  /** Recorded AWS clients for `config` in that account; destroyed after the test. */
  clientsFor(config: EnvironmentConfig): RecordedClients;
  /** The clients opened last, e.g. to check what a test's last step sent. */
  last(): RecordedClients;
}

/**
 * The AWS set-up every deploy test file shares: one test account for the file, whose
 * credentials in-process AWS calls use too, on moto (Route 53, STS, and DynamoDB with
 * `dynamodb: "moto"`) or DynamoDB Local (`dynamodb: "local"`), both started by vitest's
 * global setup; and clients that are destroyed after each test, so none keeps sockets open.
 */
export function awsPerFile(options: { dynamodb?: "moto" | "local" } = {}): AwsPerFile {
  let test: AwsTestEnv | undefined;
  const opened: RecordedClients[] = [];
  beforeAll(() => {
    const moto = inject("motoEndpoint");
    const dynamodb =
      options.dynamodb === "moto"
        ? moto
        : options.dynamodb === "local"
          ? inject("dynamodbEndpoint")
          : undefined;
    test = awsTestEnv({ moto, ...(dynamodb === undefined ? {} : { dynamodb }) });
    useInProcess(test);
  });
  afterEach(() => {
    for (const r of opened.splice(0)) r.clients.destroy();
  });
  return {
    get test() {
      if (!test) throw new Error("awsPerFile: the test account is set up in beforeAll");
      return test;
    },
    clientsFor(config) {
      const recorded = recordedClients(config, this.test.env);
      opened.push(recorded);
      return recorded;
    },
    last() {
      const recorded = opened.at(-1);
      if (!recorded) throw new Error("awsPerFile: no clients opened yet");
      return recorded;
    },
  };
}
