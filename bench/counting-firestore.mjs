// Counts Firestore document reads and writes made through the Admin SDK in this process, by
// wrapping the SDK's own methods: the benchmark's cost figures are counted, not estimated.
// Reads: each document a get, getAll or query returns (a query that returns nothing costs 1),
// 1 per count aggregation. Writes: each create, set, update or delete in a batch or transaction.
import { fileURLToPath } from "node:url";
import firestore from "@google-cloud/firestore";

export const counts = { reads: 0, writes: 0 };

export function resetCounts() {
  counts.reads = 0;
  counts.writes = 0;
}

function wrap(prototype, name, count) {
  const original = prototype[name];
  prototype[name] = function (...args) {
    const result = original.apply(this, args);
    if (result && typeof result.then === "function") {
      return result.then((value) => {
        count(value, args);
        return value;
      });
    }
    count(result, args);
    return result;
  };
}

/** Installs the counters on the Admin SDK's Firestore classes. `db` provides the aggregate class. */
export function countFirestore(db) {
  const { Query, WriteBatch, Transaction, Firestore } = firestore;
  // DocumentReference.get goes through Firestore.getAll; single writes go through a WriteBatch,
  // and so do a transaction's writes; a transaction's reads use internal readers.
  wrap(Query.prototype, "get", (snap) => (counts.reads += Math.max(1, snap.size)));
  wrap(Firestore.prototype, "getAll", (snaps) => (counts.reads += snaps.length));
  const aggregate = Object.getPrototypeOf(db.collection("_").count());
  wrap(aggregate, "get", () => (counts.reads += 1));
  for (const method of ["create", "set", "update", "delete"]) wrap(WriteBatch.prototype, method, () => (counts.writes += 1));
  wrap(
    Transaction.prototype,
    "get",
    (value) => (counts.reads += value && typeof value.size === "number" ? Math.max(1, value.size) : 1),
  );
  wrap(Transaction.prototype, "getAll", (snaps) => (counts.reads += snaps.length));
}

/** Turns the Functions emulator's background triggers on or off (`enable`, `disable`). */
export const backgroundTriggers = (state) =>
  fetch(`http://127.0.0.1:4400/functions/${state}BackgroundTriggers`, { method: "PUT" });

/**
 * Runs a `*-costs.mjs` module alone, when `moduleUrl` is the script node was started with:
 * counts `costs`' reads and writes on `db`, prints them with `console.table` (`rows` shapes the
 * result; default: as it is), with the emulator's background triggers off while it runs when
 * `quiet`, and exits. Does nothing when the module was imported (by `bench/run.mjs`).
 */
export async function runAlone(moduleUrl, db, costs, { rows = (result) => result, quiet = false } = {}) {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  countFirestore(db);
  const costOf = async (run) => {
    resetCounts();
    await run();
    return { reads: counts.reads, writes: counts.writes };
  };
  if (quiet) await backgroundTriggers("disable");
  try {
    console.table(rows(await costs(costOf)));
  } finally {
    if (quiet) await backgroundTriggers("enable");
  }
  process.exit(0);
}
