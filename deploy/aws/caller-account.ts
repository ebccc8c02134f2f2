import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AwsAccount } from "../plan/plan-types.ts";

/** The account (and partition: aws, aws-cn, aws-us-gov) the deploy's credentials act in. */
export async function callerAccount(sts: STSClient): Promise<AwsAccount> {
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return { id: out.Account ?? "", partition: out.Arn?.split(":")[1] ?? "aws" };
}
