import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth, type Auth } from "firebase-admin/auth";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { bucketName, projectId } from "./emulators.js";
import { eventually } from "./wait.js";

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

/** Resolves once `path` exists: it is read every 200 ms, for up to `timeoutMs`. */
export async function docExists(path: string, timeoutMs = 20_000): Promise<void> {
  const ref = adminDb().doc(path);
  await eventually(async () => {
    if (!(await ref.get()).exists) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
  }, timeoutMs);
}
