// The smallest case, no Parley code: one web-SDK app listens to K docs that don't exist yet
// (each listener has had its first snapshot), then the Admin SDK creates the K docs in K
// concurrent commits. Counts the listeners that never show their doc.
//   FIRESTORE_EMULATOR_HOST=127.0.0.1:18080 K=20 ROUNDS=10 node bench/listen-stream/created-doc.mjs
// Env: K, ROUNDS, WAIT_MS; QUERY=1 (documentId() == queries instead of doc listeners);
// SERIAL=1 (one create after the other); OTHERS=n (n more concurrent creates nobody listens to);
// NOWAIT=1 (create right after onSnapshot, DELAY ms later if given).
import { randomUUID } from "node:crypto";
import { initializeApp as adminInit } from "firebase-admin/app";
import { getFirestore as adminDb } from "firebase-admin/firestore";
import { initializeApp, deleteApp } from "firebase/app";
import {
  getFirestore,
  connectFirestoreEmulator,
  doc,
  onSnapshot,
  query,
  collection,
  where,
  documentId,
} from "firebase/firestore";

const K = Number(process.env.K ?? 20);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const WAIT_MS = Number(process.env.WAIT_MS ?? 10000);
const QUERY = process.env.QUERY === "1";
const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:18080").split(":");
adminInit({ projectId: "demo-listen" });
const admin = adminDb();
const app = initializeApp({ projectId: "demo-listen", apiKey: "k" }, "one");
const db = getFirestore(app);
connectFirestoreEmulator(db, host, Number(port));
const errors = [];
let missed = 0;
let total = 0;
for (let r = 0; r < ROUNDS; r++) {
  const run = randomUUID();
  const ids = Array.from({ length: K }, (_, i) => `d${i}`);
  const seen = new Set();
  const stops = [];
  const firsts = Promise.all(
    ids.map(
      (id) =>
        new Promise((first) => {
          stops.push(
            onSnapshot(
              QUERY
                ? query(collection(db, "created", run, "docs"), where(documentId(), "==", id))
                : doc(db, "created", run, "docs", id),
              (snap) => {
                first();
                if (QUERY ? !snap.empty : snap.exists()) seen.add(id);
              },
              (e) => {
                errors.push(e.code);
                first();
              },
            ),
          );
        }),
    ),
  );
  if (process.env.NOWAIT !== "1") await firsts;
  else if (process.env.DELAY) await new Promise((r) => setTimeout(r, Number(process.env.DELAY)));
  const t0 = Date.now();
  if (process.env.SERIAL === "1") for (const id of ids) await admin.doc(`created/${run}/docs/${id}`).create({ at: Date.now() });
  else
    await Promise.all([
      ...ids.map((id) => admin.doc(`created/${run}/docs/${id}`).create({ at: Date.now() })),
      ...Array.from({ length: Number(process.env.OTHERS ?? 0) }, (_, i) =>
        admin.doc(`unrelated/${run}-${i}`).create({ at: Date.now() }),
      ),
    ]);
  while (seen.size < K && Date.now() - t0 < WAIT_MS) await new Promise((r) => setTimeout(r, 50));
  const lost = ids.filter((id) => !seen.has(id));
  const there = (await Promise.all(lost.map((id) => admin.doc(`created/${run}/docs/${id}`).get()))).filter(
    (s) => s.exists,
  ).length;
  stops.forEach((s) => s());
  missed += lost.length;
  total += K;
  console.log(`round ${r}: ${lost.length}/${K} listeners never saw their doc created (${there} of them in the emulator)`);
}
console.log(
  JSON.stringify({
    NOWAIT: process.env.NOWAIT === "1",
    DELAY: process.env.DELAY,
    OTHERS: Number(process.env.OTHERS ?? 0),
    QUERY,
    SERIAL: process.env.SERIAL === "1",
    K,
    ROUNDS,
    WAIT_MS,
    total,
    missed,
    listenerErrors: errors,
  }),
);
await deleteApp(app);
process.exit(0);
