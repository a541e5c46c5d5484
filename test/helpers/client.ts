import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from "firebase/functions";
import { connectStorageEmulator, getStorage, type FirebaseStorage } from "firebase/storage";
import { authHost, bucketName, firestoreHost, functionsHost, hostAndPort, projectId, storageHost } from "./emulators.js";
import { registerFirestore } from "./listen.js";
import type { TestUser } from "./users.js";

/** A `firebase` web SDK app on the emulators, no one signed in yet. */
export interface EmulatorApp {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  /** The `us-central1` callables. */
  functions: Functions;
  storage: FirebaseStorage;
}

/**
 * The one way tests make a web SDK app: app `name` of the emulator project, with its Auth,
 * Firestore, Functions (`us-central1`) and Storage connected to the emulators, and its Firestore
 * registered with the listen helper's workaround. Delete it (`deleteApp`) when done.
 */
export function emulatorApp(name: string): EmulatorApp {
  const app = initializeApp(
    { projectId, apiKey: "demo-key", authDomain: `${projectId}.firebaseapp.com`, storageBucket: bucketName },
    name,
  );
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${authHost}`, { disableWarnings: true });
  const db = getFirestore(app);
  connectFirestoreEmulator(db, ...hostAndPort(firestoreHost));
  registerFirestore(db);
  const functions = getFunctions(app, "us-central1");
  connectFunctionsEmulator(functions, ...hostAndPort(functionsHost));
  const storage = getStorage(app);
  connectStorageEmulator(storage, ...hostAndPort(storageHost));
  return { app, auth, db, functions, storage };
}

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
  const { app, auth, db, functions, storage } = emulatorApp(`client-${++apps}`);
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
