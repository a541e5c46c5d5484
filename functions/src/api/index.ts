import { onRequest } from "firebase-functions/https";
import { params } from "../config.js";
import { createApp } from "./app.js";

/**
 * The REST API: `https://<region>-<project>.cloudfunctions.net/api/v1/...`, and `/v1/...` on the
 * project's Hosting site (a rewrite). CORS is open: every call carries its ID token in a header,
 * never a cookie, so any origin may call it.
 *
 * Sizing (README, "Production settings"): 80 requests at once per instance (Cloud Run's
 * default at 1 CPU; requests mostly wait on Firestore), 1 GiB because a few of them may be
 * uploads (streamed, up to 25 MiB) and image decodes (sharp, at most 50 megapixels), and at
 * most `API_MAX_INSTANCES` (100) instances, a ceiling on what a flood can cost. 120 s covers
 * a 25 MiB upload on a slow phone link.
 */
export const api = onRequest(
  { cors: true, cpu: 1, memory: "1GiB", concurrency: 80, maxInstances: params.apiMaxInstances, timeoutSeconds: 120 },
  createApp(),
);
