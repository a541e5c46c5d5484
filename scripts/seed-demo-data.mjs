#!/usr/bin/env node
// Builds the demo data in emulator-data/: three users (alice, bob, carol @example.com, password
// "parley-demo", e-mail addresses verified) and a chat between alice and bob with a few messages and a photo, all made
// through the real Auth emulator and Parley's API. Run it with `npm run seed:demo` (which exports on exit).
import { readFileSync } from "node:fs";
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const authUrl = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1`;
const apiUrl = `http://127.0.0.1:5001/${projectId}/us-central1/api/v1`;
const app = initializeApp({ projectId });
const db = getFirestore(app);

async function call(method, url, token, body) {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function signUp(name) {
  const email = `${name.toLowerCase()}@example.com`;
  const account = await call("POST", `${authUrl}/accounts:signUp?key=demo-key`, undefined, {
    email,
    password: "parley-demo",
    displayName: name,
    returnSecureToken: true,
  });
  // The profile doc comes from the Auth trigger; wait until it is there.
  await new Promise((resolve) => {
    const stop = db.doc(`users/${account.localId}`).onSnapshot((snap) => {
      if (snap.exists) {
        stop();
        resolve();
      }
    });
  });
  // Verified, as after clicking the link, so an ended demo chat's export mails its members.
  await getAuth(app).updateUser(account.localId, { emailVerified: true });
  return { uid: account.localId, token: account.idToken };
}

const alice = await signUp("Alice");
const bob = await signUp("Bob");
await signUp("Carol");
const { chat } = await call("POST", `${apiUrl}/chats`, alice.token, { memberUid: bob.uid });
const lines = [
  [alice, "Hi Bob! Did you get the slides?"],
  [bob, "Yes, thanks. Looking at them now."],
  [alice, "Great. Lunch at noon?"],
  [bob, "Sounds good, see you then."],
];
for (const [from, text] of lines) {
  await call("POST", `${apiUrl}/chats/${chat.id}/messages`, from.token, { text });
}
const photo = new FormData();
photo.append("text", "The view from the terrace");
photo.append("file", new Blob([readFileSync("docs/photo.jpg")], { type: "image/jpeg" }), "terrace.jpg");
const uploaded = await fetch(`${apiUrl}/chats/${chat.id}/messages`, {
  method: "POST",
  headers: { authorization: `Bearer ${bob.token}` },
  body: photo,
});
if (uploaded.status !== 201) throw new Error(`photo upload: ${uploaded.status} ${await uploaded.text()}`);
await call("POST", `${apiUrl}/chats/${chat.id}/read`, alice.token, { upTo: 3 });
console.log(`Seeded chat ${chat.id} with ${lines.length + 1} messages.`);
process.exit(0);
