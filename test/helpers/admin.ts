import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { projectId } from "./emulators.js";

/** Admin SDK Firestore on the emulator: how tests look at what is really stored. */
export function adminDb(): Firestore {
  return getFirestore(getApps()[0] ?? initializeApp({ projectId }));
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
