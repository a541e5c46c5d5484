import { randomUUID } from "node:crypto";
import { deleteApp, type FirebaseApp } from "firebase/app";
import { afterAll } from "vitest";
import { createParleyClient, type ParleyClient, type ParleyOptions } from "../../client/src/index.js";
import { adminAuth, docExists } from "./admin.js";
import { emulatorApp } from "./client.js";
import { apiBase } from "./emulators.js";
import { PROFILE_WAIT_MS } from "./users.js";

// Parley clients on the emulators, as an app makes them; each test file's apps close after it.
const apps: FirebaseApp[] = [];
afterAll(async () => Promise.all(apps.splice(0).map((app) => deleteApp(app))));

/**
 * A signed-up user with a Parley client on the emulators, as an app would make one; with
 * `unlimited`, the user has the custom claim `unlimited: true` (no rate limits) in their token;
 * `apiBase` and `storage` as {@link ParleyOptions} (defaults: the emulator's API, `localStorage`).
 */
export async function newClient(
  name: string,
  options: { unlimited?: boolean } & Partial<Pick<ParleyOptions, "apiBase" | "storage">> = {},
): Promise<{ client: ParleyClient; uid: string; email: string; password: string }> {
  // The app's Auth, Firestore and Functions are connected first: the client then uses them as they are.
  const { app } = emulatorApp(`parley-client-${randomUUID()}`);
  apps.push(app);
  const client = createParleyClient(app, { apiBase: options.apiBase ?? apiBase, storage: options.storage });
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const password = "client-password";
  const user = await client.signUp(email, password, name);
  await docExists(`users/${user.uid}`, PROFILE_WAIT_MS);
  if (options.unlimited) {
    await adminAuth().setCustomUserClaims(user.uid, { unlimited: true });
    await client.auth.currentUser?.getIdToken(true);
  }
  return { client, uid: user.uid, email, password };
}

/** A user with a Parley client, as {@link newClient} answers. */
type ClientUser = Awaited<ReturnType<typeof newClient>>;

/**
 * `a` opens the 1:1 chat with `b` through the client, and `b` accepts it (with message requests
 * on, a chat between users who share no room is a request until then). Answers as `createChat`.
 */
export async function openAcceptedChat(a: ClientUser, b: ClientUser) {
  const opened = await a.client.rest.createChat({ memberUid: b.uid });
  await b.client.rest.acceptRequest({ chatId: opened.chat.id });
  return opened;
}
