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
  internal: 500,
};

/** JSON error body of every REST failure: `{"error": {"code": "...", "message": "..."}}`. */
export const errorBody = z.object({ error: z.object({ code: z.enum(errorCodes), message: z.string() }) });
export type ErrorBody = z.infer<typeof errorBody>;

/** Status and body for `error`; anything but an {@link AppError} is logged and hidden. */
export function toHttpError(error: unknown, route: string): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    logs.requestRejected(route, error.code);
    return { status: httpStatus[error.code], body: { error: { code: error.code, message: error.message } } };
  }
  logs.unexpectedError(route, error);
  return { status: 500, body: { error: { code: "internal", message: "An internal error occurred." } } };
}

/** Express error handler answering with {@link toHttpError}. */
export const sendHttpError: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
  const { status, body } = toHttpError(error, `${req.method} ${route}`);
  res.status(status).json(body);
};
