import { hasChanges } from "../plan/compute-plan.ts";
import type { Plan } from "../plan/plan-types.ts";

/**
 * Whether a shown plan goes ahead, the same for deploy and destroy: not on a dry run, not when
 * it changes nothing, and only once the person (or --yes) confirmed it; says why when not.
 */
export async function confirmApply(
  plan: Plan,
  options: { dryRun: boolean | undefined; confirm: (plan: Plan) => Promise<boolean> },
  log: (text: string) => void,
): Promise<boolean> {
  if (options.dryRun) {
    log("\nDry run: nothing was changed.\n");
    return false;
  }
  if (!hasChanges(plan)) return false;
  if (!(await options.confirm(plan))) {
    log("\nNot applied: nothing was changed.\n");
    return false;
  }
  return true;
}
