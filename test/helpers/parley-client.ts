import { randomUUID } from "node:crypto";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator } from "firebase/auth";
import { connectFirestoreEmulator, disableNetwork, enableNetwork, getFirestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";
import { afterAll } from "vitest";
import { createParleyClient, type ParleyClient } from "../../client/src/index.js";
import { docExists } from "./admin.js";
import { apiBase, authHost, firestoreHost, projectId } from "./emulators.js";

// Parley clients on the emulators, as an app makes them; each test file's apps close after it.
const apps: FirebaseApp[] = [];
afterAll(async () => Promise.all(apps.splice(0).map((app) => deleteApp(app))));

/** A signed-up user with a Parley client on the emulators, as an app would make one. */
export async function newClient(name: string): Promise<{ client: ParleyClient; uid: string; email: string }> {
  const app = initializeApp({ projectId, apiKey: "demo-key" }, `parley-client-${randomUUID()}`);
  apps.push(app);
  const client = createParleyClient(app, { apiBase });
  connectAuthEmulator(client.auth, `http://${authHost}`, { disableWarnings: true });
  const [host, port] = firestoreHost.split(":");
  connectFirestoreEmulator(client.db, host, Number(port));
  connectFunctionsEmulator(getFunctions(app, "us-central1"), "127.0.0.1", 5001);
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const user = await client.signUp(email, "client-password", name);
  await docExists(`users/${user.uid}`);
  return { client, uid: user.uid, email };
}

/** Reconnects every client's Firestore: ends a listen stream's backoff (see `next`). */
async function reconnectAll(): Promise<void> {
  await Promise.all(
    apps.map(async (app) => {
      const db = getFirestore(app);
      await disableNetwork(db);
      await enableNetwork(db);
    }),
  );
}

/**
 * Resolves with the first state `pick` accepts; rejects with the listener's error (pass
 * `onError` on to the realtime helper).
 *
 * The one workaround for the Firestore emulator's listen stream (1.19.9; shown without Parley in
 * test/emulators/listen-stream.test.ts): it can announce a consistent read time before it sends
 * an earlier commit's change, and a listener on a doc that did not exist yet then never shows
 * the doc; a listener added while a commit is under way can miss that commit; and it has sent a
 * corrupt gRPC message, after which the SDK waits 30-90 s before it listens again. So after
 * 15 s with no match, this reconnects the clients and listens afresh: a new listener starts
 * from the current data. Logged, so a run shows when it happened.
 */
export function next<S, T>(
  subscribe: (callback: (state: S) => void, onError: (error: Error) => void) => () => void,
  pick: (state: S) => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    let stop: (() => void) | undefined;
    const finish = (settle: () => void) => {
      done = true;
      clearInterval(retry);
      stop?.();
      settle();
    };
    const listen = () => {
      // The callback may run inside `subscribe`, before `stop` is assigned.
      const stopThis = subscribe(
        (state) => {
          const value = pick(state);
          if (value !== undefined && !done) finish(() => resolve(value));
        },
        (error) => {
          if (!done) finish(() => reject(error));
        },
      );
      if (done) stopThis();
      else stop = stopThis;
    };
    const retry = setInterval(() => {
      if (done) return;
      console.warn("next(): no matching state after 15 s; reconnecting and listening afresh (emulator listen stream)");
      stop?.();
      stop = undefined;
      void reconnectAll().then(() => {
        if (!done) listen();
      });
    }, 15_000);
    listen();
  });
}
