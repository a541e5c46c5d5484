#!/usr/bin/env node
// What the app badge (`unreadTotal` and `badge` on `users-external-event/{uid}`,
// functions/src/timeline/badge.ts) costs where it changes: each operation's document reads and
// writes counted by bench/counting-firestore.mjs, and, of them, those of users' event docs
// (before the badge no operation here read an event doc, so `eventReads` is what the badge adds
// in reads). The chats are seeded straight into Firestore and their earlier messages sent and
// fanned out through the domain functions (not counted); background triggers are off, so the
// fan-out and the pushes run here, in this process, with a transport that answers every push ok.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/badge-costs.mjs"
import { seedingWriter } from "./bulk.mjs";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import firestore from "@google-cloud/firestore";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { backgroundTriggers, runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { sendMessage } = require("../functions/lib/messages/send-message.js");
const { markRead } = require("../functions/lib/messages/mark-read.js");
const { muteChat, unmuteChat } = require("../functions/lib/chats/mute-chat.js");
const { sendThreadReply } = require("../functions/lib/messages/thread-reply.js");
const { markThreadRead } = require("../functions/lib/messages/mark-thread-read.js");
const { fanOutMessage } = require("../functions/lib/push/fan-out.js");
const { deliverPush } = require("../functions/lib/push/deliver-push.js");
const { rosterShard } = require("../functions/lib/timeline/rosters.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);

/** Members of the room whose fan-out is counted, and participants of the counted thread reply. */
const ROOM_MEMBERS = 50;
const THREAD_PARTICIPANTS = 5;

// ---- Event-doc reads and writes, counted beside counting-firestore.mjs's totals ----
const events = { reads: 0, writes: 0 };
const isEvent = (ref) => ref?.parent?.id === "users-external-event";
let installed = false;

/** Counts reads and writes of `users-external-event/{uid}` (on top of the totals' counters). */
function countEventDocs() {
  if (installed) return;
  installed = true;
  const { Firestore, Transaction, WriteBatch } = firestore;
  const wrap = (prototype, name, count) => {
    const original = prototype[name];
    prototype[name] = function (...args) {
      const result = original.apply(this, args);
      if (result && typeof result.then === "function") return result.then((value) => (count(value, args), value));
      count(result, args);
      return result;
    };
  };
  const readAll = (snaps) => (events.reads += snaps.filter((snap) => isEvent(snap.ref)).length);
  wrap(Firestore.prototype, "getAll", readAll);
  wrap(Transaction.prototype, "getAll", readAll);
  wrap(Transaction.prototype, "get", (value, [target]) => (events.reads += isEvent(target) ? 1 : 0));
  for (const method of ["create", "set", "update", "delete"])
    wrap(WriteBatch.prototype, method, (_, [ref]) => (events.writes += isEvent(ref) ? 1 : 0));
}

/** `costOf` with the event docs' share of the reads and writes. */
const withEventDocs = (costOf) => async (run) => {
  events.reads = 0;
  events.writes = 0;
  const cost = await costOf(run);
  return { ...cost, eventReads: events.reads, eventWrites: events.writes };
};

/** A push transport that answers every message ok, sending nothing. */
const okTransport = async (messages) => ({
  responses: messages.map((_, i) => ({ success: true, messageId: `bench-${i}` })),
  successCount: messages.length,
  failureCount: 0,
});

/** One device for each of `uids` (`users/{uid}/devices/{id}`), so pushes reach them. */
async function seedDevices(uids) {
  const at = Timestamp.now();
  const writer = seedingWriter(admin);
  for (const uid of uids)
    writer.set(admin.doc(`users/${uid}/devices/bench`), {
      token: `token-${uid}`,
      platform: "android",
      createdAt: at,
      updatedAt: at,
    });
  await writer.close();
}

const base = () => {
  const at = Timestamp.now();
  return {
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    started: false,
    status: "active",
    createdAt: at,
    updatedAt: at,
  };
};

/** Seeds an empty 1:1 chat of `a` and `b`, each with a device; answers its id. */
async function seedDirect(a, b) {
  const members = [a, b].sort();
  const chatId = members.join("_");
  await admin.doc(`chats/${chatId}`).set({ type: "direct", members, inbox: members, unread: {}, lastRead: {}, ...base() });
  await seedDevices(members);
  return chatId;
}

/** Seeds an empty room of `size` members (the first its host) with its roster and a device each. */
async function seedRoom(size) {
  const chatId = randomUUID().replace(/-/g, "").slice(0, 20);
  const members = Array.from({ length: size }, () => randomUUID());
  const writer = seedingWriter(admin);
  const room = { type: "room", title: "Badge", host: members[0], inviteCode: randomUUID(), memberCount: size, rosters: true };
  writer.set(admin.doc(`chats/${chatId}`), { ...room, ...base() });
  const at = Timestamp.now();
  const shards = new Map();
  members.forEach((uid, i) => {
    const role = i === 0 ? "host" : "member";
    writer.set(admin.doc(`chats/${chatId}/members/${uid}`), { uid, chatId, role, joinedAt: at, lastRead: 0 });
    const shard = rosterShard(uid);
    shards.set(shard, { ...(shards.get(shard) ?? {}), [uid]: {} });
  });
  for (const [shard, entries] of shards)
    writer.set(admin.doc(`chats/${chatId}/rosters/${shard}`), { chatId, shard, members: entries });
  await writer.close();
  await seedDevices(members);
  return { chatId, members };
}

const send = (chatId, senderUid, text = "badge") =>
  sendMessage(admin, { now: new Date(), senderUid, chatId, draft: { type: "text", text } });

/** Message `number` of `chatId` as stored, for the fan-out and the push. */
async function stored(chatId, number) {
  return (await admin.doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`).get()).data();
}

/** Fans message `number` of room `chatId` out, as its trigger would. */
async function fanOut(chatId, number) {
  return fanOutMessage(admin, new Date(), okTransport, { chatId, message: await stored(chatId, number) });
}

/** A 1:1 chat: a send (the recipient's badge counts it), its push, a read, a mute and an unmute. */
async function directCosts(costOf, costs) {
  const [a, b] = [randomUUID(), randomUUID()];
  const chatId = await seedDirect(a, b);
  await send(chatId, b); // warm: the chat started
  let sent;
  costs.sendDirect = await costOf(async () => (sent = await send(chatId, b)));
  costs.sendDirectWithClientMessageId = await costOf(() =>
    sendMessage(admin, {
      now: new Date(),
      senderUid: b,
      chatId,
      draft: { type: "text", text: "badge", clientMessageId: randomUUID() },
    }),
  );
  const message = await stored(chatId, sent.message.number);
  costs.pushDirect = await costOf(() => deliverPush(admin, new Date(), okTransport, { id: randomUUID(), chatId, message }));
  costs.markReadDirectPartial = await costOf(() => markRead(admin, a, chatId, { upTo: sent.message.number - 1 }));
  costs.markReadDirect = await costOf(() => markRead(admin, a, chatId, {}));
  await admin.doc(`user-settings/${a}`).set({ readReceipts: false }, { merge: true });
  await send(chatId, b);
  await markRead(admin, a, chatId, {}); // the first private read also takes the public one off
  await send(chatId, b);
  costs.markReadDirectPrivate = await costOf(() => markRead(admin, a, chatId, {}));
  await admin.doc(`user-settings/${a}`).set({ readReceipts: true }, { merge: true });
  costs.muteDirect = await costOf(() => muteChat(admin, { now: new Date(), callerUid: a, chatId, input: {} }));
  costs.unmuteDirect = await costOf(() => unmuteChat(admin, a, chatId, new Date()));
}

/** A room of {@link ROOM_MEMBERS}: a send (sender side), its fan-out per member, a read, a mute and an unmute. */
async function roomCosts(costOf, costs) {
  const { chatId, members } = await seedRoom(ROOM_MEMBERS);
  const [reader, sender] = members;
  await fanOut(chatId, (await send(chatId, sender)).message.number); // warm: the room started
  let sent;
  costs.sendRoom = await costOf(async () => (sent = await send(chatId, sender)));
  costs.sendRoomWithClientMessageId = await costOf(() =>
    sendMessage(admin, {
      now: new Date(),
      senderUid: sender,
      chatId,
      draft: { type: "text", text: "badge", clientMessageId: randomUUID() },
    }),
  );
  const fanOutTotal = await costOf(() => fanOut(chatId, sent.message.number));
  const recipients = ROOM_MEMBERS - 1;
  const perMember = (value) => Math.round((value / recipients) * 100) / 100;
  costs.fanOutRoomPerMember = Object.fromEntries(Object.entries(fanOutTotal).map(([key, value]) => [key, perMember(value)]));
  costs.fanOutRoomTotal = fanOutTotal;
  costs.markReadRoom = await costOf(() => markRead(admin, reader, chatId, {}));
  costs.muteRoom = await costOf(() => muteChat(admin, { now: new Date(), callerUid: reader, chatId, input: {} }));
  costs.unmuteRoom = await costOf(() => unmuteChat(admin, reader, chatId, new Date()));
}

/** A thread of a room with {@link THREAD_PARTICIPANTS} participants: a reply, then a thread read. */
async function threadCosts(costOf, costs) {
  const { chatId, members } = await seedRoom(THREAD_PARTICIPANTS);
  const parent = (await send(chatId, members[0], "parent")).message.number;
  const reply = (senderUid) =>
    sendThreadReply(admin, { now: new Date(), senderUid, chatId, threadOf: parent, text: "in the thread" });
  for (const uid of members.slice(1)) await reply(uid); // every member a participant
  costs.threadReplyRoom = await costOf(() => reply(members[1]));
  costs.markThreadReadRoom = await costOf(() => markThreadRead(admin, members[0], chatId, parent));
}

/**
 * The badge's costs: a 1:1 send (with and without a `clientMessageId`) and its push, a room send
 * (sender side) and its fan-out (per member, in a room of {@link ROOM_MEMBERS}), a read, a mute
 * and an unmute in each, a thread reply with {@link THREAD_PARTICIPANTS} participants and a
 * thread read. Each row: `reads`, `writes`, and of them `eventReads`, `eventWrites` (event docs).
 * Turns background triggers off (the fan-out and pushes run here) and leaves them off.
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function badgeCosts(costOf) {
  countEventDocs();
  await backgroundTriggers("disable");
  const counted = withEventDocs(costOf);
  const costs = {};
  await directCosts(counted, costs);
  await roomCosts(counted, costs);
  await threadCosts(counted, costs);
  return costs;
}

await runAlone(import.meta.url, admin, badgeCosts, { quiet: true });
