import { Hono } from "hono";
import type { Logger } from "pino";
import { z } from "zod";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { jsonError } from "../../core/http-errors.ts";
import type { FailoverCoordinator } from "../failover-coordinator.ts";
import type { RouterStatus } from "../router-status.ts";
import { bearerAuth } from "./bearer-auth.ts";

export interface AdminDeps {
  config: EnvironmentConfig;
  coordinator: FailoverCoordinator;
  adminToken: string | undefined;
  logger: Logger;
  status(): RouterStatus;
}

const MAX_ADMIN_BODY_BYTES = 4096;

/**
 * The operator's API under /_router/: status, promote, drain, failback. Every action is logged
 * with what was asked and what happened; every answer is JSON.
 */
export function adminRoutes(deps: AdminDeps): Hono {
  const { config, coordinator } = deps;
  const regionNames = config.regions.map((r) => r.name) as [string, ...string[]];
  const promoteBody = z
    .object({
      region: z.enum(regionNames),
      reason: z.string().max(200).optional(),
      force: z.boolean().optional(),
      /** Sync mode: promote a region not recorded as the synchronous standby, losing what it lacks. */
      acceptDataLoss: z.boolean().optional(),
    })
    .strict();
  const drainBody = z.object({ region: z.enum(regionNames), drained: z.boolean().default(true) }).strict();
  const failbackBody = z.object({ force: z.boolean().optional() }).strict();

  const app = new Hono();
  app.use(bearerAuth(deps.adminToken));

  app.get("/status", (c) => c.json(deps.status()));

  app.post("/promote", async (c) => {
    const body = await parseBody(c.req.raw, promoteBody);
    if (!body.ok) return jsonError(c, 400, "invalid_body", body.detail);
    const { region, force = false, acceptDataLoss = false } = body.value;
    const reason = `admin promote ${region}${body.value.reason ? ` (${body.value.reason})` : ""}${acceptDataLoss ? " accepting data loss" : ""}`;
    const result = await coordinator.promoteTo(region, reason, force, acceptDataLoss);
    logAction(deps, "promote", { region, force, acceptDataLoss }, result.kind);
    if (result.kind === "refused") return jsonError(c, 409, result.error, result.detail);
    return c.json({ result: result.kind, record: result.record });
  });

  app.post("/failback", async (c) => {
    const body = await parseBody(c.req.raw, failbackBody);
    if (!body.ok) return jsonError(c, 400, "invalid_body", body.detail);
    const region = config.initialActive;
    const result = await coordinator.promoteTo(
      region,
      `admin failback to ${region}`,
      body.value.force ?? false,
    );
    logAction(deps, "failback", { region }, result.kind);
    if (result.kind === "refused") return jsonError(c, 409, result.error, result.detail);
    return c.json({ result: result.kind, record: result.record });
  });

  app.post("/drain", async (c) => {
    const body = await parseBody(c.req.raw, drainBody);
    if (!body.ok) return jsonError(c, 400, "invalid_body", body.detail);
    const { region, drained } = body.value;
    coordinator.setDrained(region, drained);
    await coordinator.idle();
    const record = coordinator.currentRecord();
    logAction(deps, "drain", { region, drained }, record?.activeRegion ?? "unknown");
    const blocked =
      drained && record?.activeRegion === region ? "no healthy region to move traffic to" : undefined;
    return c.json({ region, drained, activeRegion: record?.activeRegion, epoch: record?.epoch, blocked });
  });

  app.notFound((c) => jsonError(c, 404, "not_found", `no admin route ${c.req.method} ${c.req.path}`));
  return app;
}

function logAction(deps: AdminDeps, action: string, request: Record<string, unknown>, outcome: string): void {
  deps.coordinator.note({ kind: "admin", reason: `${action} ${JSON.stringify(request)} -> ${outcome}` });
  deps.logger.info({ action, request, outcome }, `admin action: ${action}`);
}

type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string };

async function parseBody<T>(request: Request, schema: z.ZodType<T>): Promise<Parsed<T>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_ADMIN_BODY_BYTES)
    return { ok: false, detail: `body over ${MAX_ADMIN_BODY_BYTES} bytes` };
  const text = await request.text();
  if (text.length > MAX_ADMIN_BODY_BYTES)
    return { ok: false, detail: `body over ${MAX_ADMIN_BODY_BYTES} bytes` };
  let raw: unknown = {};
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, detail: "body is not valid JSON" };
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
  return { ok: false, detail };
}
