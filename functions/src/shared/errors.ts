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

/**
 * The `code` of an error-like value, if it has one: a gRPC status number (what Firestore's
 * Admin SDK errors carry), an SDK string such as `messaging/...` or `auth/...`, a Node errno
 * name. The one place Parley reads an error's code.
 */
export function errorCode(error: unknown): string | number | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error;
  return typeof code === "string" || typeof code === "number" ? code : undefined;
}

/** The gRPC statuses Parley tells apart in Firestore failures. */
export const grpcStatus = {
  /** A precondition's doc is gone (an update or a delete with `exists: true`). */
  notFound: 5,
  /** A `create` of a doc that exists. */
  alreadyExists: 6,
  /** A write whose `lastUpdateTime` precondition is stale. */
  failedPrecondition: 9,
} as const;

/** `true` when `error` is a Firestore (gRPC) failure with one of `statuses` ({@link grpcStatus}). */
export function hasGrpcStatus(error: unknown, ...statuses: number[]): boolean {
  const code = errorCode(error);
  return typeof code === "number" && statuses.includes(code);
}

/** `true` when `error` is a Firestore ALREADY_EXISTS failure (gRPC status 6). */
export function isAlreadyExists(error: unknown): boolean {
  return hasGrpcStatus(error, grpcStatus.alreadyExists);
}

/**
 * `true` when `error` says Firestore closed the transaction under the caller: INVALID_ARGUMENT
 * (gRPC 3) with "transaction has expired" (production; the Admin SDK retries that itself) or
 * "Transaction is invalid or closed" (the emulator's words when it timed a transaction out under
 * contention, firebase-tools #4473; the SDK does not retry those). Either is a write that lost a
 * race, not a bad request: `aborted` to callers, transient to triggers.
 */
export function isClosedTransaction(error: unknown): boolean {
  if (!hasGrpcStatus(error, 3)) return false;
  const message = error instanceof Error ? error.message : "";
  return /transaction has expired|transaction is invalid or closed/i.test(message);
}

/** The {@link AppError} a closed transaction ({@link isClosedTransaction}) answers with: 409 `aborted`. */
export function closedTransactionError(): AppError {
  return new AppError("aborted", "The write lost a race with others; try again.");
}
