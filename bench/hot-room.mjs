#!/usr/bin/env node
// A hot room served the way production serves it: the built `api` function in the Functions
// Framework (the runtime Cloud Run uses), one Node process taking concurrent requests, against
// the emulators. Measures one sender against 20 members sending at once, in one process and in
// two (two instances). Run inside the emulators: node scripts/emulators.mjs exec "node bench/hot-room.mjs"
// (npm run bench runs it). Prints a table; returns the figures to bench/run.mjs.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";

const functionsDir = process.env.BENCH_FUNCTIONS_DIR ?? fileURLToPath(new URL("../functions/", import.meta.url));
const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
const admin = getFirestore(getApps()[0] ?? initializeApp({ projectId }));
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The params of functions/.env, as the deployed function gets them. */
function params() {
  const lines = readFileSync(new URL("../functions/.env", import.meta.url), "utf8").split("\n");
  return Object.fromEntries(lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split(/=(.*)/s).slice(0, 2)));
}

/**
 * Serves `api` with the Functions Framework on `port`; resolves once it answers. `env`: more
 * environment (params); `probe`: a module to `--require` into the process, whose
 * `process.send` messages go to `onMessage` (bench/send-split.mjs times a send's parts so).
 */
export async function serve(port, { env = {}, probe, onMessage } = {}) {
  const main = fileURLToPath(new URL("../node_modules/@google-cloud/functions-framework/build/src/main.js", import.meta.url));
  const args = [...(probe ? ["--require", probe] : []), main, "--target=api", "--source=lib/index.js", `--port=${port}`];
  const child = spawn(process.execPath, args, {
    cwd: functionsDir,
    stdio: ["ignore", "ignore", "ignore", "ipc"],
    detached: true,
    env: {
      ...process.env,
      ...params(),
      // The bench measures the send pipeline, not the per-user limits (which cap one user's sends).
      SEND_RATE_LIMIT: "0",
      CREATE_RATE_LIMIT: "0",
      FUNCTION_TARGET: "api",
      GCLOUD_PROJECT: projectId,
      FIREBASE_CONFIG: JSON.stringify({ projectId, storageBucket: `${projectId}.appspot.com` }),
      ...env,
    },
  });
  if (onMessage) child.on("message", onMessage);
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { base: `http://127.0.0.1:${port}/v1`, stop: () => process.kill(-child.pid) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The Functions Framework did not start on port ${port}.`);
}

export async function signUp(name) {
  const response = await fetch(`http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=bench`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `${name}-${randomUUID().slice(0, 8)}@bench.example.com`,
      password: "bench-password",
      displayName: name,
      returnSecureToken: true,
    }),
  });
  const account = await response.json();
  for (let i = 0; i < 100 && !(await admin.doc(`users/${account.localId}`).get()).exists; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return { uid: account.localId, token: account.idToken };
}

export async function call(base, user, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${user.token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json() };
}

/** A room of `size` members, made through `base`. */
export async function room(base, size) {
  const members = [];
  for (let i = 0; i < size; i++) members.push(await signUp(`m${i}`));
  const created = await call(base, members[0], "POST", "/rooms", { title: "Hot room" });
  for (const member of members.slice(1)) await call(base, member, "POST", "/rooms/join", { inviteCode: created.body.inviteCode });
  return { chatId: created.body.chat.id, members };
}

const percentile = (values, p) =>
  [...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

/**
 * `senders` members send `each` messages one after another, all at once; spread over `bases`.
 * Commits per message: the messages' distinct create times (a batch's writes share its commit
 * time) over the messages this burst made.
 */
async function burst(bases, chat, senders, each) {
  let failed = 0;
  const ms = [];
  const before = (await admin.doc(`chats/${chat.chatId}`).get()).get("messageCount");
  const started = performance.now();
  await Promise.all(
    chat.members.slice(0, senders).map(async (member, i) => {
      for (let n = 0; n < each; n++) {
        const t0 = performance.now();
        const sent = await call(bases[i % bases.length], member, "POST", `/chats/${chat.chatId}/messages`, { text: `${i}:${n}` });
        ms.push(performance.now() - t0);
        if (sent.status !== 201) failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const made = await admin.collection(`chats/${chat.chatId}/messages`).where("number", ">", before).get();
  const commits = new Set(made.docs.map((doc) => `${doc.createTime.seconds}.${doc.createTime.nanoseconds}`)).size;
  return {
    senders,
    messages: senders * each,
    failed,
    perSecond: round((senders * each - failed) / seconds),
    p50Ms: round(percentile(ms, 50)),
    p99Ms: round(percentile(ms, 99)),
    commitsPerMessage: round(commits / Math.max(1, made.size), 2),
  };
}

/** Whether the chat's message numbers are 1..count with no gap or duplicate. */
async function gapless(chatId) {
  const snap = await admin.collection(`chats/${chatId}/messages`).orderBy("number").get();
  const count = (await admin.doc(`chats/${chatId}`).get()).get("messageCount");
  return snap.size === count && snap.docs.every((doc, i) => doc.get("number") === i + 1);
}

/**
 * The hot-room figures: one process, then two. The one-sender row runs `rounds` times, each
 * after a `floor()` round when given (an async function resolving with the floor's p50, ms, of
 * the same run): its p50 is the median of the rounds' p50s, beside the floor's median and the
 * target (one sender's p50 ≤ {@link ONE_SENDER_TARGET} × the floor).
 */
export async function hotRoom({ rounds = 3, floor } = {}) {
  const one = await serve(8090);
  const two = await serve(8091);
  try {
    const chat = await room(one.base, 20);
    await burst([one.base], chat, 20, 2); // warm the process at this concurrency
    const singles = [];
    const floors = [];
    for (let r = 0; r < rounds; r++) {
      if (floor) floors.push(await floor());
      singles.push(await burst([one.base], chat, 1, 100));
    }
    const twenty = await burst([one.base], chat, 20, 10);
    await burst([two.base], chat, 20, 2);
    const twoProcesses = await burst([one.base, two.base], chat, 20, 10);
    const single = singles.toSorted((a, b) => a.p50Ms - b.p50Ms)[Math.floor(singles.length / 2)];
    const floorP50 = floors.length ? floors.toSorted((a, b) => a - b)[Math.floor(floors.length / 2)] : undefined;
    const ratio = floorP50 ? round(single.p50Ms / floorP50, 2) : undefined;
    return {
      oneSender: {
        ...single,
        roundsP50Ms: singles.map((s) => s.p50Ms),
        ...(floorP50 && { floorP50Ms: round(floorP50), floorRoundsP50Ms: floors.map((f) => round(f)) }),
        ...(ratio && { ratioToFloor: ratio, target: ONE_SENDER_TARGET, met: ratio <= ONE_SENDER_TARGET }),
      },
      twentySenders: { ...twenty, speedup: round(twenty.perSecond / single.perSecond, 2) },
      twoProcesses,
      gapless: await gapless(chat.chatId),
    };
  } finally {
    one.stop();
    two.stop();
  }
}

/** The target of one sender's send → response p50 on the Functions Framework, × the floor (issue 27). */
export const ONE_SENDER_TARGET = 1.5;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await hotRoom();
  console.table([
    { case: "1 process, 1 sender", ...result.oneSender },
    { case: "1 process, 20 senders", ...result.twentySenders },
    { case: "2 processes, 20 senders", ...result.twoProcesses },
  ]);
  console.log(`numbers gapless: ${result.gapless}`);
  process.exit(0);
}
