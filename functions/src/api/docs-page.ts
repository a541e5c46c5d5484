import express, { Router, type RequestHandler } from "express";
import { once, requireModule } from "../shared/lazy.js";

/**
 * Swagger UI's page, loading the assets of the swagger-ui-dist package (no CDN) next to it. A
 * pasted ID token is not persisted (`persistAuthorization: false`): the page is served from the
 * web app's origin (Hosting rewrites), where it would sit in `localStorage` for any script there.
 */
const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley API</title><link rel="stylesheet" href="swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: "../v1/openapi.json", dom_id: "#swagger-ui", persistAuthorization: false });</script>
</body></html>`;

/**
 * The OpenAPI document, built on first request: `openapi.ts` loads zod-to-openapi and every
 * operation's declarations, which no other request needs.
 */
const document = once(() => requireModule<typeof import("./openapi.js")>("../api/openapi.js").openApiDocument());

/** Swagger UI's assets, served from the swagger-ui-dist package; found on the first request for them. */
const assets = once((): RequestHandler => {
  // `absolute-path.js`, not the package's main module, which loads the whole Swagger UI bundle.
  const getAbsoluteFSPath = requireModule<() => string>("swagger-ui-dist/absolute-path.js");
  return express.static(getAbsoluteFSPath(), { index: false });
});

/**
 * `GET /v1/openapi.json` (the document, no token needed) and `GET /docs/` (interactive docs).
 * Relative links keep both working under any prefix (function URL, Hosting, emulator). Neither
 * loads anything until it is asked for.
 */
export function docsRoutes(): Router {
  const router = Router();
  router.get("/v1/openapi.json", (_req, res) => {
    res.json(document());
  });
  router.get("/docs", (req, res) => {
    // `/docs` → `/docs/`, so that the page's relative asset links resolve under it.
    if (!req.originalUrl.split("?")[0].endsWith("/")) return res.redirect(301, "docs/");
    res.type("html").send(page);
  });
  router.use("/docs", (req, res, next) => assets()(req, res, next));
  return router;
}
