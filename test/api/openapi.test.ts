import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Router } from "express";
import { describe, expect, it } from "vitest";
import { v1Router } from "../../functions/src/api/app.js";
import { openApiPath } from "../../functions/src/api/openapi.js";
import { apiBase } from "../helpers/emulators.js";

const functionBase = apiBase.replace(/\/v1$/, "");

/** `METHOD path` of every route an Express router (and the routers it mounts) defines. */
function routesOf(router: Router): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${openApiPath(layer.route!.path)}`)
        : layer.handle?.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return [...new Set(walk((router as unknown as { stack: Layer[] }).stack))].sort();
}

async function openApi() {
  const response = await fetch(`${apiBase}/openapi.json`);
  return { status: response.status, document: (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> } };
}

describe("OpenAPI document", () => {
  it("when fetched without a token, then it is an OpenAPI 3.1 document that Redocly's linter passes", async () => {
    const { status, document } = await openApi();
    const file = join(mkdtempSync(join(tmpdir(), "parley-openapi-")), "openapi.json");
    writeFileSync(file, JSON.stringify(document));

    const lint = spawnSync("npx", ["redocly", "lint", file, "--format=stylish"], {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });

    expect(status).toBe(200);
    expect(document.openapi).toBe("3.1.0");
    expect(`${lint.stdout}${lint.stderr}`).toContain("Your API description is valid");
    expect(lint.status).toBe(0);
  });

  it("when compared with the Express app, then every route is documented and every documented operation is a route", async () => {
    const { document } = await openApi();
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();

    const routes = routesOf(v1Router());

    expect(routes.length).toBeGreaterThan(20);
    expect(documented).toEqual(routes);
  });

  it("when /docs is opened, then Swagger UI is served from the swagger-ui-dist package, at the function and on Hosting", async () => {
    for (const base of [functionBase, "http://127.0.0.1:5000"]) {
      const bare = await fetch(`${base}/docs`, { redirect: "manual" });
      const page = await fetch(`${base}/docs/`);
      const bundle = await fetch(`${base}/docs/swagger-ui-bundle.js`);
      const html = await page.text();

      expect(bare.status).toBe(301);
      expect(page.status).toBe(200);
      expect(html).toContain('url: "../v1/openapi.json"');
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get("content-type")).toMatch(/javascript/);
      expect((await bundle.text()).length).toBeGreaterThan(100_000);
    }
  });
});
