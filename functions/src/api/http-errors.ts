import type { ErrorRequestHandler } from "express";
import { logs } from "../logs.js";
import { z } from "zod";
import { AppError, closedTransactionError, errorCodes, isClosedTransaction, type ErrorCode } from "../shared/errors.js";

/** HTTP status of each error code: the one place this mapping lives. */
export const httpStatus: Record<ErrorCode, number> = {
  "invalid-argument": 400,
  unauthenticated: 401,
  "permission-denied": 403,
  "not-found": 404,
  "already-exists": 409,
  "failed-precondition": 409,
  aborted: 409,
  "payload-too-large": 413,
  "range-not-satisfiable": 416,
  "resource-exhausted": 429,
  unavailable: 503,
  internal: 500,
};

/** JSON error body of every REST failure: `{"error": {"code": "...", "message": "..."}}`. */
export const errorBody = z
  .object({
    error: z
      .object({
        code: z.enum(errorCodes).meta({ description: "Parley's stable error code: switch on this" }),
        message: z.string().meta({ description: "What went wrong, for people; for `invalid-argument`, each bad field by name" }),
      })
      .meta({ description: "The refusal" }),
  })
  .meta({ id: "Error", description: "The body of every REST error" });
export type ErrorBody = z.infer<typeof errorBody>;

/**
 * Express's router decodes path parameters with `decodeURIComponent` before any route runs, and
 * throws a `URIError` (with `status: 400`) for escapes that are not UTF-8 (`%FF`, `%C3%28`, an
 * encoded surrogate `%ED%A0%80`, a lone `%`). That is the client's mistake, not an internal one.
 */
function clientErrorOf(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isClosedTransaction(error)) return closedTransactionError();
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) {
    return new AppError("invalid-argument", "path: is not valid percent-encoded UTF-8");
  }
  return undefined;
}

/**
 * Status, body and headers for `thrown` (`Retry-After` for a rate limit): an {@link AppError}, a
 * path Express's router could not decode (400 `invalid-argument`), or a transaction Firestore
 * closed (409 `aborted`, see `isClosedTransaction`). Anything else is logged and hidden.
 */
export function toHttpError(
  thrown: unknown,
  route: string,
): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  const error = clientErrorOf(thrown) ?? thrown;
  if (error instanceof AppError) {
    logs.requestRejected(route, error.code);
    const wait = error.details?.retryAfterSeconds;
    return {
      status: httpStatus[error.code],
      body: { error: { code: error.code, message: error.message } },
      ...(typeof wait === "number" && { headers: { "retry-after": String(wait) } }),
    };
  }
  logs.unexpectedError(route, error);
  return { status: 500, body: { error: { code: "internal", message: "An internal error occurred." } } };
}

/** Express error handler answering with {@link toHttpError}. */
export const sendHttpError: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
  const { status, body, headers } = toHttpError(error, `${req.method} ${route}`);
  res
    .status(status)
    .set(headers ?? {})
    .json(body);
};
