import { createAwsClients } from "../aws/clients.ts";
import { dnsStatus, moveTraffic } from "../dns/operate-dns.ts";
import type { MoveRequest } from "../dns/plan-traffic-move.ts";
import { confirm } from "./confirm.ts";
import { resolveTarget } from "./target-environment.ts";
import { toCliError } from "./to-cli-error.ts";

export interface DnsCommandFlags {
  env?: string;
  config?: string;
  yes?: boolean;
  /** status: print the state as JSON on stdout instead of the table. */
  json?: boolean;
}

export type DnsRequest = { kind: "status" } | MoveRequest;

/** `failover dns status|failover|failback`. Status only reads, so it may follow ENV_NAME. */
export async function runDnsCommand(
  request: DnsRequest,
  flags: DnsCommandFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const out = (text: string) => process.stdout.write(text);
  try {
    const target = resolveTarget({
      ...(flags.env === undefined ? {} : { envFlag: flags.env }),
      ...(flags.config === undefined ? {} : { configFile: flags.config }),
      changes: request.kind !== "status",
      env,
    });
    const clients = createAwsClients(target.config, env);
    try {
      if (request.kind === "status") {
        const state = await dnsStatus(target.config, clients, flags.json ? () => {} : out);
        if (flags.json) out(`${JSON.stringify(state, null, 2)}\n`);
        return;
      }
      const verb =
        request.kind === "failover" ? `move ${target.name}'s DNS traffic to ${request.to}` : "fail back";
      await moveTraffic(target.config, clients, request, {
        out,
        confirm: () => confirm({ yes: flags.yes === true, question: `Really ${verb}?` }),
      });
    } finally {
      clients.destroy();
    }
  } catch (error) {
    throw toCliError(error);
  }
}
