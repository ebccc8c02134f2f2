import type { EnvironmentConfig } from "../../../config/schema.ts";
import { type DeployOptions, deployEnvironment } from "../../../deploy/apply/deploy-environment.ts";
import type { RecordedClients } from "./recorded-clients.ts";

/**
 * `failover deploy` as the deploy tests run it: confirmed, on recorded clients, with everything
 * it prints captured (the log defaults to the plan's output); returns the result, the text and
 * the clients, whose calls a test can check.
 */
export async function deployCapturing(
  config: EnvironmentConfig,
  recorded: RecordedClients,
  options: Partial<Pick<DeployOptions, "dryRun" | "routerZip" | "waits">> = {},
) {
  let text = "";
  const result = await deployEnvironment({
    config,
    clients: recorded.clients,
    dryRun: options.dryRun === true,
    confirm: async () => true,
    out: (t) => {
      text += t;
    },
    ...(options.routerZip === undefined ? {} : { routerZip: options.routerZip }),
    ...(options.waits === undefined ? {} : { waits: options.waits }),
  });
  return { ...result, text, recorded };
}
