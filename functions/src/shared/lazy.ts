import { createRequire } from "node:module";

const requireHere = createRequire(__filename);

/**
 * `load()` on first call, its result after: how an instance loads only the code of the function
 * it serves (a module is required when first needed, not when `index.ts` is).
 */
export function once<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}

/**
 * Requires module `path` (relative to `functions/lib/shared/`, e.g. `../push/on-message-created.js`)
 * synchronously; `T` is its type (`typeof import("...")`).
 */
export function requireModule<T>(path: string): T {
  return requireHere(path) as T;
}
