import { disableNetwork, enableNetwork, type Firestore } from "firebase/firestore";

// The one place tests wait on web-SDK listeners, and so the one workaround for the Firestore
// emulator's listen stream (cloud-firestore-emulator 1.19.9; shown without Parley in
// test/emulators/listen-stream.test.ts and bench/listen-stream/):
// - it can announce a consistent read time before it sends an earlier commit's change, and a
//   listener on a doc that did not exist yet then never shows the doc;
// - a listener added while a commit is under way can miss that commit;
// - it has sent a corrupt gRPC message, after which the SDK waits 30-90 s to listen again.
// So a wait with no match after 15 s reconnects every test client's Firestore (ending a
// backoff) and listens afresh: a new listener starts from the current data. It is logged
// ("listening afresh"), so a run shows when it happened.

const RELISTEN_AFTER_MS = 15_000;
const databases = new Set<Firestore>();

/** Lets the workaround reconnect `db`: every test client registers its Firestore here. */
export function registerFirestore(db: Firestore): void {
  databases.add(db);
}

/** Reconnects every registered Firestore; one whose app was deleted is dropped. */
async function reconnectAll(): Promise<void> {
  await Promise.all(
    [...databases].map(async (db) => {
      try {
        await disableNetwork(db);
        await enableNetwork(db);
      } catch {
        databases.delete(db);
      }
    }),
  );
}

/** Starts a listener: calls `callback` with each state and `onError` once; returns its stop handle. */
export type Subscribe<S, H extends () => void> = (callback: (state: S) => void, onError: (error: Error) => void) => H;

/** A live listener whose every state is kept, waited on with `until`. */
export interface Watcher<S, H extends () => void> {
  /** Every state seen, oldest first, across re-listens. */
  readonly states: readonly S[];
  /** The current listener's handle (a new one after a re-listen). */
  handle(): H;
  /**
   * Resolves with `pick`'s value for the first state, seen or to come, it accepts; rejects with
   * the listener's error. `act`, if given, runs on the listener now and again on a fresh
   * listener's first state after a re-listen (e.g. `loadOlder`).
   */
  until<T>(pick: (state: S) => T | undefined, act?: (handle: H) => unknown): Promise<T>;
  stop(): void;
}

interface Waiter {
  /** Settles the wait if a state (or the listener's error) decides it; true if it did. */
  settle(): boolean;
  /** Runs the wait's action on the current listener, if there is one. */
  act(): void;
}

/** Listens with `subscribe` until `stop()`; see {@link Watcher}. */
export function watch<S, H extends () => void>(subscribe: Subscribe<S, H>): Watcher<S, H> {
  const states: S[] = [];
  const waiters = new Set<Waiter>();
  let failure: Error | undefined;
  let current: H | undefined;
  let generation = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const wake = () => waiters.forEach((waiter) => waiter.settle() && waiters.delete(waiter));
  // 15 s after a wait begins (or after the last re-listen) with a wait still open: re-listen.
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(relisten, RELISTEN_AFTER_MS);
  };
  const listen = () => {
    const mine = ++generation;
    let fresh = true;
    const handle = subscribe(
      (state) => {
        if (mine !== generation) return;
        states.push(state);
        wake();
        if (fresh && mine > 1) waiters.forEach((waiter) => waiter.act());
        fresh = false;
      },
      (error) => {
        if (mine !== generation) return;
        failure = error;
        wake();
      },
    );
    if (stopped) handle();
    else current = handle;
  };
  const relisten = () => {
    if (stopped || waiters.size === 0) return;
    console.warn("listen: no matching state after 15 s; reconnecting and listening afresh (emulator listen stream)");
    current?.();
    current = undefined;
    generation++;
    arm();
    void reconnectAll().then(() => {
      if (!stopped) listen();
    });
  };
  listen();
  return {
    states,
    handle: () => {
      if (!current) throw new Error("the listener is being restarted");
      return current;
    },
    until<T>(pick: (state: S) => T | undefined, act?: (handle: H) => unknown) {
      return new Promise<T>((resolve, reject) => {
        const settle = () => {
          if (failure) {
            reject(failure);
            return true;
          }
          for (const state of states) {
            const value = pick(state);
            if (value === undefined) continue;
            resolve(value);
            return true;
          }
          return false;
        };
        const waiter: Waiter = {
          settle,
          act: () => {
            if (act && current) Promise.resolve(act(current)).catch(reject);
          },
        };
        waiter.act();
        if (settle()) return;
        waiters.add(waiter);
        arm();
      });
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      waiters.clear();
      current?.();
      current = undefined;
    },
  };
}

/** A wait on a new listener, and `ready`: its first state arrived (it listens; act after it). */
export type Next<T> = Promise<T> & { ready: Promise<void> };

/**
 * Resolves with the first state of a new listener that `pick` accepts, then stops it; rejects
 * with the listener's error. Await `ready` before the action it waits for: the emulator can miss
 * a commit made while a listener is still being set up. Use it for one wait; {@link watch} for
 * several on one listener.
 */
export function next<S, T>(subscribe: Subscribe<S, () => void>, pick: (state: S) => T | undefined): Next<T> {
  const watcher = watch(subscribe);
  const value = watcher.until(pick).finally(() => watcher.stop());
  // Never rejects: a listener's error is the wait's to report.
  const ready = Promise.race([watcher.until(() => true), value]).then(
    () => undefined,
    () => undefined,
  );
  return Object.assign(value, { ready });
}
