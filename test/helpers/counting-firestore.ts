import { FieldPath, type DocumentReference, type Firestore, type WriteBatch } from "firebase-admin/firestore";

/** Production Firestore's limits that the emulator does not enforce. */
export const PRODUCTION_LIMITS = {
  /** Field transforms (increment, arrayUnion, arrayRemove, serverTimestamp) per document per commit. */
  transformsPerDocument: 500,
  /** Bytes per document (the data written by one set or create, estimated as its JSON). */
  documentBytes: 1024 * 1024,
};

/** The methods of the SDK's field values that are transforms in a commit (a delete is not). */
const transformMethods = new Set([
  "FieldValue.increment",
  "FieldValue.arrayUnion",
  "FieldValue.arrayRemove",
  "FieldValue.serverTimestamp",
]);

function isTransform(value: unknown): boolean {
  const method = typeof value === "object" && value !== null ? (value as { methodName?: unknown }).methodName : undefined;
  return typeof method === "string" && transformMethods.has(method);
}

/** Transforms in a write's data, nested maps included. */
function countTransforms(data: unknown): number {
  if (isTransform(data)) return 1;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return 0;
  return Object.values(data).reduce((sum: number, value) => sum + countTransforms(value), 0);
}

/**
 * An Admin SDK Firestore that counts its batch commits and refuses, as production would, a
 * commit with more than 500 field transforms on one document or a document over 1 MiB.
 * Everything else is the real SDK's.
 */
export function countingFirestore(db: Firestore): {
  db: Firestore;
  commits: () => number;
  mostTransforms: () => number;
  /** The paths of the documents each commit wrote (created, set, updated or deleted), commit by commit. */
  written: () => string[][];
} {
  let commits = 0;
  let mostTransforms = 0;
  const written: string[][] = [];
  const watch = (batch: WriteBatch): WriteBatch => {
    const transforms = new Map<string, number>();
    const paths = new Set<string>();
    /** The data of a create, set or update call: its object, or the values of field/value pairs. */
    const dataOf = (method: string, args: unknown[]): unknown =>
      method === "update" && (typeof args[1] === "string" || args[1] instanceof FieldPath)
        ? args.slice(1).filter((_, i) => i % 2 === 1)
        : args[1];
    const watched: WriteBatch = new Proxy(batch, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        const method = value as (...args: unknown[]) => unknown;
        if (property === "commit") {
          return () => {
            commits++;
            written.push([...paths]);
            for (const [path, count] of transforms) {
              mostTransforms = Math.max(mostTransforms, count);
              if (count > PRODUCTION_LIMITS.transformsPerDocument) {
                return Promise.reject(new Error(`${path}: ${count} field transforms in one commit; Firestore allows 500`));
              }
            }
            return method.call(target);
          };
        }
        if (property === "delete") {
          return (...args: unknown[]) => {
            paths.add((args[0] as DocumentReference).path);
            method.apply(target, args);
            return watched;
          };
        }
        if (property !== "create" && property !== "set" && property !== "update") return method.bind(target);
        return (...args: unknown[]) => {
          const ref = args[0] as DocumentReference;
          paths.add(ref.path);
          const data = dataOf(property, args);
          transforms.set(ref.path, (transforms.get(ref.path) ?? 0) + countTransforms(data));
          const bytes = Buffer.byteLength(JSON.stringify(data) ?? "");
          if (bytes > PRODUCTION_LIMITS.documentBytes) throw new Error(`${ref.path}: ${bytes} bytes is over Firestore's 1 MiB`);
          method.apply(target, args);
          return watched;
        };
      },
    });
    return watched;
  };
  const counted = withBatches(db, watch);
  return { db: counted, commits: () => commits, mostTransforms: () => mostTransforms, written: () => written };
}

/** `db` with every `batch()` it makes passed through `watch`; everything else is `db`'s own. */
export function withBatches(db: Firestore, watch: (batch: WriteBatch) => WriteBatch): Firestore {
  return new Proxy(db, {
    get(target, property) {
      if (property === "batch") return () => watch(target.batch());
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
