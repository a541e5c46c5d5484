import { afterAll, describe, expect, it } from "vitest";
import { sendMessage } from "../../functions/src/messages/send-message.js";
import { fanOutMessage } from "../../functions/src/push/fan-out.js";
import { outboxTransport } from "../../functions/src/push/transport.js";
import { joinRoom } from "../../functions/src/rooms/join-room.js";
import type { MessageDoc } from "../../functions/src/shared/model.js";
import { findAuthUser } from "../../functions/src/users/find-auth-user.js";
import { adminAuth, adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { countingFirestore } from "../helpers/counting-firestore.js";
import { backgroundTriggers } from "../helpers/emulators.js";
import { dropRoom, seedRoom } from "../helpers/rooms.js";
import { registerVerifiedEmail, signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// Rooms at the sizes production must take. Large rooms are seeded through the Admin SDK; the
// sends run in this process through the counting Firestore (production's limits) or the API.

/** The external events (`users-external-event/{uid}`) of `uids` that tell message `number` of `chatId`. */
async function toldOf(chatId: string, number: number, uids: string[]): Promise<number> {
  let told = 0;
  for (let i = 0; i < uids.length; i += 500) {
    const snaps = await adminDb().getAll(...uids.slice(i, i + 500).map((uid) => adminDb().doc(`users-external-event/${uid}`)));
    told += snaps.filter((snap) => snap.get("lastEvent.chatId") === chatId && snap.get("lastEvent.number") === number).length;
  }
  return told;
}

/** Large rooms seeded here, dropped at the end so that later test files don't carry them. */
const seeded: { chatId: string; members: string[] }[] = [];
afterAll(async () => {
  for (const room of seeded) await dropRoom(room);
});

describe("rooms at scale", () => {
  it("when a member sends into a room of 10,000, then the send writes at most 4 docs within production's limits, and the room doc stays under 4 KiB", async () => {
    const { chatId, members } = await seedRoom(10_000);
    seeded.push({ chatId, members });
    const { db, written, mostTransforms } = countingFirestore(adminDb());
    // Only the request path is measured here: its fan-out (25 pages) would load the emulator for the next tests.
    await backgroundTriggers("disable");

    const sent = await sendMessage(db, {
      now: new Date(),
      senderUid: members[1234],
      chatId,
      draft: { type: "text", text: "hello all", clientMessageId: "c1" },
    }).finally(() => backgroundTriggers("enable"));

    expect(sent.message.number).toBe(1);
    expect(written()).toHaveLength(1);
    const [paths] = written();
    expect(paths).toHaveLength(4);
    expect(paths.filter((path) => path.startsWith(`chats/${chatId}/client-messages/`))).toHaveLength(1);
    expect(paths.filter((path) => !path.includes("/client-messages/")).sort()).toEqual(
      [`chats/${chatId}`, `chats/${chatId}/members/${members[1234]}`, `chats/${chatId}/messages/0000000001`].sort(),
    );
    expect(mostTransforms()).toBeLessThanOrEqual(500);
    const room = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(Buffer.byteLength(JSON.stringify(room))).toBeLessThan(4096);
    expect(room).toMatchObject({ memberCount: 10_000, messageCount: 1 });
  }, 120_000);

  it("when a room counts 10,000 members, then one more join is refused as full and writes nothing", async () => {
    // The count is what a join checks; the member docs are the send test's (above).
    const { chatId } = await seedRoom(3);
    await adminDb().doc(`chats/${chatId}`).update({ memberCount: 10_000 });
    const [ann] = await signUpMany("Ann");
    await adminDb()
      .doc(`chats/${chatId}`)
      .update({ inviteCode: `full-${chatId}` });
    await adminDb().doc(`invites/full-${chatId}`).set({ chatId, createdAt: new Date() });

    const joining = joinRoom(adminDb(), {
      now: new Date(),
      callerUid: ann.uid,
      inviteCode: `full-${chatId}`,
      maxMembers: 10_000,
      findUser: (uid) => findAuthUser(adminAuth(), uid),
    });

    await expect(joining).rejects.toMatchObject({ code: "failed-precondition", message: "This room is full (10000 members)." });
    expect((await adminDb().doc(`chats/${chatId}/members/${ann.uid}`).get()).exists).toBe(false);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(0);
  }, 120_000);

  it("when a member sends into a room of 1,000, then the fan-out tells every other member, page by page, and pushes to unmuted devices", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const { chatId, members } = await seedRoom(1_000, [alice.uid, bob.uid, carol.uid]);
    seeded.push({ chatId, members });
    await api(bob, "POST", "/devices", { body: { token: `bob-${bob.uid}`, platform: "ios" } });
    await api(carol, "POST", "/devices", { body: { token: `carol-${carol.uid}`, platform: "ios" } });
    expect((await api(carol, "POST", `/chats/${chatId}/mute`, { body: {} })).status).toBe(200);

    const message = await send(alice, chatId, "Meeting at noon");

    const others = members.filter((uid) => uid !== alice.uid);
    await eventually(async () => expect(await toldOf(chatId, message.number, others)).toBe(999), 60_000);
    expect(await toldOf(chatId, message.number, [alice.uid])).toBe(0);
    const markers = await eventually(async () => {
      const docs = (await adminDb().collection("fan-outs").where("chatId", "==", chatId).get()).docs.map((doc) => doc.data());
      expect(docs.map((doc) => doc.state)).toEqual(["done", "done", "done", "done"]);
      return docs;
    });
    expect(markers.map((doc) => doc.range).sort()).toEqual([0, 1, 2, 3]);
    expect(markers.reduce((sum, doc) => sum + (doc.events as number), 0)).toBe(999);
    expect(markers.map((doc) => doc.attempts)).toEqual([1, 1, 1, 1]);
    const pushes = await eventually(async () => {
      const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).get();
      if (outbox.empty) throw new Error("no push yet");
      return outbox.docs.map((doc) => doc.get("uid") as string);
    });
    expect(pushes).toEqual([bob.uid]);
    const bobsView = await api<{ chat: { unreadCount: number } }>(bob, "GET", `/chats/${chatId}`);
    expect(bobsView.body.chat.unreadCount).toBe(1);
  }, 120_000);

  it("when a fan-out runs again (a redelivered event), then it writes nothing twice and pushes once", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const { chatId } = await seedRoom(5, [alice.uid, bob.uid]);
    await api(bob, "POST", "/devices", { body: { token: `bob-${bob.uid}`, platform: "android" } });
    const message = await send(alice, chatId, "twice");
    const stored = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data() as MessageDoc;
    await eventually(async () =>
      expect((await adminDb().doc(`fan-outs/${chatId}-${message.number}-0`).get()).get("state")).toBe("done"),
    );
    await adminDb().doc(`users-external-event/${bob.uid}`).update({ notifyNewMessage: false });

    const again = await fanOutMessage(adminDb(), new Date(), outboxTransport(adminDb(), new Date()), { chatId, message: stored });

    expect(again).toMatchObject({ ranges: 1, done: 0, skipped: 1, events: 0, push: { sent: 0 } });
    expect((await adminDb().doc(`users-external-event/${bob.uid}`).get()).get("notifyNewMessage")).toBe(false);
    const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).get();
    expect(outbox.size).toBe(1);
  });

  it("when members join and leave, then their system messages fan out nothing: no external event, no push, no marker", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const created = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", {
      body: { title: "Quiet" },
    });
    const chatId = created.body.chat.id;
    await api(alice, "POST", "/devices", { body: { token: `alice-${alice.uid}`, platform: "ios" } });

    await api(bob, "POST", "/rooms/join", { body: { inviteCode: created.body.inviteCode } });
    await api(carol, "POST", "/rooms/join", { body: { inviteCode: created.body.inviteCode } });
    await api(carol, "POST", `/rooms/${chatId}/leave`);
    const hello = await send(bob, chatId, "hello");

    // The send's fan-out comes after the joins' and leave's triggers: once it is there, they have run.
    await eventually(async () => expect(await toldOf(chatId, hello.number, [alice.uid])).toBe(1));
    const markers = await adminDb().collection("fan-outs").where("chatId", "==", chatId).get();
    expect(markers.docs.map((doc) => doc.get("number") as number)).toEqual([hello.number]);
    const outbox = await eventually(async () => {
      const docs = (await adminDb().collection("push-outbox").where("chatId", "==", chatId).get()).docs;
      if (docs.length === 0) throw new Error("no push yet");
      return docs;
    });
    expect(outbox.map((doc) => doc.get("number") as number)).toEqual([hello.number]);
    expect(await toldOf(chatId, hello.number, [bob.uid])).toBe(0);
  });

  it("when a user is in 1:1 chats and rooms, then the chat list pages through both, newest first, with derived unread counts", async () => {
    const [ann, signedUpBen, cat, dan] = await signUpMany("Ann", "Ben", "Cat", "Dan");
    const ben = await registerVerifiedEmail(signedUpBen);
    const bigRoom = await seedRoom(500, [ann.uid, ben.uid]);
    seeded.push(bigRoom);
    const big = bigRoom.chatId;
    // Lists read chat docs only: no fan-out needed, and 500-member fan-outs would load the emulator.
    await backgroundTriggers("disable");
    try {
      const direct1 = (await api<{ chat: { id: string } }>(ann, "POST", "/chats", { body: { memberUid: ben.uid } })).body.chat.id;
      const small = (await api<{ chat: { id: string }; inviteCode: string }>(ben, "POST", "/rooms", { body: { title: "Small" } }))
        .body;
      await api(ann, "POST", "/rooms/join", { body: { inviteCode: small.inviteCode } });
      const direct2 = (await api<{ chat: { id: string } }>(ann, "POST", "/chats", { body: { memberUid: cat.uid } })).body.chat.id;
      const idle = (await api<{ chat: { id: string } }>(ann, "POST", "/chats", { body: { memberUid: dan.uid } })).body.chat.id;
      // Activity, oldest first: big room, 1:1 with Ben, small room, 1:1 with Cat; 1:1 with Dan has none.
      await send(ben, big, "one");
      await send(ben, big, "two");
      await send(ben, direct1, "hi Ann");
      await send(ben, small.chat.id, "small talk");
      await send(cat, direct2, "hey");

      const ids: string[] = [];
      const unread: number[] = [];
      let cursor: string | null = null;
      do {
        const path: string = `/chats?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const page = await api<{ chats: { id: string; unreadCount: number }[]; nextCursor: string | null }>(ann, "GET", path);
        expect(page.status).toBe(200);
        ids.push(...page.body.chats.map((chat) => chat.id));
        unread.push(...page.body.chats.map((chat) => chat.unreadCount));
        cursor = page.body.nextCursor;
      } while (cursor);

      expect(ids).toEqual([direct2, small.chat.id, direct1, big, idle]);
      // Ann joined the small room after Ben created it: only Ben's message is unread there.
      expect(unread).toEqual([1, 1, 1, 2, 0]);
      const withBen = await api<{ chats: { id: string }[] }>(ann, "GET", `/chats?with=${encodeURIComponent(ben.email)}`);
      expect(withBen.body.chats.map((chat) => chat.id)).toEqual([small.chat.id, direct1, big]);
    } finally {
      await backgroundTriggers("enable");
    }
  }, 120_000);
});
