import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

interface Presence {
  uid: string;
  online: boolean;
  lastSeen: string | null;
}

describe("presence", () => {
  it("when a user sends heartbeats, then members of their chats see them online, and last seen once they leave", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "hi");

    const beat = await api<Presence & { written: boolean; nextHeartbeatSeconds: number }>(alice, "POST", "/presence", {
      body: {},
    });
    const seen = await api<{ members: Presence[] }>(bob, "GET", `/chats/${chatId}/presence`);
    const stranger = await api(carol, "GET", `/chats/${chatId}/presence`);

    expect(beat).toMatchObject({ status: 200, body: { uid: alice.uid, online: true, written: true, nextHeartbeatSeconds: 60 } });
    expect(seen.body.members).toEqual(
      [
        { uid: alice.uid, online: true, lastSeen: beat.body.lastSeen },
        { uid: bob.uid, online: false, lastSeen: null },
      ].sort((a, b) => (a.uid < b.uid ? -1 : 1)),
    );
    expect(stranger.status).toBe(404);

    const gone = await api<Presence & { written: boolean }>(alice, "POST", "/presence", { body: { online: false } });
    const after = await api<{ members: Presence[] }>(bob, "GET", `/chats/${chatId}/presence`);
    expect(gone.body).toMatchObject({ online: false, written: true });
    expect(after.body.members.find((member) => member.uid === alice.uid)).toEqual({
      uid: alice.uid,
      online: false,
      lastSeen: gone.body.lastSeen,
    });
    expect((await adminDb().doc(`presence/${alice.uid}`).get()).get("online")).toBe(false);
  });

  it("when a room's members ask, then they get the members' presence a page at a time, through the callable too", async () => {
    const [host, guest, third] = await signUpMany("Host", "Guest", "Third");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Online" } });
    const chatId = room.body.chat.id;
    for (const user of [guest, third]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    await api(third, "POST", "/presence", { body: {} });

    const asGuest = await clientFor(guest);
    try {
      const first = await asGuest.call<{ members: Presence[]; nextCursor: string | null }>("listChatPresence", {
        chatId,
        limit: 2,
      });
      const rest = await asGuest.call<{ members: Presence[]; nextCursor: string | null }>("listChatPresence", {
        chatId,
        limit: 2,
        cursor: first.nextCursor,
      });
      const all = [...first.members, ...rest.members];
      expect(all.map((member) => member.uid)).toEqual([host.uid, guest.uid, third.uid].sort());
      expect(rest.nextCursor).toBeNull();
      expect(all.filter((member) => member.online).map((member) => member.uid)).toEqual([third.uid]);
    } finally {
      await asGuest.close();
    }
  });
});

/** What `viewer` sees of `uid`'s presence in `chatId`. */
async function seenBy(viewer: Parameters<typeof api>[0], chatId: string, uid: string): Promise<Presence | undefined> {
  const page = await api<{ members: Presence[] }>(viewer, "GET", `/chats/${chatId}/presence`);
  expect(page.status).toBe(200);
  return page.body.members.find((member) => member.uid === uid);
}

const neverSeen = (uid: string) => ({ uid, online: false, lastSeen: null });

async function roomOf(host: Parameters<typeof api>[0], ...members: Parameters<typeof api>[0][]): Promise<string> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Privacy" } });
  for (const member of members) await api(member, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  return room.body.chat.id;
}

describe("privacy settings", () => {
  it("when a user chooses nobody, then no one sees their presence, in 1:1 chats or rooms; contacts shows it again", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "hi Bob");
    const roomId = await roomOf(alice, carol);
    await api(alice, "POST", "/presence", { body: {} });

    expect(await api(alice, "GET", "/me/settings")).toMatchObject({
      status: 200,
      body: { settings: { presence: "contacts", readReceipts: true } },
    });
    const hidden = await api(alice, "PATCH", "/me/settings", { body: { presence: "nobody" } });
    expect(hidden).toMatchObject({ status: 200, body: { settings: { presence: "nobody" } } });
    expect(await seenBy(bob, chatId, alice.uid)).toEqual(neverSeen(alice.uid));
    expect(await seenBy(carol, roomId, alice.uid)).toEqual(neverSeen(alice.uid));
    expect((await seenBy(alice, chatId, alice.uid))?.online).toBe(true);
    expect((await api(alice, "GET", "/me/settings")).body).toEqual({ settings: { presence: "nobody", readReceipts: true } });

    await api(alice, "PATCH", "/me/settings", { body: { presence: "contacts" } });
    expect((await seenBy(bob, chatId, alice.uid))?.online).toBe(true);
    const refused = await api(alice, "PATCH", "/me/settings", { body: { presence: "everyone" } });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "invalid-argument" } } });
  });

  it("when a user blocks another, then neither sees the other's presence at once, in their 1:1 chat and in a shared room; others still do", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    for (const user of [alice, bob]) await send(user, chatId, "hello");
    const roomId = await roomOf(carol, alice, bob);
    for (const user of [alice, bob]) await api(user, "POST", "/presence", { body: {} });
    expect((await seenBy(bob, chatId, alice.uid))?.online).toBe(true);

    await api(alice, "POST", "/blocks", { body: { uid: bob.uid } });

    expect(await seenBy(bob, chatId, alice.uid)).toEqual(neverSeen(alice.uid));
    expect(await seenBy(alice, chatId, bob.uid)).toEqual(neverSeen(bob.uid));
    expect(await seenBy(bob, roomId, alice.uid)).toEqual(neverSeen(alice.uid));
    expect(await seenBy(alice, roomId, bob.uid)).toEqual(neverSeen(bob.uid));
    expect((await seenBy(carol, roomId, alice.uid))?.online).toBe(true);
    expect((await seenBy(carol, roomId, bob.uid))?.online).toBe(true);
  });

  it("when a stranger opens a chat, then they don't see the other's presence until that member writes", async () => {
    const [stranger, alice] = await signUpMany("Stranger", "Alice");
    const chatId = await createChat(stranger, alice);
    await send(stranger, chatId, "hey, you online?");
    await api(alice, "POST", "/presence", { body: {} });

    expect(await seenBy(stranger, chatId, alice.uid)).toEqual(neverSeen(alice.uid));
    await send(alice, chatId, "who is this?");
    expect((await seenBy(stranger, chatId, alice.uid))?.online).toBe(true);
  });

  it("when a chat has ended, then its members no longer see each other's presence, in a 1:1 chat or a room", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "bye");
    const roomId = await roomOf(carol, alice);
    await api(alice, "POST", "/presence", { body: {} });
    await api(bob, "POST", `/chats/${chatId}/end`);
    await api(carol, "POST", `/chats/${roomId}/end`);
    expect(await seenBy(bob, chatId, alice.uid)).toEqual(neverSeen(alice.uid));
    expect(await seenBy(carol, roomId, alice.uid)).toEqual(neverSeen(alice.uid));
  });
});
