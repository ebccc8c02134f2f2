import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../artifacts/build-router-artifacts.ts";
import { DeployError } from "../deploy-error.ts";
import type { AwsAccount, RoutersDesired } from "../plan/plan-types.ts";
import { routerFunctionPrefix } from "./desired-routers.ts";

/**
 * The router role's policies, read from deploy/iam/ (their README says why each statement is
 * there) with `${name}` placeholders filled in. Returned as canonical JSON (keys sorted), the
 * form the plan compares: IAM hands documents back URL-encoded and re-ordered.
 */
export function renderRouterPolicies(
  desired: RoutersDesired,
  account: AwsAccount,
): { trustPolicy: string; policy: string } {
  const values: Record<string, string | string[]> = {
    account: account.id,
    partition: account.partition,
    controlTableArns: controlTableArns(desired, account),
    adminTokenParameter: desired.adminTokenParameter,
    functionPrefix: routerFunctionPrefix(desired.environment),
  };
  return {
    trustPolicy: render(desired.trustPolicyFile, values),
    policy: render(desired.policyFile, values),
  };
}

/**
 * The control table in each of its replica regions: an MRSC table is one table per region, each
 * with its own ARN, and a router calls the nearest replica that answers (and the next when it
 * does not), so it needs exactly these and no other table. The witness holds no readable copy:
 * nobody calls it. "none" when the control record is in memory (no table to allow).
 */
export function controlTableArns(desired: RoutersDesired, account: AwsAccount): string[] {
  const table = desired.controlTable;
  if (table === undefined) return [`arn:${account.partition}:dynamodb:none:${account.id}:table/none`];
  return table.replicaRegions.map(
    (region) => `arn:${account.partition}:dynamodb:${region}:${account.id}:table/${table.name}`,
  );
}

/** `"${name}"` with a list value becomes a JSON array; `${name}` inside a string takes a string. */
function render(file: string, values: Record<string, string | string[]>): string {
  const raw = readFileSync(join(ROOT, file), "utf8");
  const lists = raw.replace(/"\$\{(\w+)\}"/g, (whole, name: string) => {
    const value = values[name];
    return Array.isArray(value) ? JSON.stringify(value) : whole;
  });
  const text = lists.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new DeployError(`${file}: unknown placeholder ${whole}`);
    if (Array.isArray(value)) throw new DeployError(`${file}: ${whole} is a list; use it as a whole value`);
    return value;
  });
  try {
    return canonicalJson(JSON.parse(text));
  } catch (error) {
    throw new DeployError(`${file}: not JSON: ${(error as Error).message}`);
  }
}

/** JSON with object keys sorted at every level, so equal documents compare equal as strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** IAM returns policy documents URL-encoded (GetRole, GetRolePolicy API reference). */
export function decodePolicyDocument(document: string | undefined): string {
  if (document === undefined || document === "") return "";
  const text = document.trimStart().startsWith("{") ? document : decodeURIComponent(document);
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/** One line per statement, for the plan: "Allow dynamodb:GetItem, dynamodb:PutItem on arn:...". */
export function statementLines(policy: string): Record<string, string> {
  const lines: Record<string, string> = {};
  if (policy === "") return lines;
  const doc = JSON.parse(policy) as { Statement?: Record<string, unknown>[] | Record<string, unknown> };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  statements.forEach((s, i) => {
    const sid = typeof s.Sid === "string" ? s.Sid : `#${i}`;
    const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v));
    const who = s.Principal === undefined ? "" : ` to ${list(Object.values(s.Principal as object).flat())}`;
    const on = s.Resource === undefined ? "" : ` on ${list(s.Resource)}`;
    const when = s.Condition === undefined ? "" : ` if ${JSON.stringify(s.Condition)}`;
    lines[sid] = `${String(s.Effect)} ${list(s.Action)}${who}${on}${when}`;
  });
  return lines;
}
