import { onRequest } from "firebase-functions/https";
import { createApp } from "./app.js";

/**
 * The REST API: `https://<region>-<project>.cloudfunctions.net/api/v1/...`, and `/v1/...` on the
 * project's Hosting site (a rewrite). CORS is open: every call carries its ID token in a header,
 * never a cookie, so any origin may call it.
 */
export const api = onRequest({ cors: true }, createApp());
