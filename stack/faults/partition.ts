import { partitionFault } from "../../core/faults/partition.ts";
import { FaultError, holdLinks, liveFault, type StackHandles } from "./live-fault.ts";

/**
 * The links between two groups drop everything; callers wait for their own timeouts. The live
 * stack's links are named CALLER->CALLEE (client->router, router->prod-us, prod-us->prod-ie,
 * router->control-us-east-1): `between: [a, b]` partitions a->b, and b->a too unless `oneWay`.
 * Selectors as in the simulator; the live stack has one client group and one router.
 */
export const partition = liveFault(partitionFault, async (stack, { between, oneWay }) => {
  const [a, b] = between;
  const known = stack.linkNames();
  const wanted = pairs(expand(stack, a), expand(stack, b), oneWay);
  const names = wanted.filter((name) => known.includes(name));
  if (names.length === 0) {
    throw new FaultError(`no link "${wanted.join('", "')}" (have ${known.join(", ")})`);
  }
  return holdLinks(stack, names, "partitioned");
});

/** The live endpoints a simulator selector stands for. */
function expand(stack: StackHandles, selector: string): string[] {
  if (selector === "clients" || selector.startsWith("client:")) return ["client"];
  if (selector === "routers") return ["router"];
  if (selector === "regions") return stack.regionNames;
  if (selector === "control") {
    const ends = stack.linkNames().map((name) => name.split("->")[1] ?? "");
    return [...new Set(ends.filter((end) => /^(control|witness)-/.test(end)))];
  }
  return [selector];
}

function pairs(from: string[], to: string[], oneWay: boolean): string[] {
  const out: string[] = [];
  for (const x of from) {
    for (const y of to) {
      out.push(`${x}->${y}`);
      if (!oneWay) out.push(`${y}->${x}`);
    }
  }
  return out;
}
