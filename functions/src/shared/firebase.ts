import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";

/** The Admin SDK app, initialised once per instance on first use. */
export function app() {
  return getApps()[0] ?? initializeApp();
}

/** The project's Firestore (Admin SDK). */
export const db = () => getFirestore(app());
/** The project's Firebase Auth (Admin SDK). */
export const auth = () => getAuth(app());
/** The project's default Cloud Storage bucket (`<project>.appspot.com` on the emulator). */
export const bucket = () => getStorage(app()).bucket();
