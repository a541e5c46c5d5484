import type { Router } from "express";
import { describe, expect, it } from "vitest";
import { v1Router } from "../../functions/src/api/app.js";
import { openApiDocument, openApiPath } from "../../functions/src/api/openapi.js";
import { apiBase, hostingOrigin } from "../helpers/emulators.js";

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
  return {
    status: response.status,
    document: (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> },
  };
}

describe("OpenAPI document", () => {
  it("when fetched without a token, then it is the OpenAPI 3.1 document generated from the declarations", async () => {
    const { status, document } = await openApi();

    expect(status).toBe(200);
    expect(document.openapi).toBe("3.1.0");
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
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

  it("when /docs is opened, then Swagger UI is served from the swagger-ui-dist package, at the function and on Hosting, keeping no token", async () => {
    for (const base of [functionBase, hostingOrigin]) {
      const bare = await fetch(`${base}/docs`, { redirect: "manual" });
      const page = await fetch(`${base}/docs/`);
      const bundle = await fetch(`${base}/docs/swagger-ui-bundle.js`);
      const html = await page.text();

      expect(bare.status).toBe(301);
      expect(page.status).toBe(200);
      expect(html).toContain('url: "../v1/openapi.json"');
      // A pasted ID token would otherwise sit in localStorage on the web app's origin.
      expect(html).toContain("persistAuthorization: false");
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get("content-type")).toMatch(/javascript/);
      expect((await bundle.text()).length).toBeGreaterThan(100_000);
    }
  });
});
