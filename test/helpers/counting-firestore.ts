import type { Firestore } from "firebase-admin/firestore";

/** An Admin SDK Firestore that counts its batch commits; everything else is the real SDK's. */
export function countingFirestore(db: Firestore): { db: Firestore; commits: () => number } {
  let commits = 0;
  const counted = new Proxy(db, {
    get(target, property) {
      if (property === "batch") {
        return () => {
          const batch = target.batch();
          const commit = batch.commit.bind(batch);
          batch.commit = () => {
            commits++;
            return commit();
          };
          return batch;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: counted, commits: () => commits };
}
