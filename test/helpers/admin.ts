import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth, type Auth } from "firebase-admin/auth";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { bucketName, projectId } from "./emulators.js";

const adminApp = () => getApps()[0] ?? initializeApp({ projectId, storageBucket: bucketName });

/** Admin SDK Firestore on the emulator: how tests look at what is really stored. */
export function adminDb(): Firestore {
  return getFirestore(adminApp());
}

/** Admin SDK Auth on the emulator: custom claims, verified e-mails. */
export function adminAuth(): Auth {
  return getAuth(adminApp());
}

/** Admin SDK access to the default bucket on the Storage emulator. */
export function adminBucket() {
  return getStorage(adminApp()).bucket();
}

/** Names of the objects under `prefix` in the default bucket. */
export async function objectNames(prefix: string): Promise<string[]> {
  const [files] = await adminBucket().getFiles({ prefix });
  return files.map((file) => file.name).sort();
}

/**
 * Resolves once `path` exists. Listens for it; the emulator's listen stream has been seen to
 * miss a write under load, so a read every 500 ms backs the listener up.
 */
export function docExists(path: string, timeoutMs = 20_000): Promise<void> {
  const ref = adminDb().doc(path);
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      clearInterval(recheck);
      stop();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`${path} did not appear within ${timeoutMs} ms`)), timeoutMs);
    const recheck = setInterval(() => {
      ref.get().then((snap) => snap.exists && done(), done);
    }, 500);
    const stop = ref.onSnapshot((snap) => snap.exists && done(), done);
  });
}
