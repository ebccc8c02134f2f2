import { z } from "zod";

/** What a client may send. Unknown fields are refused, so a typo is an error, not silently dropped. */
const dataSchema = z.record(z.string(), z.unknown());

export const createItemBody = z.object({ data: dataSchema }).strict();

export const replaceItemBody = z
  .object({
    data: dataSchema,
    /** Optimistic concurrency: refuse the PUT unless the stored version matches. */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();

export const listQuery = z
  .object({
    after: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
}
