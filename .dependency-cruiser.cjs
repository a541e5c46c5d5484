// Module boundaries, checked by `npm run depcruise` (part of `npm test`). ARCHITECTURE.md
// explains the layers; the rules below are that picture, enforced.

const { readFileSync } = require("node:fs");
const { join } = require("node:path");

/**
 * The capabilities from the bottom up, as `functions/src/capabilities.ts` lists them (one
 * `name: declarations,` line each): the one list, read here rather than written twice. The
 * list is TypeScript (its declarations are typed), so this reads its keys from the source.
 */
function capabilityLadder() {
  const source = readFileSync(join(__dirname, "functions/src/capabilities.ts"), "utf8");
  const list = /^export const capabilities = \{\n([^}]*)^\}/m.exec(source);
  const names = [...(list?.[1] ?? "").matchAll(/^ {2}(\w+):/gm)].map((match) => match[1]);
  if (names.length === 0) throw new Error("functions/src/capabilities.ts: no `export const capabilities = {` list found.");
  return names;
}

/** Layers from the bottom up: `shared`, then every capability. Each may import those before it, never those after it. */
const layers = ["shared", ...capabilityLadder()];

/** Modules the client imports too: zod schemas, views and operation declarations, nothing else. */
const pure =
  "^functions/src/(capabilities\\.ts|contract\\.ts|[^/]+/(contract|views|schemas)\\.ts|shared/(operation|docs|doc-schemas|display-text|errors|schemas|time)\\.ts)$";

/** Glue: bindings of operations, triggers and jobs; the only capability files that may see config and logs. */
const glue = "^functions/src/[^/]+/(handlers|on-[^/]+|scheduled)\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "No module may reach itself through its imports.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...layers.map((layer, index) => ({
      name: `layers-${layer}`,
      comment: `${layer}/ may import only the capabilities below it: ${layers.slice(0, index).join(", ") || "none"}.`,
      severity: "error",
      from: { path: `^functions/src/${layer}/` },
      to: {
        path: `^functions/src/(${[...layers.slice(index + 1), "api", "capabilities\\.ts", "contract\\.ts", "index\\.ts"].join("|")})`,
      },
    })),
    {
      name: "api-is-the-composition-root",
      comment: "Nothing imports api/ but the deployed index.",
      severity: "error",
      from: { path: "^functions/src/", pathNot: "^functions/src/(api/|index\\.ts$)" },
      to: { path: "^functions/src/api/" },
    },
    {
      name: "domain-stays-framework-free",
      comment: "Domain code takes its handles as arguments: no firebase-functions, config or logs.",
      severity: "error",
      from: { path: "^functions/src/[^/]+/", pathNot: `^functions/src/api/|${glue}` },
      to: { path: "(^|/)node_modules/firebase-functions/|^functions/src/(config|logs)\\.ts$" },
    },
    {
      name: "contracts-are-pure",
      comment: "The client imports declarations and views: they may use zod and each other only.",
      severity: "error",
      from: { path: pure },
      to: { pathNot: `${pure}|(^|/)node_modules/zod/` },
    },
    {
      name: "client-imports-only-contracts",
      comment: "The client library uses the server's declarations, views and doc shapes, never its code.",
      severity: "error",
      from: { path: "^client/src/" },
      to: { path: "^functions/src/", pathNot: pure },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
  },
};
