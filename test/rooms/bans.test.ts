import { doc, getDoc } from "firebase/firestore";
import { describe, expect, it } from "vitest";
import { postSystemMessage } from "../../functions/src/timeline/system-message.js";
import { adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

interface Room {
  chat: { id: string };
  inviteCode: string;
}

async function createRoom(host: TestUser): Promise<Room> {
  return (await api<Room>(host, "POST", "/rooms", { body: { title: "Moderated" } })).body;
}
const join = (user: TestUser, inviteCode: string) => api(user, "POST", "/rooms/join", { body: { inviteCode } });

describe("bans", () => {
  it("when the host removes a member, then the member can't rejoin, not even after the invite is rotated, until the host unbans them", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);
    await join(carol, room.inviteCode);
    await api(alice, "DELETE", `/rooms/${room.chat.id}/members/${bob.uid}`);
    const before = (await adminDb().doc(`chats/${room.chat.id}`).get()).data();

    const sameCode = await join(bob, room.inviteCode);
    const rotated = await api<{ inviteCode: string }>(alice, "POST", `/rooms/${room.chat.id}/invite/rotate`);
    const newCode = await join(bob, rotated.body.inviteCode);
    const refusedLeftNothing = (await adminDb().doc(`chats/${room.chat.id}`).get()).data();
    const bans = await api<{ bans: { uid: string; bannedBy: string; displayName: string }[] }>(
      alice,
      "GET",
      `/rooms/${room.chat.id}/bans`,
    );
    const unbanByMember = await api(carol, "DELETE", `/rooms/${room.chat.id}/bans/${bob.uid}`);
    const unban = await api(alice, "DELETE", `/rooms/${room.chat.id}/bans/${bob.uid}`);
    const unbanAgain = await api(alice, "DELETE", `/rooms/${room.chat.id}/bans/${bob.uid}`);
    const back = await join(bob, rotated.body.inviteCode);

    const refused = {
      status: 403,
      body: {
        error: { code: "permission-denied", message: "You were removed from this room; only its host can let you back in." },
      },
    };
    expect(sameCode).toMatchObject(refused);
    expect(newCode).toMatchObject(refused);
    expect({ ...refusedLeftNothing, inviteCode: null }).toEqual({ ...before, inviteCode: null });
    expect(bans.body.bans).toEqual([
      { uid: bob.uid, displayName: bob.displayName, bannedBy: alice.uid, bannedAt: expect.any(String) },
    ]);
    expect(unbanByMember.status).toBe(403);
    expect(unban).toMatchObject({ status: 200, body: { chatId: room.chat.id, uid: bob.uid, banned: false } });
    expect(unbanAgain.status).toBe(404);
    expect(back).toMatchObject({ status: 200, body: { joined: true } });
  });

  it("when a member leaves on their own, then they are not banned and may join again", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);

    await api(bob, "POST", `/rooms/${room.chat.id}/leave`);
    const again = await join(bob, room.inviteCode);

    expect(again).toMatchObject({ status: 200, body: { joined: true } });
    expect((await adminDb().doc(`chats/${room.chat.id}/bans/${bob.uid}`).get()).exists).toBe(false);
  });

  it("when a client reads a room's bans directly, then the rules refuse it", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);
    await api(alice, "DELETE", `/rooms/${room.chat.id}/members/${bob.uid}`);
    const asAlice = await clientFor(alice);
    try {
      await expect(getDoc(doc(asAlice.db, "chats", room.chat.id, "bans", bob.uid))).rejects.toMatchObject({
        code: "permission-denied",
      });
    } finally {
      await asAlice.close();
    }
  });
});

describe("the last member of an ended room", () => {
  it("when they leave, then they are out at once and the room stays ended", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);
    await api(alice, "POST", `/chats/${room.chat.id}/end`);
    await api(alice, "POST", `/rooms/${room.chat.id}/leave`);

    const last = await api(bob, "POST", `/rooms/${room.chat.id}/leave`);

    expect(last).toMatchObject({ status: 200, body: { chatId: room.chat.id, memberCount: 0, host: null, status: "ended" } });
    expect((await adminDb().collection(`chats/${room.chat.id}/members`).get()).size).toBe(0);
    expect((await adminDb().doc(`chats/${room.chat.id}`).get()).data()).toMatchObject({ status: "ended", memberCount: 0 });
  });

  it("when a chat change would create a doc that exists (not a message number), then it fails at once instead of retrying as a race", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);
    await send(bob, room.chat.id, "last words");
    await api(alice, "POST", `/chats/${room.chat.id}/end`);
    const count = (await adminDb().doc(`chats/${room.chat.id}`).get()).get("messageCount");

    // Ending again by hand: the completion record already exists.
    const failure = await postSystemMessage(adminDb(), {
      now: new Date(),
      chatId: room.chat.id,
      event: { type: "chat-ended", uid: alice.uid },
      text: "again",
      change: () => ({
        ended: { by: alice.uid },
      }),
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^A chat change created a doc that already exists/);
    expect((await adminDb().doc(`chats/${room.chat.id}`).get()).get("messageCount")).toBe(count);
  });
});
