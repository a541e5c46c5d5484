import { onCall, type CallableFunction } from "firebase-functions/https";
import { requireModule } from "../shared/lazy.js";

/**
 * The HTTPS callable function of JSON operation `name`. Creating it loads only
 * `firebase-functions/https`: the operation's declaration, its validation (zod) and its code
 * load with the first call (`callables.ts`, `serveCall`), so an instance starts as fast as a
 * bare function.
 */
export function operationCallable(name: string): CallableFunction<unknown, Promise<object>> {
  return onCall((request) => requireModule<typeof import("./callables.js")>("../api/callables.js").serveCall(name, request));
}
