import type { Request } from "express";
import { z } from "zod";
import { AppError } from "../shared/errors.js";
import { bodyOptional, fieldsOf, type OperationSpec } from "../shared/operation.js";
import { parseInput } from "../shared/validation.js";

/**
 * A REST request's input: path parameters, query and JSON body, each validated by the
 * operation's schema and merged into one object. A body every field of which is optional may be
 * left out.
 * @throws AppError `invalid-argument` naming each bad field.
 */
export function restInput(op: OperationSpec, req: Request): Record<string, unknown> {
  return {
    ...(op.params && parseInput(op.params, req.params, "path")),
    ...(op.query && parseInput(op.query, req.query, "query")),
    ...(op.body && parseInput(op.body, req.body === undefined && bodyOptional(op) ? {} : req.body, "body")),
  };
}

/**
 * A callable's `data`: one object with the path parameters, query and body fields of the REST
 * operation, and nothing else. Validated as a whole (unknown keys, missing fields), then by each
 * part's own schema, so that checks across fields (e.g. `before` or `after`) hold here too.
 * @throws AppError `invalid-argument` naming each bad field.
 */
export function callableInput(op: OperationSpec, data: unknown): Record<string, unknown> {
  const { whole, parts } = callableSchemas(op);
  const input = parseInput(whole, data ?? {}, "data");
  for (const part of parts) {
    const fields = Object.fromEntries(
      fieldsOf(part)
        .filter((key) => key in input)
        .map((key) => [key, input[key]]),
    );
    parseInput(part, fields, "data");
  }
  return input;
}

const callableSchemaCache = new WeakMap<OperationSpec, { whole: z.ZodObject; parts: z.ZodObject[] }>();

/** The parts of `op`'s input, and the strict object of all their fields; built once per operation. */
function callableSchemas(op: OperationSpec): { whole: z.ZodObject; parts: z.ZodObject[] } {
  let schemas = callableSchemaCache.get(op);
  if (!schemas) {
    const parts = [op.params, op.query, op.body].filter((part) => part !== undefined);
    const whole = z.strictObject(Object.assign({}, ...parts.map((part) => part.shape)) as z.ZodRawShape);
    schemas = { whole, parts };
    callableSchemaCache.set(op, schemas);
  }
  return schemas;
}

/** Refuses a callable call without a signed-in user. */
export function requireAuth<T>(auth: T | undefined): T {
  if (!auth) throw new AppError("unauthenticated", "Sign in to call this function.");
  return auth;
}
