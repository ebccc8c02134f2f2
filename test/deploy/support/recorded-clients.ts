import type { EnvironmentConfig } from "../../../config/schema.ts";
import { type AwsClients, createAwsClients } from "../../../deploy/aws/clients.ts";

/** One API call as the SDK was asked to send it. */
export interface RecordedCall {
  service: "route53" | "dynamodb" | "lambda" | "iam" | "ssm" | "sts";
  /** The AWS region the client signs for (where a table call went). */
  awsRegion: string;
  command: string;
  input: Record<string, unknown>;
}

/** Calls that change something (everything else only reads). */
const MUTATING = /^(Create|Update|Delete|Change|Put|Tag|Untag|Add|Remove|Attach|Detach)/;

export interface RecordedClients {
  clients: AwsClients;
  calls: RecordedCall[];
  mutations(): RecordedCall[];
}

interface StackClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: "initialize"; name: string },
    ): void;
  };
}

/**
 * The deploy's real clients, with a middleware that records every call before it is sent,
 * so a test can assert that a second deploy sent no mutation at all.
 */
export function recordedClients(config: EnvironmentConfig, env: NodeJS.ProcessEnv): RecordedClients {
  const clients = createAwsClients(config, env);
  const calls: RecordedCall[] = [];
  const record = (client: StackClient, service: RecordedCall["service"], awsRegion: string) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push({
          service,
          awsRegion,
          command: context.commandName ?? "?",
          input: args.input as Record<string, unknown>,
        });
        return next(args);
      },
      { step: "initialize", name: "recordCallsForTest" },
    );
  };
  record(clients.route53 as unknown as StackClient, "route53", "us-east-1");
  record(clients.iam as unknown as StackClient, "iam", "us-east-1");
  record(clients.sts as unknown as StackClient, "sts", "-");
  for (const service of ["dynamodb", "lambda", "ssm"] as const) {
    const seen = new Set<string>();
    const make = clients[service].bind(clients) as (awsRegion: string) => unknown;
    (clients as unknown as Record<string, (awsRegion: string) => unknown>)[service] = (awsRegion: string) => {
      const client = make(awsRegion);
      if (!seen.has(awsRegion)) {
        seen.add(awsRegion);
        record(client as StackClient, service, awsRegion);
      }
      return client;
    };
  }
  return {
    clients,
    calls,
    mutations: () => calls.filter((c) => MUTATING.test(c.command.replace(/Command$/, ""))),
  };
}
