import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import type { ChatDoc, MemberDoc } from "../../functions/src/shared/model.js";
import { adminDb } from "./admin.js";

/**
 * Seeds a room of `size` members through the Admin SDK (member uids `m00000-<roomId>`…, the
 * first the host, plus `extra` uids, e.g. signed-up users), as `createRoom` and joins would leave
 * it: `chats/{roomId}` and one `chats/{roomId}/members/{uid}` each. Returns the room id and the
 * member uids in join order.
 */
export async function seedRoom(size: number, extra: string[] = []): Promise<{ chatId: string; members: string[] }> {
  const chatId = randomUUID().replace(/-/g, "").slice(0, 20);
  const members = [
    ...extra,
    ...Array.from({ length: size - extra.length }, (_, i) => `m${String(i).padStart(5, "0")}-${chatId}`),
  ];
  const at = Timestamp.now();
  const room: ChatDoc = {
    type: "room",
    title: `Room of ${size}`,
    host: members[0],
    memberCount: members.length,
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    started: false,
    active: true,
    status: "active",
    createdAt: at,
    updatedAt: at,
  };
  const writer = adminDb().bulkWriter();
  void writer.set(adminDb().doc(`chats/${chatId}`), room);
  members.forEach((uid, i) => {
    const member: MemberDoc = {
      uid,
      chatId,
      role: i === 0 ? "host" : "member",
      joinedAt: Timestamp.fromMillis(at.toMillis() + i),
      lastRead: 0,
    };
    void writer.set(adminDb().doc(`chats/${chatId}/members/${uid}`), member);
  });
  await writer.close();
  return { chatId, members };
}
