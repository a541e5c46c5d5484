import { onRequest } from "firebase-functions/https";
import { createApp } from "./app.js";

/** The REST API: `https://<region>-<project>.cloudfunctions.net/api/v1/...`. */
export const api = onRequest(createApp());
