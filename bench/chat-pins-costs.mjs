#!/usr/bin/env node
// What pinning and archiving chats costs (functions/src/chats/pin-chat.ts), and what they add to a
// chat list page (list-chats.ts) and to a mute (mute-chat.ts): each operation in a 1:1 chat and
// in a room, its document reads and writes counted by bench/counting-firestore.mjs. The chats
// are seeded straight into Firestore (not counted); the per-user rate limit every one of these
// calls takes (`settings`: 1 read, 1 write) is not in the figures.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/chat-pins-costs.mjs"
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { pinChat, unpinChat, archiveChat, unarchiveChat } = require("../functions/lib/chats/pin-chat.js");
const { listChats } = require("../functions/lib/chats/list-chats.js");
const { muteChat } = require("../functions/lib/chats/mute-chat.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);

/** Seeds a 1:1 chat between `a` and `b` with one message; answers its id. */
async function seedDirect(a, b) {
  const members = [a, b].sort();
  const id = members.join("_");
  const at = Timestamp.now();
  await admin.doc(`chats/${id}`).set({
    type: "direct",
    members,
    inbox: members,
    messageCount: 1,
    lastMessage: { number: 1, from: b, type: "text", preview: "hi" },
    lastMessageAt: at,
    unread: { [a]: 1, [b]: 0 },
    lastRead: { [a]: 0, [b]: 1 },
    started: true,
    status: "active",
    createdAt: at,
    updatedAt: at,
  });
  return id;
}

/** Seeds a room with `uid` as its one member (the host); answers its id. */
async function seedRoom(uid) {
  const ref = admin.collection("chats").doc();
  const at = Timestamp.now();
  await ref.set({
    type: "room",
    title: "Cost",
    host: uid,
    inviteCode: randomUUID(),
    memberCount: 1,
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    started: false,
    status: "active",
    createdAt: at,
    updatedAt: at,
  });
  await ref.collection("members").doc(uid).set({ uid, chatId: ref.id, role: "host", joinedAt: at, lastRead: 0 });
  return ref.id;
}

/**
 * Pin, unpin, archive and unarchive in a 1:1 chat and in a room, the chat list with a pinned and
 * an archived 1:1 chat and a room, and a 1:1 mute.
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function chatPinsCosts(costOf) {
  const [uid, other, third] = [randomUUID(), randomUUID(), randomUUID()];
  const [direct, archived, roomId] = [await seedDirect(uid, other), await seedDirect(uid, third), await seedRoom(uid)];
  const on = (chatId) => ({ now: new Date(), callerUid: uid, chatId });
  const pin = (chatId) => pinChat(admin, { ...on(chatId), maxPinned: 5 });
  const listOf = (filter) => listChats(admin, uid, filter ? { filter } : {});
  const costs = {};
  costs.listChatsBefore = await costOf(() => listOf());
  costs.pinDirect = await costOf(() => pin(direct));
  costs.pinDirectAgain = await costOf(() => pin(direct));
  costs.pinRoom = await costOf(() => pin(roomId));
  costs.unpinRoom = await costOf(() => unpinChat(admin, on(roomId)));
  costs.archiveDirect = await costOf(() => archiveChat(admin, on(archived)));
  costs.archiveRoom = await costOf(() => archiveChat(admin, on(roomId)));
  // The first page with one pinned and one archived 1:1 chat and an archived room.
  costs.listChatsPinnedAndArchived = await costOf(() => listOf());
  costs.listChatsArchived = await costOf(() => listOf("archived"));
  costs.unarchiveRoom = await costOf(() => unarchiveChat(admin, on(roomId)));
  costs.unpinDirect = await costOf(() => unpinChat(admin, on(direct)));
  costs.muteDirect = await costOf(() => muteChat(admin, { ...on(direct), input: {} }));
  costs.unarchiveDirect = await costOf(() => unarchiveChat(admin, on(archived)));
  return costs;
}

await runAlone(import.meta.url, admin, chatPinsCosts);
