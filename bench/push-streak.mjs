#!/usr/bin/env node
// Pushes for ten messages in a row into a room of 10,000, against the emulators: one notification
// per unread streak (functions/src/push/streak.ts). The room is seeded through the Admin SDK (as
// createRoom and joins leave it, with rosters) with one device per member; the messages are sent
// through the domain function with the emulator's triggers off, and each one's fan-out is run in
// this process (`fanOutMessage`, as the message trigger runs it) with a transport that counts
// the FCM messages it is handed (one per device) and answers success. Nobody reads meanwhile.
// Run inside the emulators: node scripts/emulators.mjs exec "node bench/push-streak.mjs"
import { randomInt, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { counts, resetCounts } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { sendMessage } = require("../functions/lib/messages/send-message.js");
const { fanOutMessage } = require("../functions/lib/push/fan-out.js");
const { rosterShard } = require("../functions/lib/timeline/rosters.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const admin = getFirestore(getApps()[0] ?? initializeApp({ projectId }));
const triggers = (state) => fetch(`http://127.0.0.1:4400/functions/${state}BackgroundTriggers`, { method: "PUT" });

const UID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** A uid as Firebase Auth makes them: 28 random characters of [0-9A-Za-z]. */
const authLikeUid = () => Array.from({ length: 28 }, () => UID_ALPHABET[randomInt(UID_ALPHABET.length)]).join("");

/** Docs per seeding batch (Firestore takes at most 500 writes per commit). */
const SEED_BATCH = 400;

/**
 * A room of `size` members with rosters, each member with one device (`users/{uid}/devices/{id}`),
 * written in plain batches one after another (a BulkWriter's parallel batches can stall the emulator).
 */
async function seedRoomWithDevices(size) {
  const at = Timestamp.now();
  const chatId = randomUUID().replace(/-/g, "").slice(0, 20);
  const members = Array.from({ length: size }, authLikeUid);
  const docs = [
    [
      `chats/${chatId}`,
      {
        ...{ type: "room", title: "Streaks", host: members[0], memberCount: size, rosters: true, messageCount: 0 },
        ...{ lastMessage: null, lastMessageAt: null, started: false, status: "active", createdAt: at, updatedAt: at },
      },
    ],
  ];
  const shards = new Map();
  members.forEach((uid, i) => {
    const role = i === 0 ? "host" : "member";
    docs.push([`chats/${chatId}/members/${uid}`, { uid, chatId, role, joinedAt: at, lastRead: 0 }]);
    docs.push([`users/${uid}/devices/d-${uid}`, { token: `bench-${uid}`, platform: "android", createdAt: at, updatedAt: at }]);
    const shard = rosterShard(uid);
    shards.set(shard, { ...(shards.get(shard) ?? {}), [uid]: {} });
  });
  for (const [shard, entries] of shards) docs.push([`chats/${chatId}/rosters/${shard}`, { chatId, shard, members: entries }]);
  for (let i = 0; i < docs.length; i += SEED_BATCH) {
    const batch = admin.batch();
    for (const [path, data] of docs.slice(i, i + SEED_BATCH)) batch.set(admin.doc(path), data);
    await batch.commit();
  }
  return { chatId, members };
}

/** A transport that counts the FCM messages it is handed and answers each with success. */
function countingTransport() {
  const sent = { messages: 0, calls: 0 };
  const transport = async (messages) => {
    sent.calls++;
    sent.messages += messages.length;
    const responses = messages.map((_, i) => ({ success: true, messageId: `bench/${sent.calls}-${i}` }));
    return { responses, successCount: responses.length, failureCount: 0 };
  };
  return { sent, transport };
}

/**
 * Ten messages in a row from one member into a room of `members`, nobody reading: the FCM
 * messages their fan-outs send (`pushes`, counted at the transport: one per device, one device
 * per member), against what the rule before one-push-per-streak sent (`before`: every recipient
 * on every message, as no one muted the room) and the target (`1.1 × members`, data-only pushes
 * included: Parley sends none). Also the documents the ten fan-outs read and wrote per recipient
 * per message, when bench/counting-firestore.mjs's counters are installed, and their time.
 */
export async function pushStreak(members = 10_000, messages = 10) {
  const room = await seedRoomWithDevices(members);
  console.error(`push-streak: seeded a room of ${members} with a device each`);
  const sender = room.members[1];
  const stored = [];
  await triggers("disable");
  try {
    for (let i = 0; i < messages; i++) {
      const draft = { type: "text", text: `message ${i + 1} of a burst` };
      const sent = await sendMessage(admin, { now: new Date(), senderUid: sender, chatId: room.chatId, draft });
      const id = String(sent.message.number).padStart(10, "0");
      stored.push((await admin.doc(`chats/${room.chatId}/messages/${id}`).get()).data());
    }
  } finally {
    await triggers("enable");
  }
  const { sent, transport } = countingTransport();
  const perMessage = [];
  resetCounts();
  const t0 = performance.now();
  for (const message of stored) {
    const before = sent.messages;
    await fanOutMessage(admin, new Date(), transport, { chatId: room.chatId, message });
    perMessage.push(sent.messages - before);
    console.error(`push-streak: message ${message.number} fanned out, ${sent.messages - before} pushes`);
  }
  const fanOutMs = performance.now() - t0;
  const recipients = members - 1;
  return {
    members,
    messages,
    pushes: sent.messages,
    before: messages * recipients,
    target: Math.round(1.1 * members),
    perMessage,
    readsPerRecipientMessage: Math.round((counts.reads / (messages * recipients)) * 100) / 100,
    writesPerRecipientMessage: Math.round((counts.writes / (messages * recipients)) * 100) / 100,
    fanOutSeconds: Math.round(fanOutMs / 100) / 10,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { countFirestore } = await import("./counting-firestore.mjs");
  countFirestore(admin);
  const result = await pushStreak(Number(process.argv[2] ?? 10_000));
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
