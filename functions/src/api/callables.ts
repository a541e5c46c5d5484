import type { CallableRequest } from "firebase-functions/https";
import type { Operations } from "../contract.js";
import { callerOf, type Caller } from "../shared/handler.js";
import { tellsCreated, type OperationSpec } from "../shared/operation.js";
import { config } from "../config.js";
import { AppError } from "../shared/errors.js";
import { requireNotRevoked } from "./id-token.js";
import { toHttpsError } from "./callable-errors.js";
import { callableInput, requireAuth } from "./input.js";
import { implementationOf, operationOf } from "./handlers.js";
import { operationIndex } from "./operation-index.js";

type AnyRun = (caller: Caller, input: Record<string, unknown>) => Promise<{ status: number; body: object }>;

/** The name of every operation that has a callable: the JSON operations (read from `operation-index.ts`). */
export const callableNames = Object.entries(operationIndex)
  .filter(([, entry]) => entry.callable)
  .map(([name]) => name);

/**
 * Serves one call of the callable of JSON operation `name` (see `callable-shell.ts`): it takes
 * the REST operation's path parameters, query and body fields as one `data` object, needs a
 * signed-in caller and answers the REST body (plus `created` where REST answers 201 or 200).
 * Failures become `HttpsError`s through {@link toHttpsError}. The first call loads the
 * operation's capability only: its declarations (`operationOf`) and its handlers.
 */
export async function serveCall(name: string, request: CallableRequest<unknown>): Promise<object> {
  try {
    const op = (await operationOf(name as keyof Operations)) as OperationSpec;
    // onCall verified any App Check token it got (`request.app`); with ENFORCE_APP_CHECK one is required.
    if (config().enforceAppCheck && !request.app) {
      throw new AppError("unauthenticated", "Send a valid App Check token (the Firebase App Check SDK).");
    }
    const { uid, token } = requireAuth(request.auth);
    // onCall checked the signature; revocation as the REST API checks it (cached per user).
    const now = new Date();
    await requireNotRevoked({ uid, auth_time: token.auth_time }, now);
    const { run } = (await implementationOf(name as keyof Operations)) as { run: AnyRun };
    const reply = await run(callerOf({ ...token, uid }, now), callableInput(op, request.data));
    return tellsCreated(op) ? { ...reply.body, created: reply.status === 201 } : reply.body;
  } catch (error) {
    throw toHttpsError(error, name);
  }
}
