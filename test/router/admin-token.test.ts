import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { resolveAdminToken } from "../../router/admin/admin-token.ts";

/**
 * A deployed router gets only the name of its admin token's SSM parameter (issue 14 (docs/issues.md)); it reads
 * the SecureString at start. Against moto's SSM, started by vitest's global setup on 127.0.0.1.
 */
const NAME = `/failover/test/router-admin-token-${process.pid}`;
const saved: Record<string, string | undefined> = {};
let env: Record<string, string>;

beforeAll(async () => {
  const endpoint = inject("motoEndpoint");
  // The SDK's own variables, as in a Lambda execution environment (plus moto's endpoint).
  env = {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIAFAILOVERTOKEN001",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SSM: endpoint,
  };
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  const ssm = new SSMClient({});
  await ssm.send(new PutParameterCommand({ Name: NAME, Type: "SecureString", Value: "from-ssm-0123" }));
  ssm.destroy();
});

afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("the router's admin token", () => {
  it("is read, decrypted, from the SSM parameter named by FAILOVER_ADMIN_TOKEN_PARAMETER", async () => {
    expect(await resolveAdminToken({ ...env, FAILOVER_ADMIN_TOKEN_PARAMETER: NAME })).toBe("from-ssm-0123");
  });

  it("FAILOVER_ADMIN_TOKEN wins, and neither set means no token", async () => {
    expect(
      await resolveAdminToken({ FAILOVER_ADMIN_TOKEN: "direct", FAILOVER_ADMIN_TOKEN_PARAMETER: NAME }),
    ).toBe("direct");
    expect(await resolveAdminToken({})).toBeUndefined();
  });

  it("a missing parameter is an error that names it (the router then refuses to start)", async () => {
    await expect(resolveAdminToken({ FAILOVER_ADMIN_TOKEN_PARAMETER: `${NAME}-absent` })).rejects.toThrow(
      `cannot read the admin token from SSM parameter ${NAME}-absent: ParameterNotFound`,
    );
  });
});
