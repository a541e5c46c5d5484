#!/usr/bin/env node
// Where a send's time goes, on the Functions Framework (how production serves `api`): each REST
// send is timed in parts by bench/send-split-probe.cjs, loaded into the served process (it wraps
// the Admin SDK's methods and the HTTP server; the function's code is untouched). Parts, p50 of
// each, in ms: the ID token's check (signature and claims), the revocation lookup (Firebase Auth,
// `CHECK_REVOKED_TOKENS`), the `getAll` read, the commit, the rest of the server's work (Express,
// validation, the handler), the client and loopback (request → response minus the server's
// time), and the listener (commit → the other member's web SDK listener). The floor of the same
// run (bench/floor.mjs) is measured in rounds interleaved with the sends'.
// Two processes: one with REVOCATION_CACHE_SECONDS=0 (a lookup on every request) and one with
// the default window. Run inside the emulators:
//   node scripts/emulators.mjs exec "node bench/send-split.mjs"
// (npm run bench runs it). Prints a table; returns the figures to bench/run.mjs.
import { fileURLToPath } from "node:url";
import { deleteApp, initializeApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithCustomToken } from "firebase/auth";
import { collection, connectFirestoreEmulator, getFirestore, onSnapshot } from "firebase/firestore";
import { getApps, initializeApp as initializeAdmin } from "firebase-admin/app";
import { getAuth as getAdminAuth } from "firebase-admin/auth";
import { getFirestore as getAdminFirestore } from "firebase-admin/firestore";
import { call, serve, signUp } from "./hot-room.mjs";
import { floorChat, median, percentile, round } from "./floor.mjs";

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const probe = fileURLToPath(new URL("./send-split-probe.cjs", import.meta.url));
const clock = () => performance.timeOrigin + performance.now();
const triggers = (state) => fetch(`http://127.0.0.1:4400/functions/${state}BackgroundTriggers`, { method: "PUT" });

/** A web SDK client signed in as `uid`, for its listeners. */
async function listenerClient(uid) {
  const app = initializeApp({ projectId, apiKey: "bench" }, `split-${uid}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}`, { disableWarnings: true });
  await signInWithCustomToken(auth, await getAdminAuth().createCustomToken(uid));
  const db = getFirestore(app);
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST.split(":");
  connectFirestoreEmulator(db, host, Number(port));
  return { app, db };
}

/** Resolves when the listener on `chatId`'s messages sees message `number`. */
function messageWatcher(db, chatId) {
  const waiting = new Map();
  const stop = onSnapshot(collection(db, "chats", chatId, "messages"), (snap) => {
    for (const change of snap.docChanges()) {
      const resolve = waiting.get(change.doc.get("number"));
      if (resolve) (waiting.delete(change.doc.get("number")), resolve(clock()));
    }
  });
  return { stop, until: (number) => new Promise((resolve) => waiting.set(number, resolve)) };
}

const sum = (events, kind, from, to) =>
  events.filter((e) => e.kind === kind && e.start >= from && e.end <= to).reduce((total, e) => total + e.end - e.start, 0);

/** One send's parts, from the probe's events between its start `t0` and its response `t1`. */
function partsOf(events, { t0, t1, seen }) {
  const mine = events.filter((e) => e.start >= t0 && e.end <= t1);
  const verifies = mine.filter((e) => e.kind === "verify");
  const nested = verifies.reduce((total, v) => total + sum(mine, "lookup", v.start, v.end), 0);
  const signature = verifies.reduce((total, v) => total + v.end - v.start, 0) - nested;
  const lookup = sum(mine, "lookup", t0, t1);
  const read = sum(mine, "read", t0, t1);
  const commits = mine.filter((e) => e.kind === "commit");
  const commit = commits.reduce((total, e) => total + e.end - e.start, 0);
  const server = sum(mine, "request", t0, t1);
  return {
    tokenCheck: signature,
    revocationLookup: lookup,
    read,
    commit,
    serverOther: server - signature - lookup - read - commit,
    clientAndLoopback: t1 - t0 - server,
    listener: seen - (commits.at(-1)?.end ?? t1),
    sendToListener: seen - t0,
    sendToResponse: t1 - t0,
  };
}

