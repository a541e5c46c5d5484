import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from "firebase/functions";
import { connectStorageEmulator, getStorage, type FirebaseStorage } from "firebase/storage";
import { authHost, bucketName, firestoreHost, projectId, storageHost } from "./emulators.js";
import { registerFirestore } from "./listen.js";
import type { TestUser } from "./users.js";

/** A `firebase` web SDK app signed in as one user, as a mobile or web client would be. */
export interface Client {
  app: FirebaseApp;
  db: Firestore;
  functions: Functions;
  storage: FirebaseStorage;
  /** Calls an HTTPS callable function and returns its data. */
  call<T = Record<string, unknown>>(name: string, data?: unknown): Promise<T>;
  close(): Promise<void>;
}

let apps = 0;

/** Signs `user` in with the web SDK against the emulators. */
export async function clientFor(user: TestUser): Promise<Client> {
  const app = initializeApp(
    { projectId, apiKey: "demo-key", authDomain: `${projectId}.firebaseapp.com`, storageBucket: bucketName },
    `client-${++apps}`,
  );
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${authHost}`, { disableWarnings: true });
  const db = getFirestore(app);
  const [host, port] = firestoreHost.split(":");
  connectFirestoreEmulator(db, host, Number(port));
  registerFirestore(db);
  const functions = getFunctions(app, "us-central1");
  connectFunctionsEmulator(functions, "127.0.0.1", 5001);
  const storage = getStorage(app);
  const [storageHostname, storagePort] = storageHost.split(":");
  connectStorageEmulator(storage, storageHostname, Number(storagePort));
  await signInWithEmailAndPassword(auth, user.email, user.password);
  return {
    app,
    db,
    functions,
    storage,
    async call<T>(name: string, data?: unknown) {
      return (await httpsCallable(functions, name)(data)).data as T;
    },
    close: () => deleteApp(app),
  };
}

/** The code, message and details of a callable's failure, as a plain object to assert on. */
export async function callFailure(call: Promise<unknown>): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await call;
  } catch (error) {
    const { code, message, details } = error as { code: string; message: string; details: unknown };
    return { code, message, details };
  }
  throw new Error("the call succeeded but was expected to fail");
}
