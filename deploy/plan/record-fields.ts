import type { FieldValue } from "./plan-types.ts";

/**
 * The fields a plan shows and compares for a Route 53 record that carries a health check, desired
 * or found, in the order the plan lists them: its type, then the fields of its routing policy
 * (failover: set_identifier and failover; latency: region), then TTL, value and health check.
 */
export function recordFields(
  record: { type: FieldValue; ttlS: FieldValue; value: FieldValue },
  routing: Record<string, FieldValue>,
  healthCheckId: FieldValue,
): Record<string, FieldValue> {
  return {
    type: record.type,
    ...routing,
    ttl_s: record.ttlS,
    value: record.value,
    health_check_id: healthCheckId,
  };
}