/** `samples` REST sends from `sender` into `chatId` through `base`, each until `watcher` sees it. */
async function sendRound({ base, sender, chatId, watcher, events, samples, first }) {
  const parts = [];
  for (let i = 0; i < samples; i++) {
    const seen = watcher.until(first + i);
    const t0 = clock();
    const sent = await call(base, sender, "POST", `/chats/${chatId}/messages`, { text: "x".repeat(120) });
    const t1 = clock();
    if (sent.status !== 201) throw new Error(`send answered ${sent.status}: ${JSON.stringify(sent.body)}`);
    parts.push({ t0, t1, seen: await seen });
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // the probe's last reports
  return parts.map((send) => partsOf(events, send));
}

const p50s = (parts) =>
  Object.fromEntries(
    Object.keys(parts[0]).map((key) => [
      key,
      round(
        percentile(
          parts.map((p) => p[key]),
          50,
        ),
        2,
      ),
    ]),
  );

/**
 * The split of a REST send on the Functions Framework, `rounds` rounds of `samples` sends per
 * process, interleaved with floor rounds. Returns `{floorP50, rounds, processes: {<name>: {env,
 * parts: p50 per part (ms, median of the rounds' p50s), ratioToFloor}}}`.
 */
export async function sendSplit({ samples = Number(process.env.BENCH_SAMPLES ?? 50), rounds = 3 } = {}) {
  const admin = getAdminFirestore(getApps()[0] ?? initializeAdmin({ projectId }));
  const configs = { lookupEveryRequest: { REVOCATION_CACHE_SECONDS: "0" }, revocationCache: {} };
  const processes = {};
  let port = 8190;
  for (const [name, env] of Object.entries(configs)) {
    const events = [];
    processes[name] = { env, events, ...(await serve(port++, { env, probe, onMessage: (e) => events.push(e) })) };
  }
  const [alice, bob] = [await signUp("split-a"), await signUp("split-b")];
  const bobClient = await listenerClient(bob.uid);
  try {
    const first = Object.values(processes)[0];
    const chatId = (await call(first.base, alice, "POST", "/chats", { memberUid: bob.uid })).body.chat.id;
    await call(first.base, bob, "POST", `/chats/${chatId}/accept`);
    const watcher = messageWatcher(bobClient.db, chatId);
    const floor = await floorChat({ admin, listenerDb: bobClient.db, writerUid: alice.uid, listenerUid: bob.uid });
    let number = (await admin.doc(`chats/${chatId}`).get()).get("messageCount") + 1;
    const floors = [];
    const perRound = Object.fromEntries(Object.keys(processes).map((name) => [name, []]));
    for (const p of Object.values(processes)) {
      await sendRound({ ...p, sender: alice, chatId, watcher, samples: 5, first: number }); // warm-up
      number += 5;
    }
    for (let r = 0; r < rounds; r++) {
      await triggers("disable");
      floors.push(percentile(await floor.round(samples), 50));
      await triggers("enable");
      for (const [name, p] of Object.entries(processes)) {
        perRound[name].push(p50s(await sendRound({ ...p, sender: alice, chatId, watcher, samples, first: number })));
        number += samples;
      }
    }
    watcher.stop();
    floor.stop();
    const floorP50 = round(median(floors), 2);
    const result = { floorP50, floorRounds: floors.map((f) => round(f, 2)), samples, rounds, processes: {} };
    for (const [name, runs] of Object.entries(perRound)) {
      const parts = Object.fromEntries(Object.keys(runs[0]).map((key) => [key, round(median(runs.map((run) => run[key])), 2)]));
      result.processes[name] = {
        env: processes[name].env,
        parts,
        rounds: runs,
        ratioToFloor: round(parts.sendToListener / floorP50, 2),
        responseRatioToFloor: round(parts.sendToResponse / floorP50, 2),
      };
    }
    return result;
  } finally {
    for (const p of Object.values(processes)) p.stop();
    await deleteApp(bobClient.app);
  }
}

/** The split as table rows: one per part, a column per process. */
export function splitRows(split) {
  const names = Object.keys(split.processes);
  const keys = Object.keys(split.processes[names[0]].parts);
  return [
    { part: "floor (Admin SDK write → listener)", ...Object.fromEntries(names.map((n) => [n, split.floorP50])) },
    ...keys.map((key) => ({ part: key, ...Object.fromEntries(names.map((n) => [n, split.processes[n].parts[key]])) })),
    { part: "send → listener / floor", ...Object.fromEntries(names.map((n) => [n, split.processes[n].ratioToFloor])) },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const split = await sendSplit();
  console.log(`Send split on the Functions Framework (p50 ms, median of ${split.rounds} rounds of ${split.samples})`);
  console.table(splitRows(split));
  console.log(JSON.stringify(split.processes, (k, v) => (k === "rounds" ? undefined : v)));
  process.exit(0);
}
