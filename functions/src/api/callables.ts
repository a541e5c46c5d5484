import { onCall, type CallableFunction } from "firebase-functions/https";
import { operations } from "../contract.js";
import type { Caller } from "../shared/handler.js";
import { hasCallable, tellsCreated, type OperationSpec } from "../shared/operation.js";
import { toHttpsError } from "./callable-errors.js";
import { callableInput, requireAuth } from "./input.js";
import { implementations } from "./operations.js";

type AnyRun = (caller: Caller, input: Record<string, unknown>) => Promise<{ status: number; body: object }>;

/**
 * An HTTPS callable function for every JSON operation of `contract.ts`, named after it: it
 * takes the REST operation's path parameters, query and body fields as one `data` object, needs
 * a signed-in caller and answers the REST body (plus `created` where REST answers 201 or 200).
 * Failures become `HttpsError`s through {@link toHttpsError}.
 */
export function operationCallables(): Record<string, CallableFunction<unknown, Promise<object>>> {
  const callables: Record<string, CallableFunction<unknown, Promise<object>>> = {};
  for (const op of Object.values(operations) as (OperationSpec & { name: string })[]) {
    if (!hasCallable(op)) continue;
    const run = (implementations[op.name as keyof typeof implementations] as { run: AnyRun }).run;
    callables[op.name] = onCall(async (request) => {
      try {
        const { uid } = requireAuth(request.auth);
        const reply = await run({ uid, now: new Date() }, callableInput(op, request.data));
        return tellsCreated(op) ? { ...reply.body, created: reply.status === 201 } : reply.body;
      } catch (error) {
        throw toHttpsError(error, op.name);
      }
    });
  }
  return callables;
}
