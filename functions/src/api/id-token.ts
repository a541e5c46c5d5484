import type { DecodedIdToken } from "firebase-admin/auth";
import jwt from "jsonwebtoken";
import { z } from "zod";
import { config } from "../config.js";
import { app, auth } from "../shared/firebase.js";
import { refusal } from "./authenticate.js";
import { RevocationCache } from "./revocation-cache.js";

/** An Admin SDK-shaped error: {@link refusal} reads its `code`. */
class TokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The claims Parley reads of an Auth emulator token (the SDK's `DecodedIdToken` has the same). */
const emulatorClaims = z.looseObject({
  sub: z.string().min(1).max(128),
  aud: z.string(),
  iss: z.string(),
  iat: z.number(),
  exp: z.number(),
  auth_time: z.number(),
  firebase: z.looseObject({ identities: z.record(z.string(), z.unknown()), sign_in_provider: z.string() }),
});

/**
 * An Auth emulator ID token's claims: unsigned (the emulator signs nothing), checked for expiry,
 * audience and issuer by `jsonwebtoken`, as the Admin SDK checks them there, but without the
 * Auth lookup the SDK adds on the emulator only (production's `verifyIdToken(token)` makes none).
 * @throws TokenError `auth/id-token-expired`, `auth/argument-error` (anything else wrong).
 */
function emulatorIdToken(token: string): DecodedIdToken {
  const projectId = app().options.projectId ?? process.env.GCLOUD_PROJECT ?? "";
  try {
    const payload = jwt.verify(token, "", {
      algorithms: ["none"],
      audience: projectId,
      issuer: `https://securetoken.google.com/${projectId}`,
    });
    const claims = emulatorClaims.parse(payload);
    return { ...claims, uid: claims.sub };
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new TokenError("auth/id-token-expired", error.message);
    throw new TokenError("auth/argument-error", error instanceof Error ? error.message : String(error));
  }
}

/**
 * The claims of a Firebase ID token, its signature and claims checked (no revocation lookup:
 * {@link requireNotRevoked} does that). Against the Auth emulator, {@link emulatorIdToken}.
 * @throws the Admin SDK's auth errors ({@link refusal} reads them).
 */
export async function verifySignature(token: string): Promise<DecodedIdToken> {
  if (process.env.FIREBASE_AUTH_EMULATOR_HOST) return emulatorIdToken(token);
  return auth().verifyIdToken(token);
}

let revocations: RevocationCache | undefined;

/**
 * With `CHECK_REVOKED_TOKENS`, refuses a token of a user whose tokens were revoked after it was
 * issued, or who is disabled: as `verifyIdToken(token, true)`, but each user's Firebase Auth
 * lookup is reused for `REVOCATION_CACHE_SECONDS` in this instance ({@link RevocationCache}), so
 * a revocation takes effect within that window.
 * @throws AppError `unauthenticated` (revoked, disabled, deleted user), `unavailable` (the
 *   lookup failed for a moment), via {@link refusal}.
 */
export async function requireNotRevoked(claims: { uid: string; auth_time: number }, now: Date): Promise<void> {
  const { checkRevokedTokens, revocationCacheSeconds } = config();
  if (!checkRevokedTokens) return;
  revocations ??= new RevocationCache((uid) => auth().getUser(uid), revocationCacheSeconds * 1000);
  let verdict;
  try {
    verdict = await revocations.check(claims.uid, claims.auth_time, now.getTime());
  } catch (error) {
    throw refusal(error);
  }
  if (verdict === "revoked") throw refusal(new TokenError("auth/id-token-revoked", "revoked"));
  if (verdict === "disabled") throw refusal(new TokenError("auth/user-disabled", "disabled"));
}

/** {@link verifySignature} then {@link requireNotRevoked}: the REST API's check of a bearer token. */
export async function verifyIdToken(token: string): Promise<DecodedIdToken> {
  const claims = await verifySignature(token);
  await requireNotRevoked(claims, new Date());
  return claims;
}
