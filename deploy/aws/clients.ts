import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import type { EnvironmentConfig } from "../../config/schema.ts";
import {
  type CredentialSource,
  type CredentialsProvider,
  credentialProvider,
  credentialSource,
} from "./credentials.ts";
import { endpointOverride } from "./endpoints.ts";

/**
 * The AWS clients one deploy (or one `failover dns` command) uses, all built from the
 * environment's config and sharing one credential identity (credentials.ts).
 */
export interface AwsClients {
  route53: Route53Client;
  /** One client per AWS region, made on first use: tables live in each region's own AWS region. */
  dynamodb(awsRegion: string): DynamoDBClient;
  /** The routers: Lambda and SSM per AWS region, IAM and STS (caller identity) once. */
  lambda(awsRegion: string): LambdaClient;
  ssm(awsRegion: string): SSMClient;
  iam: IAMClient;
  sts: STSClient;
  credentials: CredentialsProvider;
  source: CredentialSource;
  /** Where Route 53 calls go: "AWS" or the override URL. */
  route53Target: string;
  /** Where DynamoDB calls go: "AWS (each region's endpoint)" or the override URL. */
  dynamodbTarget: string;
  destroy(): void;
}

/**
 * Route 53 is a global service whose control plane (every API call this tool makes) runs in
 * us-east-1 (AWS Fault Isolation Boundaries whitepaper, appendix B); requests are signed there.
 */
export const ROUTE53_SIGNING_REGION = "us-east-1";

/** Control-plane calls are small; give a slow network time, but never hang for ever. */
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 3;

export function createAwsClients(
  config: EnvironmentConfig,
  env: NodeJS.ProcessEnv = process.env,
): AwsClients {
  const source = credentialSource(config, env);
  const credentials = credentialProvider(config, source, env);
  const route53Endpoint = endpointOverride("route53", env);
  const dynamodbEndpoint = endpointOverride("dynamodb", env) ?? config.store.endpoint;
  const common = {
    credentials,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
  const route53 = new Route53Client({
    ...common,
    region: ROUTE53_SIGNING_REGION,
    ...(route53Endpoint === undefined ? {} : { endpoint: route53Endpoint }),
  });
  const regional = <C extends { destroy(): void }>(
    make: (awsRegion: string) => C,
  ): { get(awsRegion: string): C; all(): C[] } => {
    const made = new Map<string, C>();
    return {
      get(awsRegion) {
        let client = made.get(awsRegion);
        if (client === undefined) {
          client = make(awsRegion);
          made.set(awsRegion, client);
        }
        return client;
      },
      all: () => [...made.values()],
    };
  };
  const at = (service: "lambda" | "iam" | "ssm" | "sts") => {
    const endpoint = endpointOverride(service, env);
    return endpoint === undefined ? {} : { endpoint };
  };
  const dynamodbClients = regional(
    (awsRegion) =>
      new DynamoDBClient({
        ...common,
        region: awsRegion,
        ...(dynamodbEndpoint === undefined ? {} : { endpoint: dynamodbEndpoint }),
      }),
  );
  const lambdaClients = regional(
    (awsRegion) => new LambdaClient({ ...common, region: awsRegion, ...at("lambda") }),
  );
  const ssmClients = regional((awsRegion) => new SSMClient({ ...common, region: awsRegion, ...at("ssm") }));
  // IAM is global, and like Route 53 its control plane is in us-east-1.
  const iam = new IAMClient({ ...common, region: ROUTE53_SIGNING_REGION, ...at("iam") });
  const sts = new STSClient({ ...common, region: config.regions[0]?.awsRegion ?? "us-east-1", ...at("sts") });
  return {
    route53,
    dynamodb: (awsRegion) => dynamodbClients.get(awsRegion),
    lambda: (awsRegion) => lambdaClients.get(awsRegion),
    ssm: (awsRegion) => ssmClients.get(awsRegion),
    iam,
    sts,
    credentials,
    source,
    route53Target: route53Endpoint ?? "AWS",
    dynamodbTarget: dynamodbEndpoint ?? "AWS (each region's own endpoint)",
    destroy() {
      route53.destroy();
      iam.destroy();
      sts.destroy();
      for (const client of [...dynamodbClients.all(), ...lambdaClients.all(), ...ssmClients.all()])
        client.destroy();
    },
  };
}
