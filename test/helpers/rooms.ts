import { randomInt, randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { sendMessage } from "../../functions/src/messages/send-message.js";
import { ROSTER_SHARDS } from "../../functions/src/shared/docs.js";
import type { ChatDoc, MemberDoc, MessageDoc, RosterDoc } from "../../functions/src/shared/model.js";
import { rosterShard } from "../../functions/src/timeline/rosters.js";
import { adminDb } from "./admin.js";
import { backgroundTriggers } from "./emulators.js";

const UID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A uid as Firebase Auth makes them: 28 random characters of [0-9A-Za-z]. */
export function authLikeUid(): string {
  return Array.from({ length: 28 }, () => UID_ALPHABET[randomInt(UID_ALPHABET.length)]).join("");
}

/** Docs per seeding batch (Firestore takes at most 500 writes per commit). */
const SEED_BATCH = 400;

/**
 * Seeds a room of `size` members through the Admin SDK (member uids shaped like Firebase Auth's,
 * 28 random characters of [0-9A-Za-z], the first the host, plus `extra` uids, e.g. signed-up
 * users), as `createRoom` and joins would leave
 * it: `chats/{roomId}`, one `chats/{roomId}/members/{uid}` each and the roster shards
 * (`rosters/{shard}`). With `rosters: false`, as a room made before rosters: no shards, and no
 * `rosters` flag on the room. Returns the room id and the member uids in join order.
 */
export async function seedRoom(
  size: number,
  extra: string[] = [],
  { rosters = true }: { rosters?: boolean } = {},
): Promise<{ chatId: string; members: string[] }> {
  const chatId = randomUUID().replace(/-/g, "").slice(0, 20);
  const members = [...extra, ...Array.from({ length: size - extra.length }, () => authLikeUid())];
  const at = Timestamp.now();
  const room: ChatDoc = {
    type: "room",
    title: `Room of ${size}`,
    host: members[0],
    memberCount: members.length,
    ...(rosters ? { rosters: true } : {}),
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    started: false,
    status: "active",
    createdAt: at,
    updatedAt: at,
  };
  // Plain batches, one after another: a BulkWriter's parallel batches can stall the emulator
  // (DEADLINE_EXCEEDED), and with it every test that runs meanwhile.
  const docs: [string, object][] = [[`chats/${chatId}`, room]];
  members.forEach((uid, i) => {
    const member: MemberDoc = {
      uid,
      chatId,
      role: i === 0 ? "host" : "member",
      joinedAt: Timestamp.fromMillis(at.toMillis() + i),
      lastRead: 0,
    };
    docs.push([`chats/${chatId}/members/${uid}`, member]);
  });
  if (rosters) {
    const shards = new Map<number, RosterDoc>();
    for (const uid of members) {
      const shard = rosterShard(uid);
      const doc = shards.get(shard) ?? { chatId, shard, members: {} };
      doc.members[uid] = {};
      shards.set(shard, doc);
    }
    for (const [shard, doc] of shards) docs.push([`chats/${chatId}/rosters/${shard}`, doc]);
  }
  for (let i = 0; i < docs.length; i += SEED_BATCH) {
    const batch = adminDb().batch();
    for (const [path, data] of docs.slice(i, i + SEED_BATCH)) batch.set(adminDb().doc(path), data);
    await batch.commit();
  }
  return { chatId, members };
}

/**
 * Deletes a seeded room's member docs, roster shards and the room doc, in plain batches. Large rooms left behind
 * slow the emulator's collection-group listeners on `members` for every later test.
 */
export async function dropRoom({ chatId, members }: { chatId: string; members: string[] }): Promise<void> {
  const shards = Array.from({ length: ROSTER_SHARDS }, (_, shard) => `chats/${chatId}/rosters/${shard}`);
  const paths = [...members.map((uid) => `chats/${chatId}/members/${uid}`), ...shards, `chats/${chatId}`];
  for (let i = 0; i < paths.length; i += SEED_BATCH) {
    const batch = adminDb().batch();
    for (const path of paths.slice(i, i + SEED_BATCH)) batch.delete(adminDb().doc(path));
    await batch.commit();
  }
}

/**
 * Sends `text` as `from` into `chatId` through the domain function with the emulator's triggers
 * off, so that no fan-out runs for it; resolves with the message as stored, for a test to hand
 * to a trigger's handler itself.
 */
export async function sendWithoutTriggers(chatId: string, from: string, text: string): Promise<MessageDoc> {
  await backgroundTriggers("disable");
  const sent = await sendMessage(adminDb(), { now: new Date(), senderUid: from, chatId, draft: { type: "text", text } }).finally(
    () => backgroundTriggers("enable"),
  );
  const id = String(sent.message.number).padStart(10, "0");
  return (await adminDb().doc(`chats/${chatId}/messages/${id}`).get()).data() as MessageDoc;
}
