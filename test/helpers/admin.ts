import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { projectId } from "./emulators.js";

/** Admin SDK Firestore on the emulator: how tests look at what is really stored. */
export function adminDb(): Firestore {
  return getFirestore(getApps()[0] ?? initializeApp({ projectId }));
}

/** Every doc path under `chats/{chatId}` (the chat and its subcollections), sorted. */
export async function chatTree(chatId: string): Promise<string[]> {
  const db = adminDb();
  const chat = db.doc(`chats/${chatId}`);
  const paths: string[] = [];
  if ((await chat.get()).exists) paths.push(chat.path);
  for (const collection of await chat.listCollections()) {
    for (const doc of await collection.listDocuments()) paths.push(doc.path);
  }
  return paths.sort();
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
