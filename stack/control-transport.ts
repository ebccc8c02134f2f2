import { Agent, request as undiciRequest } from "undici";
import type { SendOptions, Transport } from "../core/transport.ts";
import { TransportError } from "../core/transport.ts";
import { toTransportError } from "../router/transport/map-undici-error.ts";

/**
 * The live stack's transport to its control replicas: a control call names a replica
 * ("control-us-east-2"), `urlOf` gives its loopback address. undici maps a closed port to
 * "refused" and its timeouts to "connect_timeout"/"timeout", as the router's HTTP transport does.
 */
export function controlTransport(urlOf: (replica: string) => string | undefined): {
  transport: Transport;
  close(): Promise<void>;
} {
  const agents = new Map<number, Agent>();
  const agentFor = (connectTimeoutMs: number) => {
    let agent = agents.get(connectTimeoutMs);
    if (!agent) {
      agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 4000 });
      agents.set(connectTimeoutMs, agent);
    }
    return agent;
  };
  const transport: Transport = async (replica: string, request: Request, options: SendOptions) => {
    const url = urlOf(replica);
    if (!url) throw new TransportError("unknown", replica, "not a control replica of this stack");
    try {
      const answer = await undiciRequest(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: await request.text(),
        dispatcher: agentFor(options.connectTimeoutMs),
        headersTimeout: options.responseTimeoutMs,
        bodyTimeout: options.responseTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const text = await answer.body.text();
      return new Response(text, {
        status: answer.statusCode,
        headers: { "content-type": "application/json" },
      });
    } catch (error) {
      throw toTransportError(error, replica);
    }
  };
  return {
    transport,
    close: async () => {
      await Promise.all([...agents.values()].map((a) => a.close().catch(() => a.destroy())));
      agents.clear();
    },
  };
}
