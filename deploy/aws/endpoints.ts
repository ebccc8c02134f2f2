import { DeployError } from "../deploy-error.ts";

/**
 * Endpoint overrides, for running against stand-ins that speak the AWS APIs (moto's server for
 * Route 53 and STS, DynamoDB Local). Unset means the real AWS endpoints.
 *   FAILOVER_ROUTE53_ENDPOINT   Route 53 (e.g. http://127.0.0.1:5000 for moto)
 *   FAILOVER_STS_ENDPOINT       STS, for aws.assumeRoleArn (moto serves it on the same port)
 *   FAILOVER_DYNAMODB_ENDPOINT  DynamoDB, for every region (wins over the config's store.endpoint)
 *   FAILOVER_LAMBDA_ENDPOINT    Lambda, for every region (the routers; moto serves it too)
 *   FAILOVER_IAM_ENDPOINT       IAM (the routers' role)
 *   FAILOVER_SSM_ENDPOINT       SSM Parameter Store, for every region (the admin token's parameter)
 */
export const ENDPOINT_VARIABLES = {
  route53: "FAILOVER_ROUTE53_ENDPOINT",
  sts: "FAILOVER_STS_ENDPOINT",
  dynamodb: "FAILOVER_DYNAMODB_ENDPOINT",
  lambda: "FAILOVER_LAMBDA_ENDPOINT",
  iam: "FAILOVER_IAM_ENDPOINT",
  ssm: "FAILOVER_SSM_ENDPOINT",
} as const;

export type OverridableService = keyof typeof ENDPOINT_VARIABLES;

export function endpointOverride(service: OverridableService, env: NodeJS.ProcessEnv): string | undefined {
  const variable = ENDPOINT_VARIABLES[service];
  const value = env[variable];
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DeployError(
      `${variable}="${value}" is not a URL (expected e.g. http://127.0.0.1:5000)`,
      "usage",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DeployError(`${variable}="${value}" must be an http(s) URL`, "usage");
  }
  return value;
}
