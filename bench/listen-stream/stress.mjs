// Listen-stream stress, no Parley code: many web-SDK apps listen (docs, queries, order+limit,
// collection groups, array-contains) while the Admin SDK writes in concurrent batches, and it
// counts the listeners that never show a write they should show. With TAP=1 the apps reach the
// emulator through grpc-tap.mjs, which checks the gRPC framing the emulator sends, keeps every
// message, and classifies each miss from what was on the wire. Start a lone emulator first:
//   java -cp /usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar \
//     com.google.cloud.datastore.emulator.firestore.CloudFirestore --host 127.0.0.1 --port 18080 --project_id demo-listen
//   FIRESTORE_EMULATOR_HOST=127.0.0.1:18080 TAP=1 APPS=10 ROUNDS=20 node bench/listen-stream/stress.mjs
// Env: APPS (20), ROUNDS (10), PER_APP (6 listeners per app per round), NOISE (concurrent noise
// batch loops, 16), WAIT_MS (time a listener gets to show its write, 20000), ERRCB (1: pass an
// error callback; 0: none), ATTACH ("now": write right after onSnapshot; "first": after every
// listener's first snapshot), REMOVE_GAP_MS (pause between the last round's unlisten and this
// round's listen), BURN (CPU burner processes), DEBUG (1: count SDK debug lines of interest).
import { fork } from "node:child_process";
import { startTap } from "./grpc-tap.mjs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const protobuf = require("protobufjs");
const protoRoot = protobuf.Root.fromJSON(require("@google-cloud/firestore/build/protos/v1.json"));
const ListenRequest = protoRoot.lookupType("google.firestore.v1.ListenRequest");
const ListenResponse = protoRoot.lookupType("google.firestore.v1.ListenResponse");
const asObject = { longs: String, enums: String, defaults: false };

/**
 * The Listen protocol: a global snapshot (a targetChange NO_CHANGE with no target ids and a
 * read_time T) tells the client it has every change up to T. Counts the document changes the
 * emulator sends after it already announced a later global read time on the same stream.
 */
function orderViolations() {
  const maxGlobal = new Map();
  const current = new Map(); // stream:target -> CURRENT read time
  const samples = [];
  let changes = 0;
  let late = 0;
  let worstMs = 0;
  const ts = (t) => Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6;
  for (const m of tap.all()) {
    if (m.fromClient) continue;
    const stream = `${m.connection}:${m.stream}`;
    const r = ListenResponse.toObject(ListenResponse.decode(m.bytes), asObject);
    const tc = r.targetChange;
    if (tc && (tc.targetIds ?? []).length === 0 && tc.readTime) {
      maxGlobal.set(stream, Math.max(maxGlobal.get(stream) ?? 0, ts(tc.readTime)));
    } else if (tc && tc.targetChangeType === "CURRENT" && tc.readTime) {
      for (const id of tc.targetIds) current.set(`${stream}:${id}`, ts(tc.readTime));
    } else if (r.documentChange?.document?.updateTime) {
      const u = ts(r.documentChange.document.updateTime);
      // Only changes to targets already CURRENT, newer than that: the ones a global snapshot promises.
      const ids = (r.documentChange.targetIds ?? []).filter(
        (id) => current.has(`${stream}:${id}`) && u > current.get(`${stream}:${id}`),
      );
      if (ids.length === 0) continue;
      changes++;
      const gap = (maxGlobal.get(stream) ?? 0) - u;
      if (gap > 0) {
        late++;
        worstMs = Math.max(worstMs, gap);
        if (samples.length < 3)
          samples.push(
            `${r.documentChange.document.name.split("/").slice(-2).join("/")} updated ${u.toFixed(3)}, sent after global ${maxGlobal.get(stream).toFixed(3)}`,
          );
      }
    }
  }
  return { documentChanges: changes, afterALaterGlobalSnapshot: late, worstMs: Math.round(worstMs), samples };
}

