import type { RequestHandler } from "express";
import type { DecodedIdToken } from "firebase-admin/auth";
import { logs } from "../logs.js";
import { AppError, errorCode } from "../shared/errors.js";
import { callerOf, type Caller } from "../shared/handler.js";

/** Verifies a Firebase ID token and returns its claims; may throw an AppError of its own (passed on as is). */
export type VerifyIdToken = (token: string) => Promise<DecodedIdToken>;

/**
 * Admin SDK codes of a token check that failed for a moment, not because of the token: Auth's
 * own error and the network to it (the revocation lookup calls Firebase Auth).
 */
const TRANSIENT_AUTH_CODES: ReadonlySet<string> = new Set(["auth/internal-error", "app/network-error", "app/network-timeout"]);

/**
 * Why a token was refused, from the Admin SDK's error code: `unavailable` (503, retry) when the
 * check itself failed for a moment ({@link TRANSIENT_AUTH_CODES}, or an error with no code),
 * else `unauthenticated`: expired, revoked (the user's
 * refresh tokens were revoked after it was issued), a disabled user, or anything else. The code
 * is logged (`id token refused`), so a 401 can be told apart afterwards.
 */
export function refusal(error: unknown): AppError {
  const code = errorCode(error);
  logs.tokenRefused(typeof code === "string" ? code : "none");
  if (typeof code !== "string" || TRANSIENT_AUTH_CODES.has(code)) {
    return new AppError("unavailable", "Could not check the ID token just now; retry.");
  }
  const message =
    code === "auth/id-token-expired"
      ? "The ID token has expired; get a fresh one."
      : code === "auth/id-token-revoked"
        ? "The ID token has been revoked; sign in again."
        : code === "auth/user-disabled"
          ? "This account is disabled."
          : "The ID token is not valid.";
  return new AppError("unauthenticated", message);
}

/**
 * Requires `Authorization: Bearer <Firebase ID token>` and puts the token's claims in
 * `res.locals.claims`.
 * @throws AppError `unauthenticated` when the header is missing or the token is invalid,
 *   expired, for another project or (when `verify` checks it) revoked or of a disabled user;
 *   `unavailable` when the check itself failed for a moment ({@link refusal}).
 */
export function authenticate(verify: VerifyIdToken): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    if (!match) {
      throw new AppError("unauthenticated", "Send a Firebase ID token as `Authorization: Bearer <token>`.");
    }
    let decoded: DecodedIdToken;
    try {
      decoded = await verify(match[1]);
    } catch (error) {
      throw error instanceof AppError ? error : refusal(error);
    }
    res.locals.claims = decoded;
    next();
  };
}

/** The caller {@link authenticate} verified, at `now`. */
export function callerFrom(res: { locals: Record<string, unknown> }, now: Date): Caller {
  return callerOf(res.locals.claims as DecodedIdToken, now);
}
