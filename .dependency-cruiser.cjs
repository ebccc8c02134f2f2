/**
 * The layers, lowest first: core <- config <- regions / router <- simulator / stack / deploy <- cli.
 * A folder may import its own layer's folders and any lower layer, never a higher one; and the
 * regional service does not import the router (they reach each other through core/transport.ts).
 * Type-only imports count too: a type from a higher layer ties the lower one to it all the same.
 *
 * `npm run layers` prints the violations; `test/layers.test.ts` runs the same rules in `npm test`
 * and checks that a deliberate backwards import is caught.
 */
const layers = [
  { name: "core", above: ["config", "regions", "router", "simulator", "stack", "deploy", "cli"] },
  { name: "config", above: ["regions", "router", "simulator", "stack", "deploy", "cli"] },
  { name: "regions", above: ["router", "simulator", "stack", "deploy", "cli"] },
  { name: "router", above: ["simulator", "stack", "deploy", "cli"] },
  { name: "simulator", above: ["cli"] },
  { name: "stack", above: ["cli"] },
  { name: "deploy", above: ["cli"] },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: layers.map(({ name, above }) => ({
    name: `${name}-imports-upwards`,
    comment: `${name}/ sits below ${above.join(", ")}: it must not import them (see .dependency-cruiser.cjs)`,
    severity: "error",
    from: { path: `^${name}/` },
    to: { path: `^(${above.join("|")})/` },
  })),
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".json"] },
  },
};
