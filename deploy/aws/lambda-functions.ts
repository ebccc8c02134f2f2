import { readFileSync } from "node:fs";
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  type LambdaClient,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionUrlConfigCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import type { FunctionActual, FunctionSpec, FunctionUrlActual, FunctionUrlSpec } from "../plan/plan-types.ts";

/** A function's configuration and code hash; undefined when it does not exist. */
export async function readFunction(
  lambda: LambdaClient,
  awsRegion: string,
  name: string,
): Promise<FunctionActual | undefined> {
  let config: FunctionConfiguration | undefined;
  try {
    config = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return undefined;
    throw error;
  }
  return {
    awsRegion,
    name,
    arn: config?.FunctionArn ?? "",
    runtime: config?.Runtime,
    handler: config?.Handler,
    architecture: config?.Architectures?.[0],
    memoryMb: config?.MemorySize,
    timeoutS: config?.Timeout,
    roleArn: config?.Role,
    environment: { ...(config?.Environment?.Variables ?? {}) },
    codeSha256: config?.CodeSha256,
  };
}

/** The URL, its settings and which public-access statements the function's policy has. */
export async function readFunctionUrl(
  lambda: LambdaClient,
  awsRegion: string,
  name: string,
): Promise<FunctionUrlActual | undefined> {
  let out: Awaited<ReturnType<typeof getUrl>>;
  try {
    out = await getUrl(lambda, name);
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return undefined;
    throw error;
  }
  return {
    awsRegion,
    functionName: name,
    url: out.FunctionUrl ?? "",
    authType: out.AuthType ?? "",
    invokeMode: out.InvokeMode ?? "BUFFERED",
    cors: out.Cors !== undefined && Object.keys(out.Cors).length > 0,
    permissionSids: await permissionSids(lambda, name),
  };
}

function getUrl(lambda: LambdaClient, name: string) {
  return lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
}

async function permissionSids(lambda: LambdaClient, name: string): Promise<string[]> {
  try {
    const out = await lambda.send(new GetPolicyCommand({ FunctionName: name }));
    const policy = JSON.parse(out.Policy ?? "{}") as { Statement?: { Sid?: string }[] };
    return (policy.Statement ?? []).flatMap((s) => (s.Sid === undefined ? [] : [s.Sid]));
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return [];
    throw error;
  }
}

export interface LambdaWaits {
  /** Pause before a retry (tests pass one that does not sleep). */
  sleep(ms: number): Promise<void>;
  /** Lambda's own state waiters, at most this long each. */
  maxWaitS: number;
}

/**
 * IAM is eventually consistent: a role created seconds ago can be refused by Lambda ("The role
 * defined for the function cannot be assumed by Lambda") for about ten seconds. Retry for a while.
 */
const ROLE_PROPAGATION_RETRIES = 12;
const ROLE_PROPAGATION_DELAY_MS = 5_000;

export async function createFunction(
  lambda: LambdaClient,
  spec: FunctionSpec,
  waits: LambdaWaits,
): Promise<string> {
  const zip = readFileSync(spec.zipPath);
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: spec.name,
          Runtime: spec.runtime as "nodejs24.x",
          Handler: spec.handler,
          Role: spec.roleArn,
          Architectures: [spec.architecture],
          MemorySize: spec.memoryMb,
          Timeout: spec.timeoutS,
          Environment: { Variables: spec.environment },
          Code: { ZipFile: zip },
          Description: `failover router ${spec.region} (${spec.environment.ENV_NAME})`,
          Tags: spec.tags,
        }),
      );
      await waitUntilFunctionActiveV2(
        { client: lambda, maxWaitTime: waits.maxWaitS },
        { FunctionName: spec.name },
      );
      return out.FunctionArn ?? "";
    } catch (error) {
      const roleNotReady = /cannot be assumed|role.*not.*(ready|authorized)/i.test((error as Error).message);
      if (!roleNotReady || attempt >= ROLE_PROPAGATION_RETRIES) throw error;
      await waits.sleep(ROLE_PROPAGATION_DELAY_MS);
    }
  }
}

