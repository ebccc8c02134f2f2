import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The JSON body every 4xx/5xx in the product uses: a stable code and a sentence for a person. */
export interface ErrorBody {
  error: string;
  detail: string;
  [extra: string]: unknown;
}

export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.json({ error, detail, ...extra } satisfies ErrorBody, status);
}
