import { createHash } from "node:crypto";
import type { DocumentReference, Firestore, WriteBatch } from "firebase-admin/firestore";
import { withBatches } from "./counting-firestore.js";

/**
 * A failure decided by the hash of `key` and the how-many-th time it is asked: the same run of
 * the same code fails at the same places, whatever order parallel work interleaves in.
 * `true` for about `rate` (0-1) of the (key, n) pairs.
 */
export function faultPlan(rate: number, seed: string): (key: string) => boolean {
  const asked = new Map<string, number>();
  return (key) => {
    const n = (asked.get(key) ?? 0) + 1;
    asked.set(key, n);
    const hash = createHash("sha256").update(`${seed}\n${key}\n${n}`).digest();
    return hash.readUInt32BE(0) / 2 ** 32 < rate;
  };
}

/** An error as the Firestore SDK raises it when the backend is unavailable (gRPC 14). */
export function unavailable(what: string): Error {
  return Object.assign(new Error(`14 UNAVAILABLE: ${what} (injected)`), { code: 14 });
}

/** What a faulty Firestore did: commits that landed, each with the paths it wrote, and the faults. */
export interface FaultLog {
  landed: string[][];
  failedBefore: number;
  failedAfter: number;
}

/** Where a commit fails: `before` writing anything, or `after` writing (the answer is lost). */
export type CommitFault = "before" | "after" | null;

/**
 * The Admin SDK's Firestore, except that a batch commit fails as `fault(key)` says, `key` being
 * the batch's first written path: `before` (nothing written) or `after` (written, but the caller
 * sees UNAVAILABLE: a lost answer, or an instance that died just then). Everything else is the
 * real SDK's, against the emulator.
 */
export function faultyFirestore(db: Firestore, fault: (key: string) => CommitFault): { db: Firestore; log: FaultLog } {
  const log: FaultLog = { landed: [], failedBefore: 0, failedAfter: 0 };
  const watch = (batch: WriteBatch): WriteBatch => {
    const paths: string[] = [];
    const watched: WriteBatch = new Proxy(batch, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        const method = value as (...args: unknown[]) => unknown;
        if (property === "commit") {
          return async () => {
            const key = paths[0] ?? "";
            const failure = fault(key);
            if (failure === "before") {
              log.failedBefore++;
              throw unavailable(`commit of ${key}`);
            }
            if (failure === "after") {
              await method.call(target);
              log.landed.push(paths);
              log.failedAfter++;
              throw unavailable(`answer to the commit of ${key}`);
            }
            const result = await method.call(target);
            log.landed.push(paths);
            return result;
          };
        }
        return (...args: unknown[]) => {
          if (["create", "set", "update", "delete"].includes(String(property))) paths.push((args[0] as DocumentReference).path);
          method.apply(target, args);
          return watched;
        };
      },
    });
    return watched;
  };
  return { db: withBatches(db, watch), log };
}

/**
 * Runs `handle` as the runtime runs a trigger with retries on: again after every throw, until it
 * returns. Every throw must be transient (`isTransient`). Resolves with the deliveries it took.
 * @throws after `maxDeliveries`, or the first error `isTransient` refuses.
 */
export async function deliverUntilDone(
  handle: () => Promise<unknown>,
  isTransient: (error: unknown) => boolean,
  maxDeliveries = 100,
): Promise<number> {
  for (let delivery = 1; delivery <= maxDeliveries; delivery++) {
    try {
      await handle();
      return delivery;
    } catch (error) {
      if (!isTransient(error)) throw error;
    }
  }
  throw new Error(`not done after ${maxDeliveries} deliveries`);
}
