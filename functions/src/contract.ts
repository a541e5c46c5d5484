import { capabilities, type Capabilities } from "./capabilities.js";

/** `A | B` as `A & B`. */
type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (all: infer I) => void ? I : never;

/** Every capability's declarations in one object type. */
type Merged = Intersection<Capabilities[keyof Capabilities]>;

/** The type of {@link operations}: every declaration, by name. */
export type Operations = { [K in keyof Merged]: Merged[K] };

/** The names two capabilities both declare; `never`, or this file fails to compile. */
type DeclaredTwice = {
  [A in keyof Capabilities]: { [B in Exclude<keyof Capabilities, A>]: keyof Capabilities[A] & keyof Capabilities[B] }[Exclude<
    keyof Capabilities,
    A
  >];
}[keyof Capabilities];
const namesAreUnique: [DeclaredTwice] extends [never] ? true : never = true;
void namesAreUnique;

/**
 * Every operation of Parley's API, by name: the declarations of every capability of
 * `capabilities.ts`, in its order. The Express routes, the callable functions, the OpenAPI
 * document and the client library's wrappers all come from it. Pure data and zod schemas: the
 * client imports it.
 */
export const operations = Object.fromEntries(
  Object.values(capabilities).flatMap((declarations) => Object.entries(declarations)),
) as unknown as Operations;
