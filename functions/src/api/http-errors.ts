import type { ErrorRequestHandler } from "express";
import { logs } from "../logs.js";
import { z } from "zod";
import { AppError, errorCodes, type ErrorCode } from "../shared/errors.js";

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
  internal: 500,
};

/** JSON error body of every REST failure: `{"error": {"code": "...", "message": "..."}}`. */
export const errorBody = z.object({ error: z.object({ code: z.enum(errorCodes), message: z.string() }) });
export type ErrorBody = z.infer<typeof errorBody>;

/**
 * Status, body and headers for `error` (`Retry-After` for a rate limit); anything but an
 * {@link AppError} is logged and hidden.
 */
export function toHttpError(
  error: unknown,
  route: string,
): { status: number; body: ErrorBody; headers?: Record<string, string> } {
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
