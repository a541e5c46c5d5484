import { HttpsError, type FunctionsErrorCode } from "firebase-functions/https";
import { logs } from "../logs.js";
import { AppError, closedTransactionError, isClosedTransaction, type ErrorCode } from "../shared/errors.js";

/** `HttpsError` code of each error code: the one place this mapping lives. */
const callableCode: Record<ErrorCode, FunctionsErrorCode> = {
  "invalid-argument": "invalid-argument",
  unauthenticated: "unauthenticated",
  "permission-denied": "permission-denied",
  "not-found": "not-found",
  "already-exists": "already-exists",
  "failed-precondition": "failed-precondition",
  aborted: "aborted",
  "payload-too-large": "resource-exhausted",
  "range-not-satisfiable": "out-of-range",
  "resource-exhausted": "resource-exhausted",
  unavailable: "unavailable",
  internal: "internal",
};

/**
 * `HttpsError` for `thrown`, carrying Parley's code in `details.code`; a transaction Firestore
 * closed is `aborted` (see `isClosedTransaction`). Anything else but an {@link AppError} is
 * logged and becomes `internal` without its message.
 */
export function toHttpsError(thrown: unknown, name: string): HttpsError {
  const error = isClosedTransaction(thrown) ? closedTransactionError() : thrown;
  if (error instanceof AppError) {
    logs.requestRejected(name, error.code);
    return new HttpsError(callableCode[error.code], error.message, { ...error.details, code: error.code });
  }
  logs.unexpectedError(name, error);
  return new HttpsError("internal", "An internal error occurred.", { code: "internal" });
}
