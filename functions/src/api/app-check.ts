import type { RequestHandler } from "express";
import { AppError } from "../shared/errors.js";

/** Verifies an App Check token; rejects when it is not valid for this project. */
export type VerifyAppCheck = (token: string) => Promise<unknown>;

/**
 * When `enforce()` is true, requires a valid App Check token in `X-Firebase-AppCheck` (what the
 * Firebase App Check SDKs attach), so only your registered apps reach the REST API.
 * @throws AppError `unauthenticated` when the header is missing or the token is not valid.
 */
export function requireAppCheck(enforce: () => boolean, verify: VerifyAppCheck): RequestHandler {
  return async (req, _res, next) => {
    if (!enforce()) return next();
    const token = req.get("x-firebase-appcheck");
    if (!token) throw new AppError("unauthenticated", "Send an App Check token in X-Firebase-AppCheck.");
    try {
      await verify(token);
    } catch {
      throw new AppError("unauthenticated", "The App Check token is not valid.");
    }
    next();
  };
}
