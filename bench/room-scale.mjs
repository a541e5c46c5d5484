#!/usr/bin/env node
// Cost and speed of a send by room size, and the fan-out's delay, against the emulators. Rooms
// are seeded through the Admin SDK (as createRoom and joins leave them); sends run in this
// process through the domain function, counted by bench/counting-firestore.mjs. Run inside the
// emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/room-scale.mjs"
import { seedingWriter } from "./bulk.mjs";
import { randomInt, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { counts, resetCounts } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { sendMessage } = require("../functions/lib/messages/send-message.js");
const { rosterShard } = require("../functions/lib/timeline/rosters.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const admin = getFirestore(getApps()[0] ?? initializeApp({ projectId }));
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const triggers = (state) => fetch(`http://127.0.0.1:4400/functions/${state}BackgroundTriggers`, { method: "PUT" });
const text = "x".repeat(120);

const UID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** A uid as Firebase Auth makes them: 28 random characters of [0-9A-Za-z]. */
const authLikeUid = () => Array.from({ length: 28 }, () => UID_ALPHABET[randomInt(UID_ALPHABET.length)]).join("");

/**
 * A chat of `size` members seeded through the Admin SDK: a 1:1 chat for 2, a room otherwise,
 * with its roster shards (`rosters/{shard}`) as createRoom and joins leave them, or, with
 * `rosters: false`, as a room made before rosters.
 */
async function seed(size, { rosters = true } = {}) {
  const at = Timestamp.now();
  const base = {
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    started: false,
    status: "active",
    createdAt: at,
    updatedAt: at,
  };
  const tag = randomUUID().replace(/-/g, "").slice(0, 20);
  const members = Array.from({ length: size }, authLikeUid);
  if (size === 2) {
    const chatId = members.join("_");
    await admin.doc(`chats/${chatId}`).set({ type: "direct", members, unread: {}, lastRead: {}, ...base });
    return { chatId, members };
  }
  const writer = seedingWriter(admin);
  writer.set(admin.doc(`chats/${tag}`), {
    type: "room",
    title: "Bench",
    host: members[0],
    memberCount: size,
    ...(rosters ? { rosters: true } : {}),
    ...base,
  });
  members.forEach((uid, i) =>
    writer.set(admin.doc(`chats/${tag}/members/${uid}`), {
      uid,
      chatId: tag,
      role: i === 0 ? "host" : "member",
      joinedAt: Timestamp.fromMillis(at.toMillis() + i),
      lastRead: 0,
    }),
  );
  if (rosters) {
    const shards = new Map();
    for (const uid of members) {
      const shard = rosterShard(uid);
      shards.set(shard, { ...(shards.get(shard) ?? {}), [uid]: {} });
    }
    for (const [shard, entries] of shards)
      writer.set(admin.doc(`chats/${tag}/rosters/${shard}`), { chatId: tag, shard, members: entries });
  }
  await writer.close();
  return { chatId: tag, members };
}

/**
 * Waits for every range of message `number`'s fan-out to be done (polling its markers every
 * 100 ms), then measures on the emulator's own commit times, so the polling can't skew them:
 * from the message's commit to marker 0's (`plannedMs`) and to the last recipient's external
 * event (`toldMs`: every member told). `doneMs`: from `since` until the pushes are done, as
 * polled. Throws when a recipient was not told.
 */
async function fanOutDone(chatId, number, since, recipients) {
  const markers = admin.collection("fan-outs").where("chatId", "==", chatId).where("number", "==", number);
  for (let i = 0; i < 1200; i++) {
    const docs = (await markers.get()).docs;
    const all = docs.length > 0 && docs.length === docs[0].get("ranges");
    if (all && docs.every((doc) => doc.get("state") === "done")) {
      const doneMs = performance.now() - since;
      const sent = (await admin.doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`).get()).createTime;
      const planned = docs.find((doc) => doc.get("range") === 0).createTime;
      let last = sent;
      for (let j = 0; j < recipients.length; j += 1000) {
        const events = await admin.getAll(
          ...recipients.slice(j, j + 1000).map((uid) => admin.doc(`users-external-event/${uid}`)),
        );
        const missed = events.filter(
          (event) => event.get("lastEvent.number") !== number || event.get("lastEvent.chatId") !== chatId,
        );
        if (missed.length > 0) throw new Error(`${missed.length} members of ${chatId} were not told of message ${number}`);
        for (const event of events) if (event.updateTime > last) last = event.updateTime;
      }
      const ms = (time) => time.toMillis() - sent.toMillis() + (time.nanoseconds % 1e6) / 1e6 - (sent.nanoseconds % 1e6) / 1e6;
      return {
        plannedMs: ms(planned),
        toldMs: ms(last),
        doneMs,
        ranges: docs.length,
        attempts: docs.reduce((n, doc) => n + doc.get("attempts"), 0),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fan-out of ${chatId}/${number} did not finish in two minutes`);
}

/**
 * The write floor of a fan-out to `members`: the Admin SDK setting each one's external event
 * (the fan-out's own doc shape) in pages of 400, every page at once, in ms.
 */
async function writeFloor(chatId, members) {
  const t0 = performance.now();
  const pages = [];
  for (let i = 0; i < members.length; i += 400) pages.push(members.slice(i, i + 400));
  await Promise.all(
    pages.map((page) => {
      const batch = admin.batch();
      const event = { notifyNewMessage: true, lastEvent: { chatId, number: 0, at: Timestamp.now() } };
      for (const uid of page) batch.set(admin.doc(`users-external-event/${uid}`), event, { merge: true });
      return batch.commit();
    }),
  );
  return performance.now() - t0;
}

/**
 * Per room size: documents read and written by one send (with a `clientMessageId`, so its
 * idempotency key counts), in-process send p50, the chat doc's size; then the fan-out delay
 * (send answered → every range's marker `told`, so every member's external event written; and
 * until every range is `done`, its pushes sent) for
 * rooms of 1,000 and 10,000, beside its write floor (the same external events written by the
 * Admin SDK in pages of 400, all at once), median of 3 each, taken in turn.
 * Expects the counters of bench/counting-firestore.mjs installed.
 */
export async function roomScale(samples = 30, sizes = [2, 50, 1_000, 10_000]) {
  const bySize = [];
  await triggers("disable");
  for (const size of sizes) {
    const { chatId, members } = await seed(size);
    const sender = members[1];
    await sendMessage(admin, { now: new Date(), senderUid: sender, chatId, draft: { type: "text", text } }); // warm
    resetCounts();
    await sendMessage(admin, {
      now: new Date(),
      senderUid: sender,
      chatId,
      draft: { type: "text", text, clientMessageId: randomUUID() },
    });
    const { reads, writes } = counts;
    const ms = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await sendMessage(admin, {
        now: new Date(),
        senderUid: members[1 + (i % (size - 1))],
        chatId,
        draft: { type: "text", text },
      });
      ms.push(performance.now() - t0);
    }
    const chatBytes = Buffer.byteLength(JSON.stringify((await admin.doc(`chats/${chatId}`).get()).data()));
    bySize.push({
      members: size,
      chat: size === 2 ? "1:1" : "room",
      reads,
      writes,
      sendP50Ms: round(median(ms)),
      chatDocBytes: chatBytes,
    });
  }
  const oneToOne = bySize[0]?.sendP50Ms;
  for (const row of bySize) row.p50VsOneToOne = round(row.sendP50Ms / oneToOne, 2);
  await triggers("enable");

  // The fan-out of one message against its write floor, measured on the same room in turn
  // (floor, fan-out, floor, fan-out, ...) so that both see the same emulator.
  const fanOut = [];
  // Rooms with rosters, and one made before them (its members read from their member docs).
  for (const [size, rosters] of [
    [1_000, true],
    [10_000, true],
    [10_000, false],
  ]) {
    const { chatId, members } = await seed(size, { rosters });
    const floors = [];
    const runs = [];
    for (let i = 0; i < 3; i++) {
      floors.push(await writeFloor(chatId, members));
      const t0 = performance.now();
      const sender = members[1 + i];
      const sent = await sendMessage(admin, { now: new Date(), senderUid: sender, chatId, draft: { type: "text", text } });
      const answered = performance.now() - t0;
      const recipients = members.filter((uid) => uid !== sender);
      const done = await fanOutDone(chatId, sent.message.number, t0 + answered, recipients);
      runs.push({ sendMs: answered, ...done });
    }
    const fanOutDelayMs = median(runs.map((run) => run.toldMs));
    const writeFloorMs = median(floors);
    fanOut.push({
      members: size,
      read: rosters ? "roster" : "member docs",
      ranges: runs[0].ranges,
      sendMs: round(median(runs.map((run) => run.sendMs))),
      plannedMs: round(median(runs.map((run) => run.plannedMs))),
      fanOutDelayMs: round(fanOutDelayMs),
      writeFloorMs: round(writeFloorMs),
      ratioToFloor: round(fanOutDelayMs / writeFloorMs, 2),
      pushesDoneMs: round(median(runs.map((run) => run.doneMs))),
      attempts: runs.reduce((n, run) => n + run.attempts, 0),
    });
  }
  return { bySize, fanOut };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { countFirestore } = await import("./counting-firestore.mjs");
  countFirestore(admin);
  // `--fan-out-only`: skip the send costs by room size, measure only the fan-out.
  const result = await roomScale(30, process.argv.includes("--fan-out-only") ? [] : undefined);
  console.table(result.bySize);
  console.table(result.fanOut);
  process.exit(0);
}
