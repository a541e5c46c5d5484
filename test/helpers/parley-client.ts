import { randomUUID } from "node:crypto";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator } from "firebase/auth";
import { connectFirestoreEmulator } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";
import { afterAll } from "vitest";
import { createParleyClient, type ParleyClient } from "../../client/src/index.js";
import { docExists } from "./admin.js";
import { apiBase, authHost, firestoreHost, projectId } from "./emulators.js";

// Parley clients on the emulators, as an app makes them; each test file's apps close after it.
const apps: FirebaseApp[] = [];
afterAll(async () => Promise.all(apps.map((app) => deleteApp(app))));

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

/** Resolves with the first state `pick` accepts. */
export function next<S, T>(
  subscribe: (callback: (state: S) => void) => () => void,
  pick: (state: S) => T | undefined,
): Promise<T> {
  return new Promise((resolve) => {
    let done = false;
    let stop: (() => void) | undefined;
    const listen = () => {
      // The callback may run inside `subscribe`, before `stop` is assigned.
      const stopThis = subscribe((state) => {
        const value = pick(state);
        if (value === undefined || done) return;
        done = true;
        clearInterval(retry);
        stop?.();
        resolve(value);
      });
      if (done) stopThis();
      else stop = stopThis;
    };
    // Under the full suite's load the emulator's listen stream has been seen to drop a change
    // (a listener then waits forever; the data is there). After 15 s of no match, listen afresh:
    // a new listener starts from the current data. Logged, so a run shows when it happened.
    const retry = setInterval(() => {
      if (done) return;
      console.warn("next(): no matching state after 15 s; listening afresh");
      stop?.();
      listen();
    }, 15_000);
    listen();
  });
}
