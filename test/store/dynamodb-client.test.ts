import { describe, expect, it } from "vitest";
import type { StoreConfig } from "../../config/schema.ts";
import {
  chooseCredentials,
  createDynamoDbClient,
  isLoopbackUrl,
  LOCAL_DUMMY_CREDENTIALS,
} from "../../regions/store/dynamodb-client.ts";

const local: StoreConfig = { kind: "dynamodb", tablePrefix: "failover", endpoint: "http://127.0.0.1:8000" };
const aws: StoreConfig = { kind: "dynamodb", tablePrefix: "failover" };

describe("DynamoDB client settings", () => {
  it("signs with dummy credentials for a loopback endpoint when the environment has none", async () => {
    expect(chooseCredentials(local, { awsRegion: "us-east-1", env: {} })).toEqual(LOCAL_DUMMY_CREDENTIALS);
    const client = createDynamoDbClient(local, { awsRegion: "eu-west-1", env: {} });
    try {
      expect(await client.config.credentials()).toMatchObject(LOCAL_DUMMY_CREDENTIALS);
      expect(await client.config.region()).toBe("eu-west-1");
    } finally {
      client.destroy();
    }
  });

  it("leaves credentials to the AWS chain in AWS, or when the environment or a profile supplies them", () => {
    expect(chooseCredentials(aws, { awsRegion: "us-east-1", env: {} })).toBeUndefined();
    expect(
      chooseCredentials(local, { awsRegion: "us-east-1", env: { AWS_ACCESS_KEY_ID: "AKIA" } }),
    ).toBeUndefined();
    expect(chooseCredentials(local, { awsRegion: "us-east-1", env: { AWS_PROFILE: "dev" } })).toBeUndefined();
    expect(chooseCredentials(local, { awsRegion: "us-east-1", env: {}, profile: "staging" })).toBeUndefined();
    const explicit = { accessKeyId: "a", secretAccessKey: "b" };
    expect(chooseCredentials(aws, { awsRegion: "us-east-1", credentials: explicit })).toBe(explicit);
  });

  it("treats only loopback hosts as local", () => {
    expect(
      ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "http://127.1.2.3"].map(
        isLoopbackUrl,
      ),
    ).toEqual([true, true, true, true]);
    expect(
      ["https://dynamodb.us-east-1.amazonaws.com", "http://10.0.0.5:8000", "http://127.0.0.1.evil.com"].map(
        isLoopbackUrl,
      ),
    ).toEqual([false, false, false]);
  });
});