/** A timeline of the listen stream that carried `key`'s target, for its target id. */
function timeline(key, writeTime) {
  const messages = tap.streamOf(key);
  if (messages.length === 0) return { text: "  (no request mentioned the key)", cause: "no-request" };
  const t0 = messages[0].at;
  let targetId;
  const lines = [];
  for (const m of messages) {
    const text = m.fromClient
      ? ListenRequest.toObject(ListenRequest.decode(m.bytes), asObject)
      : ListenResponse.toObject(ListenResponse.decode(m.bytes), asObject);
    if (m.fromClient && text.addTarget && m.bytes.includes(key)) targetId = text.addTarget.targetId;
    lines.push([m, text]);
  }
  const out = [];
  let globals = 0;
  for (const [m, text] of lines) {
    let line;
    if (m.fromClient) {
      if (text.addTarget)
        line = `C addTarget ${text.addTarget.targetId}${text.addTarget.targetId === targetId ? " <== " + key : ""}${text.addTarget.resumeToken ? " resume" : ""}`;
      else if (text.removeTarget !== undefined) line = `C removeTarget ${text.removeTarget}`;
      else line = `C ${JSON.stringify(text).slice(0, 100)}`;
    } else if (text.targetChange) {
      const tc = text.targetChange;
      const ids = tc.targetIds ?? [];
      if (ids.length > 0 && !ids.includes(targetId)) continue;
      if (ids.length === 0 && (tc.targetChangeType ?? "NO_CHANGE") === "NO_CHANGE") {
        globals++;
        continue;
      }
      line = `S targetChange ${tc.targetChangeType ?? "NO_CHANGE"} [${ids}] readTime=${tc.readTime ? tc.readTime.seconds + "." + String(tc.readTime.nanos ?? 0).padStart(9, "0") : "-"}${tc.cause ? " cause=" + JSON.stringify(tc.cause) : ""}`;
    } else if (text.documentChange) {
      const dc = text.documentChange;
      const ids = [...(dc.targetIds ?? []), ...(dc.removedTargetIds ?? [])];
      if (!ids.includes(targetId)) continue;
      line = `S documentChange ${dc.document.name.split("/").slice(-2).join("/")} targets=[${dc.targetIds ?? []}] removed=[${dc.removedTargetIds ?? []}] updateTime=${dc.document.updateTime?.seconds}.${dc.document.updateTime?.nanos}`;
    } else if (text.documentDelete || text.documentRemove) {
      line = `S ${JSON.stringify(text).slice(0, 200)}`;
    } else if (text.filter) {
      if (text.filter.targetId !== targetId) continue;
      line = `S filter ${JSON.stringify(text.filter)}`;
    } else line = `S ${JSON.stringify(text).slice(0, 120)}`;
    if (globals > 0) out.push(`  (${globals} global NO_CHANGE snapshots)`);
    globals = 0;
    out.push(`  +${String(m.at - t0).padStart(6)} ms ${line}`);
  }
  if (globals > 0) out.push(`  (${globals} global NO_CHANGE snapshots)`);
  const { connection, stream } = messages[0];
  let cause = "other";
  const current = lines.find(
    ([m, t]) =>
      !m.fromClient && t.targetChange?.targetChangeType === "CURRENT" && (t.targetChange.targetIds ?? []).includes(targetId),
  );
  const readTime = current
    ? Number(
        `${current[1].targetChange.readTime.seconds}.${String(current[1].targetChange.readTime.nanos ?? 0).padStart(9, "0")}`,
      )
    : undefined;
  const sentChange = lines.some(
    ([m, t]) =>
      !m.fromClient &&
      m.bytes.includes(key) &&
      t.documentChange &&
      m.at > (current?.[0].at ?? 0) &&
      t.documentChange.document.fields?.v?.integerValue === "1",
  );
  if (tap.isBroken(connection, stream)) cause = "stream-corrupted";
  else if (!current) cause = "never-current";
  else if (!sentChange && readTime !== undefined && readTime > Number(writeTime)) cause = "current-after-write-without-it";
  else if (!sentChange) cause = "current-before-write-change-never-sent";
  else cause = "sent-but-not-delivered";
  return { text: out.slice(0, 80).join("\n"), cause };
}
import { randomUUID } from "node:crypto";
import { initializeApp as adminInit } from "firebase-admin/app";
import { getFirestore as adminDb, FieldValue } from "firebase-admin/firestore";
import { initializeApp, deleteApp, onLog } from "firebase/app";
import {
  getFirestore,
  connectFirestoreEmulator,
  doc,
  collection,
  collectionGroup,
  query,
  where,
  orderBy,
  limit,
  onSnapshot,
  setLogLevel,
} from "firebase/firestore";

