import { deployEnvironment } from "../apply/deploy-environment.ts";
import { createAwsClients } from "../aws/clients.ts";
import { confirm } from "./confirm.ts";
import { applyHealthCheckFlags } from "./health-check-flags.ts";
import { resolveTarget } from "./target-environment.ts";
import { toCliError } from "./to-cli-error.ts";

export interface DeployCommandFlags {
  env?: string;
  config?: string;
  dryRun?: boolean;
  yes?: boolean;
  requestIntervalS?: string;
  failureThreshold?: string;
}

/** `failover deploy`: the checks that need no AWS call first, then the deploy itself. */
export async function runDeployCommand(
  flags: DeployCommandFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const out = (text: string) => process.stdout.write(text);
  try {
    const target = resolveTarget({
      ...(flags.env === undefined ? {} : { envFlag: flags.env }),
      ...(flags.config === undefined ? {} : { configFile: flags.config }),
      changes: true,
      env,
    });
    const config = applyHealthCheckFlags(target.config, {
      ...(flags.requestIntervalS === undefined ? {} : { requestIntervalS: flags.requestIntervalS }),
      ...(flags.failureThreshold === undefined ? {} : { failureThreshold: flags.failureThreshold }),
    });
    const clients = createAwsClients(config, env);
    try {
      await deployEnvironment({
        config,
        clients,
        dryRun: flags.dryRun === true,
        out,
        confirm: () => confirm({ yes: flags.yes === true, question: `Apply this plan to ${config.name}?` }),
      });
    } finally {
      clients.destroy();
    }
  } catch (error) {
    throw toCliError(error);
  }
}
