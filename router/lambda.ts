import { handle } from "hono/aws-lambda";
import { buildRouterFromEnv } from "./build-from-env.ts";

/**
 * The router as an AWS Lambda handler (API Gateway / function URL events via hono/aws-lambda).
 * The same app as on Node; the environment comes from ENV_NAME. Health checks run on timers
 * while the execution environment is warm; a frozen environment resumes them on its next
 * invocation, and passive signals (refused connections) still confirm failures at once.
 */
const built = await buildRouterFromEnv();
built.router.start();

export const handler = handle(built.router.app);
