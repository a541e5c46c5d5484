#!/usr/bin/env node
// What reporting messages delivered costs (functions/src/messages/mark-delivered.ts), and what it
// adds to read receipts (receipts.ts): each in a 1:1 chat and in a room, its document reads and
// writes counted by bench/counting-firestore.mjs. The chats are seeded straight into Firestore
// (not counted).
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/delivered-costs.mjs"
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { markDelivered } = require("../functions/lib/messages/mark-delivered.js");
const { listReceipts } = require("../functions/lib/messages/receipts.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);

/** Three messages of chat `chatId`, all from `from`. */
async function seedMessages(chatId, from) {
  const at = Timestamp.now();
  for (const number of [1, 2, 3]) {
    const id = String(number).padStart(10, "0");
    await admin.doc(`chats/${chatId}/messages/${id}`).set({ number, from, type: "text", text: "hi", createdAt: at });
  }
}

/** The fields every seeded chat has: three messages from `from`. */
function chatFields(from) {
  const at = Timestamp.now();
  const lastMessage = { number: 3, from, type: "text", preview: "hi" };
  return { messageCount: 3, lastMessage, lastMessageAt: at, started: true, status: "active", createdAt: at, updatedAt: at };
}

/** Seeds a 1:1 chat where `b` sent `a` three messages; answers its id. */
async function seedDirect(a, b) {
  const members = [a, b].sort();
  const id = members.join("_");
  const fields = { type: "direct", members, inbox: members, unread: { [a]: 3, [b]: 0 }, lastRead: { [a]: 0, [b]: 3 } };
  await admin.doc(`chats/${id}`).set({ ...fields, ...chatFields(b) });
  await seedMessages(id, b);
  return id;
}

/** Seeds a room of `host` and `uid` where the host sent three messages; answers its id. */
async function seedRoom(host, uid) {
  const ref = admin.collection("chats").doc();
  const room = { type: "room", title: "Cost", host, inviteCode: randomUUID(), memberCount: 2 };
  await ref.set({ ...room, ...chatFields(host) });
  const at = Timestamp.now();
  await ref.collection("members").doc(host).set({ uid: host, chatId: ref.id, role: "host", joinedAt: at, lastRead: 3 });
  await ref.collection("members").doc(uid).set({ uid, chatId: ref.id, role: "member", joinedAt: at, lastRead: 0 });
  await seedMessages(ref.id, host);
  return ref.id;
}

/**
 * A delivered report in a 1:1 chat and in a room, one that changes nothing, one with read
 * receipts off, and the receipts of a message then (listed, and counted as in a large room).
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function deliveredCosts(costOf) {
  const [uid, other, quiet] = [randomUUID(), randomUUID(), randomUUID()];
  const [direct, roomId] = [await seedDirect(uid, other), await seedRoom(other, uid)];
  const privateChat = await seedDirect(quiet, other);
  await admin.doc(`user-settings/${quiet}`).set({ readReceipts: false });
  const report = (callerUid, chatId, upTo) => markDelivered(admin, { callerUid, chatId, input: { upTo } });
  const receipts = (chatId, maxListed) => listReceipts(admin, { callerUid: other, chatId, number: 2, maxListed });
  const costs = {};
  costs.deliveredDirect = await costOf(() => report(uid, direct, 2));
  costs.deliveredDirectUnchanged = await costOf(() => report(uid, direct, 2));
  costs.deliveredDirectReceiptsOff = await costOf(() => report(quiet, privateChat, 3));
  costs.deliveredRoom = await costOf(() => report(uid, roomId, 2));
  costs.deliveredRoomUnchanged = await costOf(() => report(uid, roomId, 1));
  costs.receiptsDirect = await costOf(() => receipts(direct, 100));
  costs.receiptsRoomListed = await costOf(() => receipts(roomId, 100));
  costs.receiptsRoomCounted = await costOf(() => receipts(roomId, 0));
  return costs;
}

await runAlone(import.meta.url, admin, deliveredCosts);
