import { callerAccount } from "../aws/caller-account.ts";
import type { AwsClients } from "../aws/clients.ts";
import { readRole } from "../aws/iam-role.ts";
import { readFunction, readFunctionUrl } from "../aws/lambda-functions.ts";
import { readRecordsAt } from "../aws/route53-records.ts";
import { parameterExists } from "../aws/ssm-parameters.ts";
import {
  type FunctionActual,
  type FunctionUrlActual,
  functionKey,
  type HostedZone,
  type RoutersActual,
  type RoutersDesired,
} from "../plan/plan-types.ts";

/** What AWS holds of the routers: read-only calls, one region at a time. */
export async function readRoutersActual(
  desired: RoutersDesired,
  clients: AwsClients,
  zone: HostedZone | undefined,
): Promise<RoutersActual> {
  const actual: RoutersActual = {
    account: await callerAccount(clients.sts),
    functions: new Map<string, FunctionActual | undefined>(),
    urls: new Map<string, FunctionUrlActual | undefined>(),
    adminTokenParameter: new Map<string, boolean>(),
    records: zone === undefined ? [] : await readRecordsAt(clients.route53, zone.id, desired.recordName),
  };
  const role = await readRole(clients.iam, desired.roleName);
  if (role !== undefined) actual.role = role;
  for (const r of desired.regions) {
    const lambda = clients.lambda(r.awsRegion);
    const key = functionKey(r.awsRegion, r.functionName);
    const fn = await readFunction(lambda, r.awsRegion, r.functionName);
    actual.functions.set(key, fn);
    actual.urls.set(
      key,
      fn === undefined ? undefined : await readFunctionUrl(lambda, r.awsRegion, r.functionName),
    );
    if (!actual.adminTokenParameter.has(r.awsRegion)) {
      actual.adminTokenParameter.set(
        r.awsRegion,
        await parameterExists(clients.ssm(r.awsRegion), desired.adminTokenParameter),
      );
    }
  }
  return actual;
}
