import { Hono } from "hono";
import { jsonError } from "../core/http-errors.ts";
import { FaultHealError, type FaultManager } from "./fault-manager.ts";
import { LIVE_FAULTS } from "./faults/index.ts";
import { FaultError } from "./faults/live-fault.ts";

const EXAMPLE = '{"kind":"region-down","region":"prod-us","durationS":30}';

/**
 * The live stack's control API (loopback only): inject and heal faults while load runs.
 * Used by `failover fault ...` and by the k6 failover script. Every answer is JSON.
 */
export function controlApi(faults: FaultManager, status: () => Promise<unknown>): Hono {
  const app = new Hono();
  app.get("/status", async (c) => c.json(await status()));
  app.get("/faults", (c) => c.json({ active: faults.list() }));
  app.get("/fault-kinds", (c) =>
    c.json([...LIVE_FAULTS.values()].map((f) => ({ kind: f.kind, summary: f.summary }))),
  );
  app.post("/faults", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(c, 400, "malformed_json", `send a JSON object like ${EXAMPLE}`);
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return jsonError(c, 400, "invalid_body", `send a JSON object like ${EXAMPLE}`);
    }
    try {
      return c.json(await faults.inject(body as Record<string, unknown>), 201);
    } catch (error) {
      if (!(error instanceof FaultError)) throw error;
      return jsonError(
        c,
        error.status,
        error.status === 409 ? "fault_conflict" : "invalid_fault",
        error.message,
      );
    }
  });
  app.delete("/faults", async (c) => c.json({ healed: await faults.heal() }));
  app.delete("/faults/:id", async (c) => {
    const text = c.req.param("id");
    const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    const healed = await faults.heal(id);
    return healed.length ? c.json({ healed }) : jsonError(c, 404, "not_found", `no active fault ${text}`);
  });
  app.notFound((c) => jsonError(c, 404, "not_found", `no route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof FaultHealError) return jsonError(c, 500, "heal_failed", error.message);
    return jsonError(c, 500, "control_error", `the control API failed: ${error.message}`);
  });
  return app;
}
