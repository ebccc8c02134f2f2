/**
 * The router's admin token: FAILOVER_ADMIN_TOKEN when set (a developer, the live stack), else the
 * SSM Parameter Store SecureString named by FAILOVER_ADMIN_TOKEN_PARAMETER, read once at start.
 * A deployed router gets only the parameter's name (`failover deploy` never puts the token in a
 * function's configuration or in a plan); its role may read that one parameter
 * (deploy/iam/router-policy.json). The SDK finds the region from AWS_REGION, which Lambda sets,
 * and honours AWS_ENDPOINT_URL_SSM for a stand-in.
 */
export async function resolveAdminToken(
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  if (env.FAILOVER_ADMIN_TOKEN) return env.FAILOVER_ADMIN_TOKEN;
  const name = env.FAILOVER_ADMIN_TOKEN_PARAMETER;
  if (!name) return undefined;
  const { GetParameterCommand, SSMClient } = await import("@aws-sdk/client-ssm");
  const client = new SSMClient({});
  try {
    const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return out.Parameter?.Value || undefined;
  } catch (error) {
    throw new Error(
      `cannot read the admin token from SSM parameter ${name}: ${(error as Error).name}: ${(error as Error).message}`,
    );
  } finally {
    client.destroy();
  }
}
