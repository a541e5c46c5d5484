// Injects one corrupt gRPC length prefix (as the emulator has sent one) on a listen stream and
// measures how long the listeners stay silent: the web SDK takes RESOURCE_EXHAUSTED for an
// overloaded backend and waits its maximum backoff (60 s, +-50%) before listening again. With
// RECOVER=1, disableNetwork + enableNetwork 1 s after the error ends that wait.
//   FIRESTORE_EMULATOR_HOST=127.0.0.1:18080 RECOVER=0 node bench/listen-stream/recover.mjs
import { startTap } from "./grpc-tap.mjs";
import { initializeApp as adminInit } from "firebase-admin/app";
import { getFirestore as adminDb, FieldValue } from "firebase-admin/firestore";
import { initializeApp, onLog } from "firebase/app";
import { getFirestore, connectFirestoreEmulator, doc, onSnapshot, disableNetwork, enableNetwork } from "firebase/firestore";
const RECOVER = process.env.RECOVER === "1";
adminInit({ projectId: "demo-listen" });
const admin = adminDb();
const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:18080").split(":");
const tap = await startTap(host, Number(port), () => undefined);
const apps = [0, 1, 2].map((i) => {
  const db = getFirestore(initializeApp({ projectId: "demo-listen", apiKey: "k" }, `a${i}`));
  connectFirestoreEmulator(db, "127.0.0.1", tap.port);
  return { i, db, last: Date.now(), maxSilence: 0, errorAt: 0 };
});
let errorAt = 0;
onLog(
  ({ message }) => {
    if (!/Using maximum backoff/.test(message)) return;
    errorAt = Date.now();
    console.log(`stream error at +${errorAt - t0} ms`);
    if (RECOVER) setTimeout(() => apps.forEach(({ db }) => disableNetwork(db).then(() => enableNetwork(db))), 1000);
  },
  { level: "error" },
);
const run = Date.now();
const t0 = Date.now();
for (const a of apps)
  onSnapshot(doc(a.db, `c-${run}/a${a.i}`), () => {
    const now = Date.now();
    a.maxSilence = Math.max(a.maxSilence, now - a.last);
    a.last = now;
  });
const timer = setInterval(
  () => apps.forEach((a) => admin.doc(`c-${run}/a${a.i}`).set({ n: FieldValue.increment(1) }, { merge: true })),
  300,
);
setTimeout(() => tap.injectCorruption(), 3000);
await new Promise((r) => setTimeout(r, 100_000));
clearInterval(timer);
for (const a of apps) a.maxSilence = Math.max(a.maxSilence, Date.now() - a.last);
console.log(JSON.stringify({ RECOVER, injected: tap.injected(), maxSilenceMs: apps.map((a) => a.maxSilence) }));
process.exit(0);
