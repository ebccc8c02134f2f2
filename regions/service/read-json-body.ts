import type { Context } from "hono";
import type { z } from "zod";
import { jsonError } from "../../core/http-errors.ts";
import { describeZodError } from "./item-bodies.ts";

/** Parses and validates a JSON body; returns the value or the 4xx response naming the problem. */
export async function readJsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T | Response> {
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
    raw = JSON.parse(text);
  } catch (error) {
    return jsonError(c, 400, "malformed_json", `request body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return jsonError(c, 400, "invalid_body", describeZodError(parsed.error));
  return parsed.data;
}
