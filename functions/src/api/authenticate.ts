import type { RequestHandler } from "express";
import type { DecodedIdToken } from "firebase-admin/auth";
import { AppError } from "../shared/errors.js";
import { callerOf, type Caller } from "../shared/handler.js";

/** Verifies a Firebase ID token and returns its claims. */
export type VerifyIdToken = (token: string) => Promise<DecodedIdToken>;

/**
 * Requires `Authorization: Bearer <Firebase ID token>` and puts the token's claims in
 * `res.locals.claims`.
 * @throws AppError `unauthenticated` when the header is missing or the token is invalid,
 *   expired, revoked or for another project.
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
      const expired = (error as { code?: unknown }).code === "auth/id-token-expired";
      throw new AppError(
        "unauthenticated",
        expired ? "The ID token has expired; get a fresh one." : "The ID token is not valid.",
      );
    }
    res.locals.claims = decoded;
    next();
  };
}

/** The caller {@link authenticate} verified, at `now`. */
export function callerFrom(res: { locals: Record<string, unknown> }, now: Date): Caller {
  return callerOf(res.locals.claims as DecodedIdToken, now);
}
