#!/usr/bin/env node
// The browser part of the bench on its own (bench/run.mjs runs it among the rest): signs up a
// pair of users for the windows and a pair for the API's send → listener, then prints the split.
//
//   npm run build && node scripts/emulators.mjs exec "node bench/browser-latency-alone.mjs"
//   BENCH_BROWSER_SAMPLES=20 BENCH_BROWSER_PAUSE_MS=0 (the defaults)
import { randomUUID } from "node:crypto";
import { initializeApp as initializeAdmin } from "firebase-admin/app";
import { getAuth as getAdminAuth } from "firebase-admin/auth";
import { getFirestore as getAdminFirestore } from "firebase-admin/firestore";
import { browserLatency } from "./browser-latency.mjs";

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "127.0.0.1:9099";
const apiBase = `http://127.0.0.1:5001/${projectId}/us-central1/api/v1`;
const admin = getAdminFirestore(initializeAdmin({ projectId }));
const password = "bench-password";

/** A new user with the `unlimited` claim (the bench measures latency, not the per-user limits), signed in. */
async function signUp(name) {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@bench.example.com`;
  const identity = (action, body) =>
    fetch(`http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:${action}?key=bench`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, returnSecureToken: true, ...body }),
    }).then((response) => response.json());
  const account = await identity("signUp", { displayName: name });
  for (let i = 0; i < 300 && !(await admin.doc(`users/${account.localId}`).get()).exists; i++)
    await new Promise((r) => setTimeout(r, 100));
  await getAdminAuth().setCustomUserClaims(account.localId, { unlimited: true });
  return { uid: account.localId, email, password, token: (await identity("signInWithPassword")).idToken };
}

/** A 1:1 chat of `a` with `b`: its id. */
async function chatOf(a, b) {
  const response = await fetch(`${apiBase}/chats`, {
    method: "POST",
    headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" },
    body: JSON.stringify({ memberUid: b.uid }),
  });
  return (await response.json()).chat.id;
}

console.log("[browser bench] signing up");
const [sender, receiver, apiSender, apiReceiver] = [
  await signUp("Sender"),
  await signUp("Receiver"),
  await signUp("ApiSender"),
  await signUp("ApiReceiver"),
];
const run = await browserLatency({
  sender,
  receiver,
  chatId: await chatOf(sender, receiver),
  samples: Number(process.env.BENCH_BROWSER_SAMPLES ?? 20),
  pauseMs: Number(process.env.BENCH_BROWSER_PAUSE_MS ?? 0),
  log: (line) => console.log(`[browser bench] ${line}`),
  api: { sender: apiSender, receiver: apiReceiver, chatId: await chatOf(apiSender, apiReceiver) },
});
if (!run) {
  console.log("skipped: no Chromium (node scripts/browser.mjs, or set CHROMIUM_PATH)");
  process.exit(0);
}
console.log(JSON.stringify({ ...run, toReceiver: undefined, toSender: undefined, parts: undefined }, null, 1));
console.table(
  run.toReceiver.map((total, i) => ({ total, ...Object.fromEntries(Object.entries(run.parts).map(([k, v]) => [k, v[i]])) })),
);
console.table({
  "Enter → other window": run.toReceiverP50,
  "API send → listener": run.apiSendToListenerP50,
  ...run.partsP50,
});
console.log(`ratio to the API's send → listener p50: ${run.ratioToApiP50}`);
process.exit(0);