const env = (name, fallback) => (process.env[name] === undefined ? fallback : process.env[name]);
const APPS = Number(env("APPS", 20));
const ROUNDS = Number(env("ROUNDS", 10));
const PER_APP = Number(env("PER_APP", 6));
const NOISE = Number(env("NOISE", 16));
const WAIT_MS = Number(env("WAIT_MS", 20000));
const ERRCB = env("ERRCB", "1") === "1";
const ATTACH = env("ATTACH", "now");
const BURN = Number(env("BURN", 0));
const DEBUG = env("DEBUG", "0") === "1";
const projectId = env("PROJECT", "demo-listen");
const [host, port] = env("FIRESTORE_EMULATOR_HOST", "127.0.0.1:18080").split(":");

if (process.argv[2] === "burn") {
  for (;;) Math.sqrt(Math.random());
}

const logs = new Map();
const note = (key) => logs.set(key, (logs.get(key) ?? 0) + 1);
if (DEBUG) setLogLevel("debug");
onLog(
  ({ level, message }) => {
    if (level === "debug") {
      if (/stream/i.test(message) && /error|close/i.test(message)) note(`debug: ${message.slice(0, 140)}`);
      if (/inactive target|existence filter|mismatch|Ignoring outdated/i.test(message)) note(`debug: ${message.slice(0, 140)}`);
      return;
    }
    note(`${level}: ${message.slice(0, 160)}`);
  },
  { level: DEBUG ? "debug" : "warn" },
);

adminInit({ projectId });
const admin = adminDb();
const run = randomUUID().slice(0, 8);

const TAP = env("TAP", "0") === "1";
const tapReports = [];
const tap = TAP
  ? await startTap(
      host,
      Number(port),
      (bad) => {
        tapReports.push(bad);
        console.log(`TAP: corrupt gRPC framing from the emulator: ${JSON.stringify(bad)}`);
      },
      env("TAP_FILE", undefined),
    )
  : undefined;
const apps = Array.from({ length: APPS }, (_, i) => {
  const app = initializeApp({ projectId, apiKey: "demo-key" }, `app-${i}`);
  const db = getFirestore(app);
  connectFirestoreEmulator(db, host, tap ? tap.port : Number(port));
  return { app, db };
});

// One listener: a kind of target, the doc it waits for, how it recognises the write.
const kinds = ["doc", "query-eq", "query-order-limit", "collection-group", "array-contains", "doc-update"];

function target(db, kind, key) {
  switch (kind) {
    case "doc":
    case "doc-update":
      return doc(db, `runs-${run}`, key);
    case "query-eq":
      return query(collection(db, `runs-${run}-q`), where("key", "==", key));
    case "query-order-limit":
      return query(collection(db, `runs-${run}-ol`, key, "items"), orderBy("n", "desc"), limit(3));
    case "collection-group":
      return query(collectionGroup(db, `cg-${run}`), where("key", "==", key));
    case "array-contains":
      return query(collection(db, `runs-${run}-ac`), where("members", "array-contains", key), orderBy("at", "desc"), limit(50));
  }
}

/** The writes that make the listener's wanted state, added to an Admin SDK batch. */
function write(batch, kind, key) {
  switch (kind) {
    case "doc":
      return batch.set(admin.doc(`runs-${run}/${key}`), { key, v: 1 });
    case "doc-update":
      return batch.update(admin.doc(`runs-${run}/${key}`), { v: FieldValue.increment(1) });
    case "query-eq":
      return batch.set(admin.doc(`runs-${run}-q/${key}`), { key, v: 1 });
    case "query-order-limit":
      return batch.set(admin.doc(`runs-${run}-ol/${key}/items/i9`), { n: 9, v: 1 });
    case "collection-group":
      return batch.set(admin.doc(`cgp-${run}/${key}/cg-${run}/${key}`), { key, v: 1 });
    case "array-contains":
      return batch.set(admin.doc(`runs-${run}-ac/${key}-x`), { members: [key, "other"], at: Date.now(), v: 1 });
  }
}

function summary(kind, snap) {
  const meta = `${snap.metadata.fromCache ? "C" : ""}${snap.metadata.hasPendingWrites ? "P" : ""}`;
  if (kind === "doc" || kind === "doc-update") return `${meta}exists=${snap.exists()},v=${snap.get("v")}`;
  return `${meta}[${snap.docs.map((d) => `${d.id}:${d.get("n") ?? ""}/${d.get("v")}`).join(",")}]`;
}

