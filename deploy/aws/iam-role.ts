import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import type { RoleActual, RoleSpec } from "../plan/plan-types.ts";
import { decodePolicyDocument } from "../routers/router-policy.ts";

/** The role with its trust policy and inline policies; undefined when there is no such role. */
export async function readRole(iam: IAMClient, name: string): Promise<RoleActual | undefined> {
  let role: Awaited<ReturnType<typeof getRole>>;
  try {
    role = await getRole(iam, name);
  } catch (error) {
    if ((error as Error).name === "NoSuchEntityException" || (error as Error).name === "NoSuchEntity")
      return undefined;
    throw error;
  }
  const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ?? [];
  const policies: Record<string, string> = {};
  for (const policyName of names) {
    const out = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
    policies[policyName] = decodePolicyDocument(out.PolicyDocument);
  }
  const attached =
    (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies ?? [];
  return {
    name,
    arn: role?.Arn ?? "",
    trustPolicy: decodePolicyDocument(role?.AssumeRolePolicyDocument),
    policies,
    attachedPolicyArns: attached.map((p) => p.PolicyArn ?? ""),
  };
}

async function getRole(iam: IAMClient, name: string) {
  return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
}

export async function createRole(iam: IAMClient, spec: RoleSpec): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: spec.name,
      AssumeRolePolicyDocument: spec.trustPolicy,
      Description: "failover: the router's Lambda functions (deploy/iam/README.md)",
      Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  await putPolicy(iam, spec);
}

export async function updateRole(iam: IAMClient, spec: RoleSpec, actual: RoleActual): Promise<void> {
  if (actual.trustPolicy !== spec.trustPolicy) {
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: spec.name, PolicyDocument: spec.trustPolicy }),
    );
  }
  if (actual.policies[spec.policyName] !== spec.policy) await putPolicy(iam, spec);
}

function putPolicy(iam: IAMClient, spec: RoleSpec) {
  return iam.send(
    new PutRolePolicyCommand({
      RoleName: spec.name,
      PolicyName: spec.policyName,
      PolicyDocument: spec.policy,
    }),
  );
}

/** IAM refuses to delete a role that still has policies: inline ones go first. */
export async function deleteRole(iam: IAMClient, actual: RoleActual): Promise<void> {
  for (const policyName of Object.keys(actual.policies)) {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: actual.name, PolicyName: policyName }));
  }
  await iam.send(new DeleteRoleCommand({ RoleName: actual.name }));
}
