import express, { type RequestHandler } from "express";
import { config } from "../config.js";
import { AppError } from "../shared/errors.js";
import { app } from "../shared/firebase.js";
import { requireAppCheck } from "./app-check.js";
import { authenticate } from "./authenticate.js";
import { docsRoutes } from "./docs-page.js";
import { verifyIdToken } from "./id-token.js";
import { sendHttpError } from "./http-errors.js";
import { operationRoutes } from "./rest.js";

/**
 * Rejects bodies over `MAX_JSON_BODY_BYTES` with 413. The Cloud Functions runtime has already
 * read and parsed the body (keeping the bytes in `rawBody`) before this app runs. File uploads
 * (multipart) have their own limit, `MAX_UPLOAD_BYTES`, enforced by the upload route.
 */
const limitBodySize: RequestHandler = (req, _res, next) => {
  if (req.is("multipart/form-data")) return next();
  const size = (req as { rawBody?: Buffer }).rawBody?.length ?? 0;
  const limit = config().maxJsonBodyBytes;
  if (size > limit) throw new AppError("payload-too-large", `The request body is over ${limit} bytes.`);
  next();
};

/** `firebase-admin/app-check`, loaded only where App Check is enforced. */
const verifyAppCheck = async (token: string) => {
  const { getAppCheck } = await import("firebase-admin/app-check");
  return getAppCheck(app()).verifyToken(token);
};

/**
 * Every REST route (mounted at `/v1`): body limit, App Check (when `ENFORCE_APP_CHECK`), ID
 * token (checked for revocation when `CHECK_REVOKED_TOKENS`, each user's lookup reused for
 * `REVOCATION_CACHE_SECONDS`: `id-token.ts`), then a route per operation.
 */
export function v1Router(): express.Router {
  const v1 = express.Router();
  v1.use(limitBodySize);
  v1.use(requireAppCheck(() => config().enforceAppCheck, verifyAppCheck));
  v1.use(authenticate(verifyIdToken));
  v1.use(operationRoutes());
  return v1;
}

/** The REST API under `/v1`; every route needs a Firebase ID token but its OpenAPI document and `/docs`. */
export function createApp(): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(docsRoutes());
  app.use("/v1", v1Router());
  app.use((req) => {
    throw new AppError("not-found", `No route for ${req.method} ${req.path}.`);
  });
  app.use(sendHttpError);
  return app;
}
