import type { ServingCapabilities } from "../capabilities.js";
import type { Operations } from "../contract.js";

/** The capability that declares operation `K`. */
type OwnerOf<K extends PropertyKey> = {
  [C in keyof ServingCapabilities]: K extends keyof ServingCapabilities[C] ? C : never;
}[keyof ServingCapabilities];

/**
 * What `operation-index.ts` must say of each operation, derived from its declaration: the
 * capability that declares it, its method and path, and whether it has a callable (downloads
 * have none). A missing, extra or stale line is a compile error.
 */
export type OperationIndex = {
  [K in keyof Operations]: {
    capability: OwnerOf<K>;
    method: Operations[K]["method"];
    path: Operations[K]["path"];
    callable: Operations[K] extends { download: object } ? false : true;
  };
};
