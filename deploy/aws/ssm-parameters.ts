import { DescribeParametersCommand, type SSMClient } from "@aws-sdk/client-ssm";

/**
 * Does the parameter exist? Asks for its metadata only (DescribeParameters), never its value:
 * the deploy needs to know the admin token is there, not what it is.
 */
export async function parameterExists(ssm: SSMClient, name: string): Promise<boolean> {
  const out = await ssm.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [name] }] }),
  );
  return (out.Parameters ?? []).some((p) => p.Name === name);
}
