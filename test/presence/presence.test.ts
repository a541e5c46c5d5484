import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
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
