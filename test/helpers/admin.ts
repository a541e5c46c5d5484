import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { projectId } from "./emulators.js";

/** Admin SDK Firestore on the emulator: how tests look at what is really stored. */
export function adminDb(): Firestore {
  return getFirestore(getApps()[0] ?? initializeApp({ projectId }));
}

/** Resolves once `path` exists, without polling (a snapshot listener). */
export function docExists(path: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${path} did not appear within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = adminDb()
      .doc(path)
      .onSnapshot((snap) => {
        if (snap.exists) {
          clearTimeout(timer);
          stop();
          resolve();
        }
      }, reject);
  });
}
