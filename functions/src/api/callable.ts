import { onCall, type CallableFunction } from "firebase-functions/https";
import type { z } from "zod";
import { AppError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import { toHttpsError } from "./callable-errors.js";

/**
 * An HTTPS callable function that requires a signed-in caller, validates `data` with `schema`
 * and runs `run`. Failures become `HttpsError`s through {@link toHttpsError}.
 */
export function authedCallable<S extends z.ZodType, R>(
  name: string,
  schema: S,
  run: (callerUid: string, input: z.output<S>) => Promise<R>,
): CallableFunction<unknown, Promise<R>> {
  return onCall(async (request) => {
    try {
      if (!request.auth) throw new AppError("unauthenticated", "Sign in to call this function.");
      return await run(request.auth.uid, parseInput(schema, request.data ?? {}, "data"));
    } catch (error) {
      throw toHttpsError(error, name);
    }
  });
}