function seen(kind, snap) {
  if (kind === "doc") return snap.exists() && snap.get("v") === 1;
  if (kind === "doc-update") return snap.exists() && snap.get("v") === 1;
  if (kind === "query-order-limit") return snap.docs[0]?.get("n") === 9;
  return snap.docs.some((d) => d.get("v") === 1);
}

/** Whether the emulator holds the wanted state (read with the Admin SDK). */
async function inEmulator(kind, key) {
  const path = {
    doc: `runs-${run}/${key}`,
    "doc-update": `runs-${run}/${key}`,
    "query-eq": `runs-${run}-q/${key}`,
    "query-order-limit": `runs-${run}-ol/${key}/items/i9`,
    "collection-group": `cgp-${run}/${key}/cg-${run}/${key}`,
    "array-contains": `runs-${run}-ac/${key}-x`,
  }[kind];
  const snap = await admin.doc(path).get();
  return snap.exists && snap.get("v") === 1;
}

/** What the doc-update and order-limit kinds need before the round starts. */
async function prepare(kind, key) {
  if (kind === "doc-update") await admin.doc(`runs-${run}/${key}`).set({ key, v: 0 });
  if (kind === "query-order-limit") {
    const b = admin.batch();
    for (let n = 1; n <= 5; n++) b.set(admin.doc(`runs-${run}-ol/${key}/items/i${n}`), { n, v: 0 });
    await b.commit();
  }
}

let noiseOn = false;
let noiseCommits = 0;
let noiseErrors = 0;
async function noiseLoop(id) {
  let n = 0;
  while (noiseOn) {
    const b = admin.batch();
    for (let i = 0; i < 20; i++) {
      b.set(admin.doc(`noise-${run}/w${id}-${n % 50}-${i}`), { n, at: FieldValue.serverTimestamp(), pad: "x".repeat(200) });
      b.set(admin.doc(`runs-${run}-ac/noise-${id}-${i}`), { members: [`n${id}`], at: Date.now(), v: 0 });
    }
    n++;
    try {
      await b.commit();
      noiseCommits++;
    } catch (e) {
      noiseErrors++;
      note(`noise commit error: ${e.code ?? e.message}`);
    }
  }
}

const totals = { listeners: 0, missed: 0, missedButThere: 0, freshSaw: 0, errors: 0, byKind: {}, causes: {}, order: {} };
const errorCodes = new Map();

