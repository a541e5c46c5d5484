import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// What an instance loads (ARCHITECTURE, "How functions load"): a fresh process with
// FUNCTION_TARGET set loads the built functions/lib/index.js and serves its first request, as
// bench/function-load.mjs times it (bench/first-use.cjs; no emulators). `npm test` builds before
// this tier.
const sample = fileURLToPath(new URL("../../bench/first-use.cjs", import.meta.url));
const lib = fileURLToPath(new URL("../../functions/lib/", import.meta.url));

/** The status of the first request of function `target` and the files its process loaded. */
function firstUse(target: string, kind?: "api" | "callable"): { status?: number; files: string[] } {
  const out = execFileSync("node", [sample, kind ? "first-use" : "load", ...(kind ? [kind] : [])], {
    env: { ...process.env, FUNCTION_TARGET: target, LIST_MODULES: "1" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const lines = out.toString().trim().split("\n");
  const result = JSON.parse(lines[lines.length - 1]) as { status?: number; modules: string[] };
  const files = result.modules.map((file) =>
    file.startsWith(lib) ? file.slice(lib.length) : file.replace(/^.*\/node_modules\//, "node_modules/"),
  );
  return { status: result.status, files };
}

/** The capabilities (folders of functions/lib) whose declarations or handlers were loaded. */
function capabilitiesServed(files: string[]): string[] {
  const served = files.flatMap((file) => /^([a-z-]+)\/(contract|handlers)\.js$/.exec(file)?.[1] ?? []).filter((c) => c !== "api");
  return [...new Set(served)].sort();
}

/** Packages a request of one JSON operation never needs: the OpenAPI document, its page. */
const documentOnly = ["node_modules/@asteasolutions/zod-to-openapi/", "node_modules/swagger-ui-dist/", "api/openapi.js"];

describe("what a function's instance loads", () => {
  it("when a callable serves its first call, then it loads its own capability's declarations and handlers, not Express, the REST routes or the others", () => {
    const { status, files } = firstUse("markRead", "callable");

    expect(status).toBe(400); // refused at validation, after loading what the call needs
    expect(capabilitiesServed(files)).toEqual(["messages"]);
    expect(files).not.toContain("contract.js");
    expect(files.filter((file) => file.startsWith("node_modules/express/"))).toEqual([]);
    expect(files.filter((file) => ["api/app.js", "api/rest.js", "api/docs-page.js"].includes(file))).toEqual([]);
    expect(files.filter((file) => documentOnly.some((prefix) => file.startsWith(prefix)))).toEqual([]);
  });

  it("when api serves its first request, then it loads that route's capability only, not the OpenAPI document or the other capabilities", () => {
    const { status, files } = firstUse("api", "api");

    expect(status).toBe(400); // POST /v1/chats/{id}/messages without a body: sendMessage's validation
    expect(capabilitiesServed(files)).toEqual(["messages"]);
    expect(files).not.toContain("contract.js");
    expect(files.filter((file) => documentOnly.some((prefix) => file.startsWith(prefix)))).toEqual([]);
  });

  it("when a trigger loads, then it loads no operation's declarations, no handlers and no Express", () => {
    const { files } = firstUse("onMessageCreated");

    expect(capabilitiesServed(files)).toEqual([]);
    expect(files.filter((file) => file.startsWith("node_modules/express/") || file.startsWith("api/"))).toEqual([]);
  });
});
