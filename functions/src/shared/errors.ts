/**
 * The closed set of error codes Parley answers with. They are stable: clients may switch on
 * them. The names follow the Firebase `HttpsError` codes; `payload-too-large` and
 * `range-not-satisfiable` (HTTP only: a download's `Range` lies outside the file) are extras.
 * `unavailable`: a service Parley depends on (Firebase Auth's revocation lookup) failed for a
 * moment; the same call may succeed if retried.
 */
export const errorCodes = [
  "invalid-argument",
  "unauthenticated",
  "permission-denied",
  "not-found",
  "already-exists",
  "failed-precondition",
  "aborted",
  "payload-too-large",
  "range-not-satisfiable",
  "resource-exhausted",
  "unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/**
 * A rate limit or quota refused the call: wait `retryAfterSeconds` (whole seconds, at least 1)
 * and retry. REST answers 429 with `Retry-After`; callables `resource-exhausted` with the wait
 * in `details.retryAfterSeconds`.
 */
export function rateLimited(message: string, waitMs: number): AppError {
  return new AppError("resource-exhausted", message, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
}

/** A failure the caller can act on. Anything else thrown is treated as an internal error. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** `true` when `error` is a Firestore ALREADY_EXISTS failure (gRPC status 6). */
export function isAlreadyExists(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === 6;
}
