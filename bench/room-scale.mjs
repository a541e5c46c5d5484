#!/usr/bin/env node
// Cost and speed of a send by room size, and the fan-out's delay, against the emulators. Rooms
// are seeded through the Admin SDK (as createRoom and joins leave them); sends run in this
// process through the domain function, counted by bench/counting-firestore.mjs. Run inside the
// emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/room-scale.mjs"
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { counts, resetCounts } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { sendMessage } = require("../functions/lib/messages/send-message.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const admin = getFirestore(getApps()[0] ?? initializeApp({ projectId }));
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const triggers = (state) => fetch(`http://127.0.0.1:4400/functions/${state}BackgroundTriggers`, { method: "PUT" });
const text = "x".repeat(120);

/** A chat of `size` members seeded through the Admin SDK: a 1:1 chat for 2, a room otherwise. */
async function seed(size) {
  const at = Timestamp.now();
  const base = {
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    started: false,
    active: true,
    createdAt: at,
    updatedAt: at,
  };
  const tag = randomUUID().replace(/-/g, "").slice(0, 20);
  const members = Array.from({ length: size }, (_, i) => `b${String(i).padStart(5, "0")}${tag}`);
  if (size === 2) {
    const chatId = members.join("_");
    await admin.doc(`chats/${chatId}`).set({ type: "direct", members, unread: {}, lastRead: {}, ...base });
    return { chatId, members };
  }
  const writer = admin.bulkWriter();
  writer.set(admin.doc(`chats/${tag}`), {
    type: "room",
    title: "Bench",
    host: members[0],
    memberCount: size,
    status: "active",
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
  await writer.close();
  return { chatId: tag, members };
}

/** Resolves with the ms from `since` until the last page of message `number`'s fan-out is written. */
async function fanOutDone(chatId, number, since) {
  const last = admin.collection("fan-outs").where("chatId", "==", chatId).where("number", "==", number).where("next", "==", null);
  for (let i = 0; i < 1200; i++) {
    if (!(await last.get()).empty) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fan-out of ${chatId}/${number} did not finish in a minute`);
}

/**
 * Per room size: documents read and written by one send (with a `clientMessageId`, so its
 * idempotency key counts), in-process send p50, the chat doc's size; then the fan-out delay
 * (send answered → every member's external event written) for rooms of 1,000 and 10,000.
 * Expects the counters of bench/counting-firestore.mjs installed.
 */
export async function roomScale(samples = 30) {
  const bySize = [];
  await triggers("disable");
  for (const size of [2, 50, 1_000, 10_000]) {
    const { chatId, members } = await seed(size);
    const sender = members[1];
    await sendMessage(admin, new Date(), sender, chatId, { type: "text", text }); // warm
    resetCounts();
    await sendMessage(admin, new Date(), sender, chatId, { type: "text", text, clientMessageId: randomUUID() });
    const { reads, writes } = counts;
    const ms = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await sendMessage(admin, new Date(), members[1 + (i % (size - 1))], chatId, { type: "text", text });
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
  const oneToOne = bySize[0].sendP50Ms;
  for (const row of bySize) row.p50VsOneToOne = round(row.sendP50Ms / oneToOne, 2);
  await triggers("enable");

  const fanOut = [];
  for (const size of [1_000, 10_000]) {
    const { chatId, members } = await seed(size);
    const t0 = performance.now();
    const sent = await sendMessage(admin, new Date(), members[1], chatId, { type: "text", text });
    const answered = performance.now() - t0;
    const delayMs = await fanOutDone(chatId, sent.message.number, t0 + answered);
    fanOut.push({ members: size, pages: Math.ceil(size / 400), sendMs: round(answered), fanOutDelayMs: round(delayMs) });
  }
  return { bySize, fanOut };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { countFirestore } = await import("./counting-firestore.mjs");
  countFirestore(admin);
  const result = await roomScale();
  console.table(result.bySize);
  console.table(result.fanOut);
  process.exit(0);
}