const REMOVE_GAP_MS = Number(env("REMOVE_GAP_MS", 0));
let pendingStops = [];
async function round(r) {
  // Stop the last round's listeners now, REMOVE_GAP_MS before this round's listen.
  pendingStops.forEach((s) => s());
  pendingStops = [];
  if (REMOVE_GAP_MS > 0) await new Promise((resolve) => setTimeout(resolve, REMOVE_GAP_MS));
  const listeners = [];
  for (let a = 0; a < APPS; a++) {
    for (let j = 0; j < PER_APP; j++) {
      const kind = kinds[(a * PER_APP + j + r) % kinds.length];
      const key = `r${r}-a${a}-j${j}`;
      listeners.push({ a, kind, key, ok: false, firstAt: 0, error: null });
    }
  }
  await Promise.all(listeners.map((l) => prepare(l.kind, l.key)));
  noiseOn = true;
  const noise = Array.from({ length: NOISE }, (_, i) => noiseLoop(i));
  const stops = [];
  const firstSnaps = [];
  for (const l of listeners) {
    const { db } = apps[l.a];
    let markFirst;
    firstSnaps.push(new Promise((resolve) => (markFirst = resolve)));
    l.snaps = 0;
    const onNext = (snap) => {
      markFirst();
      l.snaps++;
      l.last = summary(l.kind, snap);
      if (!l.ok && seen(l.kind, snap)) {
        l.ok = true;
        l.at = Date.now();
      }
    };
    const onError = (error) => {
      l.error = error;
      markFirst();
      errorCodes.set(error.code, (errorCodes.get(error.code) ?? 0) + 1);
      console.log(`listener error ${l.kind} ${l.key}: ${error.code} ${error.message}`);
    };
    stops.push(ERRCB ? onSnapshot(target(db, l.kind, l.key), onNext, onError) : onSnapshot(target(db, l.kind, l.key), onNext));
  }
  if (ATTACH === "first") await Promise.all(firstSnaps);
  // Writes in batches of 10 listeners' states, all at once, alongside the noise.
  const started = Date.now();
  const batches = [];
  for (let i = 0; i < listeners.length; i += 10) {
    const b = admin.batch();
    const group = listeners.slice(i, i + 10);
    for (const l of group) write(b, l.kind, l.key);
    batches.push(
      b.commit().then((results) => {
        const t = results[0].writeTime;
        for (const l of group) l.writeTime = `${t.seconds}.${String(t.nanoseconds).padStart(9, "0")}`;
      }),
    );
  }
  await Promise.all(batches);
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline && listeners.some((l) => !l.ok && !l.error)) await new Promise((r) => setTimeout(r, 100));
  noiseOn = false;
  await Promise.all(noise);
  const missed = listeners.filter((l) => !l.ok);
  for (const l of missed) {
    // Is the data there? And does a listener of a new app see it?
    const there = await inEmulator(l.kind, l.key);
    if (there) totals.missedButThere++;
    const freshApp = initializeApp({ projectId, apiKey: "demo-key" }, `fresh-${randomUUID()}`);
    const freshDb = getFirestore(freshApp);
    connectFirestoreEmulator(freshDb, host, Number(port));
    const fresh = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      const stop = onSnapshot(
        target(freshDb, l.kind, l.key),
        (snap) => {
          if (seen(l.kind, snap)) {
            clearTimeout(timer);
            stop();
            resolve(true);
          }
        },
        () => resolve(false),
      );
    });
    await deleteApp(freshApp);
    if (fresh) totals.freshSaw++;
    const sent = tap ? tap.carried(l.key).join(" ") || "never" : "?";
    totals.byKind[l.kind] = (totals.byKind[l.kind] ?? 0) + 1;
    if (tap) {
      const { text, cause } = timeline(l.key, l.writeTime);
      totals.causes[cause] = (totals.causes[cause] ?? 0) + 1;
      console.log(`timeline of ${l.key} (${cause}):\n${text}`);
    }
    console.log(
      `MISSED ${l.kind} ${l.key} app ${l.a} error=${l.error?.code ?? "-"} inEmulator=${there} freshListenerSees=${fresh} emulatorSentKeyOn=${sent} writeTime=${l.writeTime} snapshots=${l.snaps} last=${l.last}`,
    );
  }
  pendingStops = stops;
  if (tap) {
    const v = orderViolations();
    for (const k of Object.keys(v))
      if (k !== "samples")
        totals.order[k] = k === "worstMs" ? Math.max(totals.order[k] ?? 0, v[k]) : (totals.order[k] ?? 0) + v[k];
    console.log(`round ${r} order: ${JSON.stringify(v)}`);
  }
  tap?.clear();
  totals.listeners += listeners.length;
  totals.missed += missed.length;
  totals.errors += listeners.filter((l) => l.error).length;
  const lat = listeners
    .filter((l) => l.ok)
    .map((l) => l.at - started)
    .sort((x, y) => x - y);
  console.log(
    `round ${r}: ${listeners.length} listeners, missed ${missed.length}, noise commits ${noiseCommits}, ` +
      `p50 ${lat[Math.floor(lat.length / 2)]} ms, max ${lat.at(-1)} ms`,
  );
}

const burners = Array.from({ length: BURN }, () => fork(new URL(import.meta.url).pathname, ["burn"]));
const t0 = Date.now();
try {
  for (let r = 0; r < ROUNDS; r++) await round(r);
} finally {
  burners.forEach((b) => b.kill());
}
console.log(
  JSON.stringify(
    {
      config: { APPS, ROUNDS, PER_APP, NOISE, WAIT_MS, ERRCB, ATTACH, BURN },
      seconds: Math.round((Date.now() - t0) / 1000),
      ...totals,
      noiseCommits,
      noiseErrors,
      listenerErrorCodes: Object.fromEntries(errorCodes),
      tapReports: tapReports.length,
      tapConnections: tap?.count(),
      sdkLogs: Object.fromEntries([...logs].sort((a, b) => b[1] - a[1]).slice(0, 30)),
    },
    null,
    1,
  ),
);
await Promise.all(apps.map(({ app }) => deleteApp(app)));
process.exit(0);
