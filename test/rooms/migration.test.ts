import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { migrateRoomMembers } from "../../functions/src/rooms/migrate-members.js";
import { adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { signIn, signUpMany, type TestUser } from "../helpers/users.js";

/**
 * A room as the code before per-member docs left it: `members`, `unread`, `lastRead` and
 * `mutedUntil` maps on the room doc, and 3 messages (bob joined as 1, carol as 2, bob sent 3).
 */
async function oldLayoutRoom(alice: TestUser, bob: TestUser, carol: TestUser): Promise<string> {
  const chatId = randomUUID().replace(/-/g, "").slice(0, 20);
  const at = Timestamp.fromMillis(Date.now() - 60_000);
  const message = (number: number, from: string | null, text: string, event?: object) => ({
    number,
    from,
    type: from ? "text" : "system",
    text,
    clientMessageId: null,
    createdAt: Timestamp.fromMillis(at.toMillis() + number),
    ...(event && { event }),
  });
  const batch = adminDb().batch();
  batch.set(adminDb().doc(`chats/${chatId}`), {
    type: "room",
    title: "Old room",
    host: alice.uid,
    inviteCode: `old-${chatId}`,
    status: "active",
    members: [alice.uid, bob.uid, carol.uid],
    messageCount: 3,
    lastMessage: { number: 3, from: bob.uid, type: "text", preview: "from before" },
    lastMessageAt: Timestamp.fromMillis(at.toMillis() + 3),
    unread: { [alice.uid]: 3, [bob.uid]: 1, [carol.uid]: 1 },
    lastRead: { [bob.uid]: 1, [carol.uid]: 2 },
    mutedUntil: { [carol.uid]: null },
    started: true,
    active: true,
    createdAt: at,
    updatedAt: at,
  });
  batch.set(
    adminDb().doc(`chats/${chatId}/messages/0000000001`),
    message(1, null, "Bob joined", { type: "member-joined", uid: bob.uid }),
  );
  batch.set(
    adminDb().doc(`chats/${chatId}/messages/0000000002`),
    message(2, null, "Carol joined", { type: "member-joined", uid: carol.uid }),
  );
  batch.set(adminDb().doc(`chats/${chatId}/messages/0000000003`), message(3, bob.uid, "from before"));
  batch.set(adminDb().doc(`invites/old-${chatId}`), { chatId, createdAt: at });
  await batch.commit();
  return chatId;
}

const unreadOf = async (user: TestUser, chatId: string) =>
  (await api<{ chat: { unreadCount: number; muted: boolean } }>(user, "GET", `/chats/${chatId}`)).body.chat;

describe("migration to per-member docs", () => {
  it("when a room of the old layout is migrated, then its members, unread counts, mutes and host carry over, and it works as any room", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const chatId = await oldLayoutRoom(alice, bob, carol);
    expect((await api(bob, "GET", `/chats/${chatId}`)).status).toBe(404);

    const report = await migrateRoomMembers(adminDb());

    expect(report.done).toBe(true);
    expect(report.migrated).toBeGreaterThanOrEqual(1);
    const room = (await adminDb().doc(`chats/${chatId}`).get()).data() ?? {};
    expect(room).toMatchObject({ memberCount: 3, messageCount: 3, host: alice.uid });
    expect(Object.keys(room)).not.toEqual(expect.arrayContaining(["members"]));
    for (const key of ["members", "unread", "lastRead", "mutedUntil"]) expect(room[key]).toBeUndefined();
    const members = (await adminDb().collection(`chats/${chatId}/members`).orderBy("joinedAt").get()).docs.map((doc) =>
      doc.data(),
    );
    expect(members.map((member) => [member.uid, member.role, member.lastRead])).toEqual([
      [alice.uid, "host", 0],
      [bob.uid, "member", 2],
      [carol.uid, "member", 2],
    ]);
    expect(await unreadOf(alice, chatId)).toMatchObject({ unreadCount: 3, muted: false });
    expect(await unreadOf(bob, chatId)).toMatchObject({ unreadCount: 1, muted: false });
    expect(await unreadOf(carol, chatId)).toMatchObject({ unreadCount: 1, muted: true });

    expect((await send(carol, chatId, "after the move")).number).toBe(4);
    expect((await api(dave, "POST", "/rooms/join", { body: { inviteCode: `old-${chatId}` } })).status).toBe(200);
    expect((await api(alice, "POST", `/rooms/${chatId}/leave`)).body).toMatchObject({ memberCount: 3, host: bob.uid });
  });

  it("when the migration runs again, or stops part way and is resumed, then the result is the same as one whole run", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const first = await oldLayoutRoom(alice, bob, carol);
    const second = await oldLayoutRoom(alice, bob, carol);
    const state = async () =>
      Promise.all(
        [first, second].map(async (chatId) => ({
          room: (await adminDb().doc(`chats/${chatId}`).get()).data(),
          members: (await adminDb().collection(`chats/${chatId}/members`).get()).docs.map((doc) => doc.data()),
        })),
      );

    const stopped = await migrateRoomMembers(adminDb(), { maxRooms: 1 });
    const resumed = await migrateRoomMembers(adminDb());
    const after = await state();
    const again = await migrateRoomMembers(adminDb());

    expect(stopped.done).toBe(false);
    expect(stopped.migrated).toBe(1);
    expect(resumed.done).toBe(true);
    expect(again.migrated).toBe(0);
    expect(await state()).toEqual(after);
    expect(after.map(({ room }) => room?.memberCount)).toEqual([3, 3]);
    expect(after.map(({ members }) => members.length)).toEqual([3, 3]);
  });

  it("when the demo data is migrated, then it changes nothing: its chats are 1:1 and keep their layout", async () => {
    const alice = await signIn("alice@example.com", "parley-demo");
    const before = await api<{ chats: unknown[] }>(alice, "GET", "/chats");

    await migrateRoomMembers(adminDb());

    expect((await api<{ chats: unknown[] }>(alice, "GET", "/chats")).body).toEqual(before.body);
  });
});
