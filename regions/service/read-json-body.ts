import type { Context } from "hono";
import type { z } from "zod";
import type { WriteLimits } from "../../config/schema.ts";
import { jsonError } from "../../core/http-errors.ts";
import { describeZodError } from "./item-bodies.ts";
import { depthBreach, type LimitBreach, sizeBreach } from "./json-limits.ts";

/**
 * Parses and validates a JSON body; returns the value or the 4xx response naming the problem.
 * With `limits` (the write gate), a body beyond them is a 400 naming the limit (json-limits.ts).
 * A body the schema refuses is a 400 with the code `invalid` (the replication endpoint says
 * `invalid_batch`).
 */
export async function readJsonBody<T>(
  c: Context,
  schema: z.ZodType<T>,
  limits?: WriteLimits,
  invalid = "invalid_body",
): Promise<T | Response> {
  const type = c.req.header("content-type");
  if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type)) {
    return jsonError(
      c,
      415,
      "unsupported_media_type",
      `send JSON (content-type: application/json), not ${type}`,
    );
  }
  let raw: unknown;
  try {
    const text = await c.req.text();
    const deep = limits && depthBreach(text, limits);
    if (deep) return limitError(c, deep);
    raw = JSON.parse(text);
  } catch (error) {
    return jsonError(c, 400, "malformed_json", `request body is not valid JSON: ${(error as Error).message}`);
  }
  const large = limits && sizeBreach(raw, limits);
  if (large) return limitError(c, large);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return jsonError(c, 400, invalid, describeZodError(parsed.error));
  return parsed.data;
}

function limitError(c: Context, breach: LimitBreach): Response {
  return jsonError(c, 400, "limit_exceeded", breach.detail, { limit: breach.limit, max: breach.max });
}
