/**
 * How Route 53 turns one health check's checker reports and settings into healthy or not.
 * Pure, so the rules are unit-tested on their own:
 * - a check is healthy while more than 18% of its checkers report healthy (docs/route53-health-checks.md,
 *   Route 53 developer guide "How Amazon Route 53 determines whether a health check is healthy");
 * - Inverted flips the result (that is how `failover dns failover` moves traffic);
 * - Disabled makes it healthy whatever the checkers say (UpdateHealthCheck API reference).
 */
export const HEALTHY_SHARE_MIN = 0.18;

export interface CheckerReport {
  /** The checker's AWS region, e.g. us-east-1. */
  checkerRegion?: string;
  /** Route 53's status line, e.g. "Success: HTTP Status Code 200, OK" or "Failure: ...". */
  status: string;
}

export interface CheckerSummary {
  reporting: number;
  healthy: number;
  /** undefined until some checker has reported. */
  observedHealthy: boolean | undefined;
}

export function summarizeCheckers(reports: CheckerReport[]): CheckerSummary {
  const healthy = reports.filter((r) => /^success/i.test(r.status.trim())).length;
  const reporting = reports.length;
  return {
    reporting,
    healthy,
    observedHealthy: reporting === 0 ? undefined : healthy / reporting > HEALTHY_SHARE_MIN,
  };
}

export interface HealthVerdict {
  /** What Route 53 uses to pick an answer. */
  healthy: boolean;
  /** One line saying why. */
  reason: string;
  /** A disabled check hides outages: callers flag it loudly. */
  disabledTrap: boolean;
}

export function verdict(
  summary: CheckerSummary,
  settings: { inverted: boolean; disabled: boolean },
): HealthVerdict {
  const counts = `${summary.healthy}/${summary.reporting} checkers report healthy`;
  if (settings.disabled) {
    return {
      healthy: true,
      disabledTrap: true,
      reason: `DISABLED: Route 53 counts it as healthy whatever the endpoint does (${counts})`,
    };
  }
  // A new check has no reports yet; Route 53 treats it as healthy until checkers report.
  const observed = summary.observedHealthy ?? true;
  const seen = summary.observedHealthy === undefined ? "no checker has reported yet" : counts;
  if (settings.inverted) {
    return {
      healthy: !observed,
      disabledTrap: false,
      reason: `INVERTED: ${seen}, so Route 53 counts it as ${observed ? "unhealthy" : "healthy"}`,
    };
  }
  return {
    healthy: observed,
    disabledTrap: false,
    reason: `${seen} (healthy above ${HEALTHY_SHARE_MIN * 100}%)`,
  };
}
