import { httpsCallable, type Functions } from "firebase/functions";
import { operations, type Operations } from "../../functions/src/contract.js";
import {
  hasCallable,
  type CallableResult,
  type OperationInput,
  type OperationSpec,
} from "../../functions/src/shared/operation.js";
import { errorFromCallable } from "./errors.js";

/** The operations that have a callable: every operation but the downloads. */
type CallableName = { [K in keyof Operations]: Operations[K] extends { download: object } ? never : K }[keyof Operations];

/** Takes `input`, optional when the operation needs none. */
type Call<I, O> = Record<never, never> extends I ? (input?: I) => Promise<O> : (input: I) => Promise<O>;

/** A typed wrapper per callable: the REST operation's input as one object, its body (and `created`) back. */
export type CallableApi = { [K in CallableName]: Call<OperationInput<Operations[K]>, CallableResult<Operations[K]>> };

/**
 * The HTTPS callable functions, typed and generated from the API's own declarations: one per
 * JSON operation, with the same name (files have none: use `rest.sendFile`). Failures throw
 * {@link ParleyError} with Parley's code.
 */
export function callableApi(functions: Functions): CallableApi {
  const call =
    (name: string) =>
    async (input: unknown = {}) => {
      try {
        return (await httpsCallable(functions, name)(input)).data;
      } catch (error) {
        throw errorFromCallable(error);
      }
    };
  const ops = Object.values(operations as Record<string, OperationSpec & { name: string }>).filter(hasCallable);
  return Object.fromEntries(ops.map((op) => [op.name, call(op.name)])) as CallableApi;
}
