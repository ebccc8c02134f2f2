import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../config/config-error.ts";
import { credentialSource } from "../../../deploy/aws/credentials.ts";
import { endpointOverride } from "../../../deploy/aws/endpoints.ts";
import { confirm } from "../../../deploy/cli-support/confirm.ts";
import { applyHealthCheckFlags } from "../../../deploy/cli-support/health-check-flags.ts";
import { resolveTarget } from "../../../deploy/cli-support/target-environment.ts";
import { DeployError } from "../../../deploy/deploy-error.ts";
import { productionConfig } from "../support/aws-test-env.ts";

describe("resolveTarget", () => {
  it("refuses to change production when it only came from ENV_NAME or USER_ENV_NAME", () => {
    expect(() => resolveTarget({ changes: true, env: { ENV_NAME: "production" } })).toThrow(DeployError);
    expect(() => resolveTarget({ changes: true, env: { ENV_NAME: "production" } })).toThrow(
      /came from ENV_NAME=production.*explicit --env production/,
    );
    expect(() => resolveTarget({ changes: true, env: { USER_ENV_NAME: "production" } })).toThrow(
      /USER_ENV_NAME=production/,
    );
  });

  it("allows production when named by --env, and read-only commands to follow ENV_NAME", () => {
    expect(resolveTarget({ envFlag: "production", changes: true, env: {} })).toMatchObject({
      name: "production",
      explicit: true,
    });
    expect(resolveTarget({ changes: false, env: { ENV_NAME: "production" } })).toMatchObject({
      name: "production",
      explicit: false,
    });
  });

  it("defaults to development, never production, with nothing set", () => {
    expect(resolveTarget({ changes: true, env: {} }).name).toBe("development");
  });

  it("rejects an environment name outside the allowed set", () => {
    expect(() => resolveTarget({ envFlag: "prod", changes: true, env: {} })).toThrow(ConfigError);
  });

  it("rejects a --config file of another environment", () => {
    expect(() =>
      resolveTarget({
        envFlag: "staging",
        configFile: "regions/environments/production.json",
        changes: true,
        env: {},
      }),
    ).toThrow(/is the config of environment "production", not "staging"/);
  });
});

describe("health-check flags", () => {
  const config = productionConfig();

  it("accepts 10 or 30 seconds only", () => {
    expect(applyHealthCheckFlags(config, { requestIntervalS: "10" }).dns!.healthCheck.requestIntervalS).toBe(
      10,
    );
    expect(() => applyHealthCheckFlags(config, { requestIntervalS: "15" })).toThrow(
      /--request-interval-s 15: Route 53 health checks run every 10 or 30 seconds/,
    );
    expect(() => applyHealthCheckFlags(config, { requestIntervalS: "10s" })).toThrow(DeployError);
  });

  it("accepts failure thresholds 1 to 10", () => {
    expect(applyHealthCheckFlags(config, { failureThreshold: "10" }).dns!.healthCheck.failureThreshold).toBe(
      10,
    );
    expect(() => applyHealthCheckFlags(config, { failureThreshold: "11" })).toThrow(/1 to 10/);
    expect(() => applyHealthCheckFlags(config, { failureThreshold: "0" })).toThrow(/1 to 10/);
  });

  it("leaves the config untouched without flags", () => {
    expect(applyHealthCheckFlags(config, {})).toBe(config);
  });
});

describe("confirm", () => {
  it("goes ahead with --yes without reading anything", async () => {
    expect(await confirm({ yes: true, question: "Apply?", input: new PassThrough() })).toBe(true);
  });

  it("fails without a terminal, saying to pass --yes", async () => {
    await expect(confirm({ yes: false, question: "Apply?", input: new PassThrough() })).rejects.toThrow(
      /not a terminal.*--yes/,
    );
  });

  it("on a terminal, accepts only the word yes", async () => {
    const ask = async (answer: string) => {
      const input = Object.assign(new PassThrough(), { isTTY: true });
      const output = new PassThrough();
      const result = confirm({ yes: false, question: "Apply?", input, output });
      input.write(`${answer}\n`);
      return result;
    };
    expect(await ask("yes")).toBe(true);
    expect(await ask("y")).toBe(false);
    expect(await ask("")).toBe(false);
  });
});

describe("credentialSource", () => {
  const config = {
    ...productionConfig(),
    aws: { profile: "failover-production", assumeRoleArn: "arn:aws:iam::123456789012:role/deploy" },
  };

  it("lets AWS_PROFILE win over the config's profile, then assumes the configured role", () => {
    expect(credentialSource(config, { AWS_PROFILE: "ops" })).toMatchObject({
      profile: "ops",
      profileFrom: "AWS_PROFILE",
      assumeRoleArn: "arn:aws:iam::123456789012:role/deploy",
    });
    expect(credentialSource(config, {})).toMatchObject({
      profile: "failover-production",
      profileFrom: "config",
    });
  });

  it("falls back to the default chain with no profile anywhere", () => {
    const { aws: _aws, ...bare } = config;
    expect(credentialSource(bare, {}).description).toBe("the default AWS credential chain");
  });
});

describe("endpointOverride", () => {
  it("reads FAILOVER_*_ENDPOINT and rejects a value that is not an http(s) URL", () => {
    expect(endpointOverride("route53", { FAILOVER_ROUTE53_ENDPOINT: "http://127.0.0.1:5000" })).toBe(
      "http://127.0.0.1:5000",
    );
    expect(endpointOverride("dynamodb", {})).toBeUndefined();
    expect(() => endpointOverride("sts", { FAILOVER_STS_ENDPOINT: "127.0.0.1:5000" })).toThrow(
      /FAILOVER_STS_ENDPOINT/,
    );
  });
});
