/**
 * The pinned AWS SDK versions support Node 20 (the project's engine), but the SDK prints a
 * multi-line notice about future versions on every CLI run under Node 20. The CLI turns that
 * one notice off (the SDK's own switch), unless the operator has set the variable either way.
 */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
