import type { FailoverRole } from "../plan/plan-types.ts";

/**
 * Which record of a failover pair Route 53 answers with, from the records' health (Route 53
 * API reference, ResourceRecordSet.Failover, with a health check on both records):
 * - the PRIMARY is healthy: the PRIMARY, whatever the SECONDARY's health;
 * - the PRIMARY is unhealthy and the SECONDARY healthy: the SECONDARY;
 * - the SECONDARY is unhealthy too: the PRIMARY.
 * A record without a health check counts as healthy.
 */
export interface PairMember {
  region: string;
  role: FailoverRole;
  /** undefined when the record carries no health check. */
  healthy: boolean | undefined;
}

export interface Answer {
  region: string;
  role: FailoverRole;
  reason: string;
}

export function whoAnswers(members: PairMember[]): Answer | undefined {
  const primary = members.find((m) => m.role === "PRIMARY");
  const secondary = members.find((m) => m.role === "SECONDARY");
  if (primary === undefined) {
    return secondary && { region: secondary.region, role: "SECONDARY", reason: "there is no PRIMARY record" };
  }
  const pick = (m: PairMember, reason: string): Answer => ({ region: m.region, role: m.role, reason });
  if (primary.healthy !== false) return pick(primary, "the PRIMARY is healthy");
  if (secondary === undefined)
    return pick(primary, "the PRIMARY is unhealthy but there is no SECONDARY record");
  if (secondary.healthy !== false)
    return pick(secondary, "the PRIMARY is unhealthy and the SECONDARY healthy");
  return pick(primary, "both are unhealthy, and then Route 53 answers the PRIMARY");
}
