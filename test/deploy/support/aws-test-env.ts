import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS_DIR } from "../../../config/load-config.ts";
import { type EnvironmentConfig, environmentSchema } from "../../../config/schema.ts";
import { tempDir } from "../../support/temp-dir.ts";

/**
 * The environment a deploy test runs in: credentials from a throw-away shared-credentials file
 * (profiles, as operators use them), AWS endpoints pointed at moto and DynamoDB Local, and the
 * instance-metadata lookup switched off so a missing credential never reaches for the network.
 */
export const TEST_PROFILE = "failover-production";
export const TEST_ACCESS_KEY_ID = "AKIAFAILOVERTEST0001";

export interface AwsTestEnv {
  env: NodeJS.ProcessEnv;
  dir: string;
}

export function awsTestEnv(endpoints: { moto: string; dynamodb?: string }): AwsTestEnv {
  const dir = tempDir("failover-deploy-test-");
  const credentialsFile = join(dir, "credentials");
  writeFileSync(
    credentialsFile,
    `[${TEST_PROFILE}]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = test-secret\n\n` +
      `[failover-staging]\naws_access_key_id = AKIAFAILOVERTEST0002\naws_secret_access_key = test-secret\n`,
  );
  const configFile = join(dir, "config");
  writeFileSync(configFile, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_CONFIG_FILE: configFile,
    AWS_EC2_METADATA_DISABLED: "true",
    FAILOVER_ROUTE53_ENDPOINT: endpoints.moto,
    FAILOVER_STS_ENDPOINT: endpoints.moto,
    FAILOVER_LAMBDA_ENDPOINT: endpoints.moto,
    FAILOVER_IAM_ENDPOINT: endpoints.moto,
    FAILOVER_SSM_ENDPOINT: endpoints.moto,
    ...(endpoints.dynamodb === undefined ? {} : { FAILOVER_DYNAMODB_ENDPOINT: endpoints.dynamodb }),
  };
  return { env, dir };
}

/**
 * The SDK's credential chain reads its file locations from process.env, so in-process tests put
 * the test environment there (each vitest file runs in its own worker process).
 */
export function useInProcess(test: AwsTestEnv): void {
  for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
  for (const [key, value] of Object.entries(test.env)) {
    if (key !== "PATH" && key !== "HOME" && value !== undefined) process.env[key] = value;
  }
}

let counter = 0;

/** A short name no other test in this run uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${counter}`;
}

/**
 * A fresh moto account for one test: moto gives credentials from AssumeRole the account of the
 * role's ARN, so each test assumes a role in its own account (and exercises aws.assumeRoleArn).
 */
export function freshAccountRoleArn(): string {
  const account = `${Math.floor(Math.random() * 9e11) + 1e11}`.padStart(12, "1").slice(0, 12);
  return `arn:aws:iam::${account}:role/failover-deploy`;
}

export function productionConfig(): EnvironmentConfig {
  const raw = JSON.parse(readFileSync(join(ENVIRONMENTS_DIR, "production.json"), "utf8"));
  return environmentSchema.parse(raw);
}

/**
 * DynamoDB Local cannot model a multi-Region strongly consistent table (UpdateTable with
 * ReplicaUpdates answers "Nothing to update"), so the deploy tests that apply to it keep the
 * control record in one table in us-east-2: still a valid production placement (it outlives
 * either service region). test/deploy/mrsc-control-table.test.ts deploys production's own
 * MRSC control table against moto and checks the requests moto does not model.
 */
export const SINGLE_REPLICA_CONTROL = { awsRegion: "us-east-2", location: "ohio" };

/** The checked-in production config with the control record in one table (see SINGLE_REPLICA_CONTROL). */
export function productionConfigForDynamoDbLocal(): EnvironmentConfig {
  const base = productionConfig();
  return { ...base, control: { ...base.control, replicas: [SINGLE_REPLICA_CONTROL] } };
}

/**
 * The production config moved to names no other test uses: its own hosted zone, record name,
 * table prefix and (by default) its own moto account. The control table is single-region
 * (SINGLE_REPLICA_CONTROL) unless `mrsc` keeps production's three replicas.
 */
export function isolatedProductionConfig(
  options: { assumeRole?: boolean; routers?: boolean; mrsc?: boolean } = {},
): EnvironmentConfig {
  const { routerDeploy, ...base } =
    options.mrsc === true ? productionConfig() : productionConfigForDynamoDbLocal();
  const zone = `${uniqueName("z")}.test`;
  return {
    ...base,
    // The routers only where a test asks for them: the others keep to tables and DNS.
    ...(options.routers === true && routerDeploy !== undefined
      ? { routerDeploy: { ...routerDeploy, recordName: `api.${zone}` } }
      : {}),
    regions: base.regions.map((r) => ({
      ...r,
      publicEndpoint: `https://${r.name}.items.${zone}`,
    })) as typeof base.regions,
    store: { ...base.store, tablePrefix: uniqueName("t-") },
    dns: { ...base.dns!, hostedZoneName: `${zone}.`, recordName: `items.${zone}` },
    aws: {
      profile: TEST_PROFILE,
      ...(options.assumeRole === false ? {} : { assumeRoleArn: freshAccountRoleArn() }),
    },
  };
}

/**
 * `config` with its control record in two full replicas (the first two it lists) and a witness in
 * Oregon: DynamoDB's other MRSC layout (a witness votes but holds no readable copy).
 */
export function withControlWitness(config: EnvironmentConfig): EnvironmentConfig {
  return environmentSchema.parse({
    ...config,
    control: {
      ...config.control,
      replicas: config.control.replicas!.slice(0, 2),
      witness: { awsRegion: "us-west-2", location: "oregon" },
    },
  });
}

/** Writes a config to a file, for the CLI's --config. */
export function writeConfig(dir: string, config: EnvironmentConfig, name = `${config.name}.json`): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