/** Code first, then configuration: Lambda refuses a second update while one is in progress. */
export async function updateFunction(
  lambda: LambdaClient,
  spec: FunctionSpec,
  actual: FunctionActual,
  waits: LambdaWaits,
): Promise<string[]> {
  const done: string[] = [];
  const wait = () =>
    waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: waits.maxWaitS }, { FunctionName: spec.name });
  if (actual.codeSha256 !== spec.codeSha256 || actual.architecture !== spec.architecture) {
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: spec.name,
        ZipFile: readFileSync(spec.zipPath),
        Architectures: [spec.architecture],
      }),
    );
    await wait();
    done.push("code");
  }
  const sameEnv =
    JSON.stringify(sortedEntries(actual.environment)) === JSON.stringify(sortedEntries(spec.environment));
  if (
    !sameEnv ||
    actual.runtime !== spec.runtime ||
    actual.handler !== spec.handler ||
    actual.memoryMb !== spec.memoryMb ||
    actual.timeoutS !== spec.timeoutS ||
    actual.roleArn !== spec.roleArn
  ) {
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: spec.name,
        Runtime: spec.runtime as "nodejs24.x",
        Handler: spec.handler,
        Role: spec.roleArn,
        MemorySize: spec.memoryMb,
        Timeout: spec.timeoutS,
        Environment: { Variables: spec.environment },
      }),
    );
    await wait();
    done.push("configuration");
  }
  return done;
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/** The URL, then the two statements that let anyone call it (Lambda "Control access to function URLs"). */
export async function createFunctionUrl(lambda: LambdaClient, spec: FunctionUrlSpec): Promise<string> {
  const out = await lambda.send(
    new CreateFunctionUrlConfigCommand({
      FunctionName: spec.functionName,
      AuthType: spec.authType,
      InvokeMode: spec.invokeMode,
    }),
  );
  await addPublicAccess(lambda, spec, []);
  return out.FunctionUrl ?? "";
}

export async function updateFunctionUrl(
  lambda: LambdaClient,
  spec: FunctionUrlSpec,
  actual: FunctionUrlActual,
): Promise<void> {
  if (actual.authType !== spec.authType || actual.invokeMode !== spec.invokeMode || actual.cors) {
    await lambda.send(
      new UpdateFunctionUrlConfigCommand({
        FunctionName: spec.functionName,
        AuthType: spec.authType,
        InvokeMode: spec.invokeMode,
        // An empty CORS configuration turns CORS off: the router's API is not for browsers' fetch.
        Cors: {},
      }),
    );
  }
  await addPublicAccess(lambda, spec, actual.permissionSids);
}

/**
 * The two statements a public function URL needs (Lambda "Control access to function URLs"), in
 * the order of spec.permissionSids: invoking the URL, and invoking the function through it.
 */
const PUBLIC_ACCESS_STATEMENTS = [
  { Action: "lambda:InvokeFunctionUrl", FunctionUrlAuthType: "NONE" },
  { Action: "lambda:InvokeFunction", InvokedViaFunctionUrl: true },
] as const;

async function addPublicAccess(
  lambda: LambdaClient,
  spec: FunctionUrlSpec,
  present: string[],
): Promise<void> {
  for (const [i, sid] of spec.permissionSids.entries()) {
    const statement = PUBLIC_ACCESS_STATEMENTS[i];
    if (statement === undefined || present.includes(sid)) continue;
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: spec.functionName,
        StatementId: sid,
        Principal: "*",
        ...statement,
      }),
    );
  }
}

export async function deleteFunctionUrl(lambda: LambdaClient, name: string): Promise<void> {
  await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }));
}

/** Deleting the function also deletes its resource policy. */
export async function deleteFunction(lambda: LambdaClient, name: string): Promise<void> {
  await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
}
