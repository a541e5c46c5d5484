#!/usr/bin/env node
// What threads cost (functions/src/messages/thread-reply.ts, list-thread.ts, mark-thread-read.ts):
// each operation in a 1:1 chat and in a room of three, its document reads and writes counted by
// bench/counting-firestore.mjs. The chats and their parent message are seeded straight into
// Firestore (not counted). The push trigger (`onReplyCreated`) is not in the figures: it reads
// the chat, the thread, each other participant's member doc or settings, and their devices.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/thread-costs.mjs"
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { sendThreadReply } = require("../functions/lib/messages/thread-reply.js");
const { listThread } = require("../functions/lib/messages/list-thread.js");
const { markThreadRead } = require("../functions/lib/messages/mark-thread-read.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);

/** Seeds message 1 of `chatId`, sent by `from`. */
async function seedParent(chatId, from) {
  const at = Timestamp.now();
  await admin
    .doc(`chats/${chatId}/messages/0000000001`)
    .set({ number: 1, from, type: "text", text: "parent", clientMessageId: null, createdAt: at });
}

/** Seeds a 1:1 chat between `a` and `b` whose one message `a` sent; answers its id. */
async function seedDirect(a, b) {
  const members = [a, b].sort();
  const id = members.join("_");
  const at = Timestamp.now();
  await admin.doc(`chats/${id}`).set({
    ...{ type: "direct", members, inbox: members, messageCount: 1, lastMessageAt: at, started: true, status: "active" },
    lastMessage: { number: 1, from: a, type: "text", preview: "parent" },
    ...{ unread: { [a]: 0, [b]: 1 }, lastRead: { [a]: 1, [b]: 0 }, createdAt: at, updatedAt: at },
  });
  await seedParent(id, a);
  return id;
}

/** Seeds a room of `uids` (the first its host) whose one message the host sent; answers its id. */
async function seedRoom(uids) {
  const ref = admin.collection("chats").doc();
  const at = Timestamp.now();
  await ref.set({
    ...{ type: "room", title: "Cost", host: uids[0], inviteCode: randomUUID(), memberCount: uids.length, messageCount: 1 },
    ...{ lastMessage: null, lastMessageAt: at, started: true, status: "active", createdAt: at, updatedAt: at },
  });
  for (const [i, uid] of uids.entries()) {
    await ref
      .collection("members")
      .doc(uid)
      .set({ uid, chatId: ref.id, role: i === 0 ? "host" : "member", joinedAt: at, lastRead: 0 });
  }
  await seedParent(ref.id, uids[0]);
  return ref.id;
}

/**
 * Thread replies (the first, a later one, one also shown in the channel, a retry), the thread's
 * first page and a thread read, in a 1:1 chat and in a room of three.
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function threadCosts(costOf) {
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
  const [direct, roomId] = [await seedDirect(a, b), await seedRoom([a, b, c])];
  const reply =
    (chatId, senderUid, more = {}) =>
    () =>
      sendThreadReply(admin, { now: new Date(), senderUid, chatId, threadOf: 1, text: "in the thread", ...more });
  const costs = {};
  costs.firstReplyDirect = await costOf(reply(direct, b));
  costs.replyDirect = await costOf(reply(direct, a, { clientMessageId: "cost-1" }));
  costs.retriedReplyDirect = await costOf(reply(direct, a, { clientMessageId: "cost-1" }));
  costs.replyShownInChannelDirect = await costOf(reply(direct, b, { showInChannel: true }));
  costs.listThreadDirect = await costOf(() =>
    listThread(admin, { callerUid: a, chatId: direct, number: 1, input: {}, defaultLimit: 50 }),
  );
  costs.markThreadReadDirect = await costOf(() => markThreadRead(admin, a, direct, 1));
  costs.firstReplyRoom = await costOf(reply(roomId, b));
  costs.replyRoomMentioning = await costOf(reply(roomId, a, { mentions: [c] }));
  costs.replyRoom = await costOf(reply(roomId, c));
  costs.listThreadRoom = await costOf(() =>
    listThread(admin, { callerUid: c, chatId: roomId, number: 1, input: {}, defaultLimit: 50 }),
  );
  costs.markThreadReadRoom = await costOf(() => markThreadRead(admin, b, roomId, 1));
  return costs;
}

await runAlone(import.meta.url, admin, threadCosts);
