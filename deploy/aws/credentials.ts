import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { DeployError } from "../deploy-error.ts";
import { endpointOverride } from "./endpoints.ts";

/**
 * Where deploy's AWS credentials come from, in the layout of one deployment account and one
 * account per environment (issue 6 (docs/issues.md)):
 * 1. the SDK's default chain (environment variables, SSO, ~/.aws files, container or instance
 *    roles), with a named profile when one is set: AWS_PROFILE wins over the environment's
 *    `aws.profile`, so an operator can point one run elsewhere without editing config;
 * 2. then, when the environment sets `aws.assumeRoleArn`, a role assumed in the environment's
 *    own account with those credentials (STS AssumeRole).
 */
export interface CredentialSource {
  profile?: string;
  profileFrom?: "AWS_PROFILE" | "config";
  assumeRoleArn?: string;
  /** One line for the plan header and error messages. */
  description: string;
}

/** The SDK's credential types, named through a direct dependency rather than @smithy/types. */
export type CredentialsProvider = () => Promise<AwsCredentialIdentity>;
export type AwsCredentialIdentity = Awaited<ReturnType<ReturnType<typeof fromNodeProviderChain>>>;

/** Assumed-role sessions last an hour (AssumeRole's default); a deploy takes minutes. */
const ROLE_SESSION_S = 3600;
/** Refresh temporary credentials this long before they expire. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export function credentialSource(config: EnvironmentConfig, env: NodeJS.ProcessEnv): CredentialSource {
  const source: CredentialSource = { description: "" };
  if (env.AWS_PROFILE) {
    source.profile = env.AWS_PROFILE;
    source.profileFrom = "AWS_PROFILE";
  } else if (config.aws?.profile) {
    source.profile = config.aws.profile;
    source.profileFrom = "config";
  }
  if (config.aws?.assumeRoleArn) source.assumeRoleArn = config.aws.assumeRoleArn;
  const base =
    source.profile === undefined
      ? "the default AWS credential chain"
      : `profile "${source.profile}" (from ${source.profileFrom === "AWS_PROFILE" ? "AWS_PROFILE" : "aws.profile in the config"})`;
  source.description =
    source.assumeRoleArn === undefined ? base : `${base}, then role ${source.assumeRoleArn}`;
  return source;
}

export function credentialProvider(
  config: EnvironmentConfig,
  source: CredentialSource,
  env: NodeJS.ProcessEnv,
): CredentialsProvider {
  const base = fromNodeProviderChain(source.profile === undefined ? {} : { profile: source.profile });
  if (source.assumeRoleArn === undefined) return memoize(base);
  const stsEndpoint = endpointOverride("sts", env);
  const assumed = fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: source.assumeRoleArn,
      RoleSessionName: `failover-deploy-${config.name}`,
      DurationSeconds: ROLE_SESSION_S,
    },
    clientConfig: {
      // Regional STS endpoints: the first region's, which is where the environment lives.
      region: config.regions[0]!.awsRegion,
      ...(stsEndpoint === undefined ? {} : { endpoint: stsEndpoint }),
    },
  });
  return memoize(assumed);
}

/**
 * One identity for the whole run, shared by every client: a deploy assumes the role once, not
 * once per client (and DynamoDB Local keeps one database per access key).
 */
function memoize(provider: CredentialsProvider): CredentialsProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (current !== undefined) {
      const identity = await current.catch(() => undefined);
      const expiresAtMs = identity?.expiration?.getTime();
      if (
        identity !== undefined &&
        (expiresAtMs === undefined || expiresAtMs - Date.now() > EXPIRY_MARGIN_MS)
      ) {
        return identity;
      }
    }
    current = provider();
    return current;
  };
}

/**
 * Resolves the credentials once, before anything is read or changed, so "no credentials" is one
 * clear error up front rather than a failure half-way through a deploy.
 */
export async function checkCredentials(
  provider: CredentialsProvider,
  source: CredentialSource,
): Promise<AwsCredentialIdentity> {
  try {
    return await provider();
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    const hint =
      source.assumeRoleArn !== undefined && /assume|sts|access ?denied|not authorized/i.test(reason ?? "")
        ? `check that your identity may assume ${source.assumeRoleArn}`
        : source.profile === undefined
          ? "set AWS_PROFILE, add aws.profile to the environment's config, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
          : `check that profile "${source.profile}" exists in ~/.aws/config or ~/.aws/credentials (or run aws sso login --profile ${source.profile})`;
    throw new DeployError(
      `no usable AWS credentials from ${source.description}: ${reason}\n  ${hint}. Nothing was changed.`,
    );
  }
}
