import { z } from "zod";
import { FaultError, type LiveFaultKind } from "./live-fault.ts";

/**
 * A link drops everything: client->router, router->prod-us, prod-us->prod-ie, or both
 * directions with "prod-us<->prod-ie". Callers wait for their own timeouts.
 */
export const partition: LiveFaultKind = {
  kind: "partition",
  summary: "a link drops every packet (link: client->router, router->REGION, A->B, A<->B)",
  params: z.object({ link: z.string() }).strict(),
  async apply(stack, { link }) {
    const names = link.includes("<->") ? bothWays(link) : [link];
    for (const name of names) {
      if (!stack.linkNames().includes(name)) {
        throw new FaultError(`no link "${name}" (have ${stack.linkNames().join(", ")})`);
      }
    }
    for (const name of names) stack.link(name).partitioned = true;
    return async () => {
      for (const name of names) stack.link(name).partitioned = false;
    };
  },
};

function bothWays(link: string): string[] {
  const [a, b] = link.split("<->");
  return [`${a}->${b}`, `${b}->${a}`];
}
