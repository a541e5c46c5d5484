import type { TokenMessage } from "firebase-admin/messaging";
import { describe, expect, it } from "vitest";
import { fanOutMessage } from "../../functions/src/push/fan-out.js";
import { adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { fakeFcm, seedDevice } from "../helpers/fake-fcm.js";
import { dropRoom, seedRoom, sendWithoutTriggers } from "../helpers/rooms.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// One notification per unread streak (push/streak.ts): in a room, a member with an unread pushed
// message gets no further push until they read, unless a message mentions them.

/** A room hosted by `host` that `others` joined, each member with one device; its id. */
async function roomWithDevices(host: TestUser, ...others: TestUser[]): Promise<string> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Streaks" } });
  for (const user of others) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  for (const user of [host, ...others]) {
    await api(user, "POST", "/devices", { body: { token: `streak-${user.uid}`, platform: "ios" } });
  }
  return room.body.chat.id;
}

/** Whom room message `number` was pushed to (sorted), once its fan-out (one range in a small room) is done. */
function pushedTo(chatId: string, number: number): Promise<string[]> {
  return eventually(async () => {
    const marker = await adminDb().doc(`fan-outs/${chatId}-${number}-0`).get();
    if (marker.get("state") !== "done") throw new Error(`the fan-out of message ${number} is not done yet`);
    const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).where("number", "==", number).get();
    return outbox.docs.map((doc) => doc.get("uid") as string).sort();
  });
}

/** The app badge a push to `uid` for message `number` carried (APNs `badge`). */
async function pushedBadge(chatId: string, number: number, uid: string): Promise<number | undefined> {
  const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).where("number", "==", number).get();
  const push = outbox.docs.find((doc) => doc.get("uid") === uid)?.get("message") as TokenMessage | undefined;
  return push?.apns?.payload?.aps.badge;
}

const unreadTotal = async (uid: string) =>
  ((await adminDb().doc(`users-external-event/${uid}`).get()).get("unreadTotal") as number | undefined) ?? 0;

const sorted = (...users: TestUser[]) => users.map(({ uid }) => uid).sort();

describe("one notification per unread streak in a room", () => {
  it("when three messages come in a row, then each member gets one push, a muted one none, and every badge counts each message", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const roomId = await roomWithDevices(alice, bob, carol, dave);
    await api(dave, "POST", `/chats/${roomId}/mute`, { body: {} });

    const totals: number[][] = [];
    const pushes: string[][] = [];
    for (const text of ["one", "two", "three"]) {
      const message = await send(alice, roomId, text);
      pushes.push(await pushedTo(roomId, message.number));
      totals.push([await unreadTotal(bob.uid), await unreadTotal(carol.uid), await unreadTotal(dave.uid)]);
    }

    expect(pushes).toEqual([sorted(bob, carol), [], []]);
    // The badge still moves on every message (a muted room's messages stay off it).
    expect(totals).toEqual([
      [1, 1, 0],
      [2, 2, 0],
      [3, 3, 0],
    ]);
  });

  it("when a member reads and a new message comes, then they get a push again carrying their badge, and the others still don't", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const roomId = await roomWithDevices(alice, bob, carol);
    const first = await send(alice, roomId, "first");
    expect(await pushedTo(roomId, first.number)).toEqual(sorted(bob, carol));
    const second = await send(alice, roomId, "second");
    expect(await pushedTo(roomId, second.number)).toEqual([]);

    await api(bob, "POST", `/chats/${roomId}/read`, { body: {} });
    const third = await send(alice, roomId, "third");
    const fourth = await send(alice, roomId, "fourth");

    expect(await pushedTo(roomId, third.number)).toEqual([bob.uid]);
    expect(await pushedBadge(roomId, third.number, bob.uid)).toBe(1);
    expect(await pushedTo(roomId, fourth.number)).toEqual([]);
    expect([await unreadTotal(bob.uid), await unreadTotal(carol.uid)]).toEqual([2, 4]);
  });

  it("when a member is mentioned inside their streak, then they get a push, and a muted member only for their mention", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const roomId = await roomWithDevices(alice, bob, carol, dave);
    await api(dave, "POST", `/chats/${roomId}/mute`, { body: {} });
    const opening = await send(alice, roomId, "opening");
    expect(await pushedTo(roomId, opening.number)).toEqual(sorted(bob, carol));

    const mention = await api<{ message: { number: number } }>(alice, "POST", `/chats/${roomId}/messages`, {
      body: { text: "@Carol @Dave look", mentions: [carol.uid, dave.uid] },
    });
    const after = await send(alice, roomId, "after");

    expect(await pushedTo(roomId, mention.body.message.number)).toEqual(sorted(carol, dave));
    expect(await pushedBadge(roomId, mention.body.message.number, carol.uid)).toBe(2);
    expect(await pushedTo(roomId, after.number)).toEqual([]);
  });

  it("when a member replies, then their read position passes the push and the next message opens a new streak for them", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const roomId = await roomWithDevices(alice, bob, carol);
    const question = await send(alice, roomId, "who's in?");
    expect(await pushedTo(roomId, question.number)).toEqual(sorted(bob, carol));

    const reply = await send(bob, roomId, "me");
    // Alice hears Bob's reply (her first push); Carol is still inside her streak.
    expect(await pushedTo(roomId, reply.number)).toEqual([alice.uid]);
    const next = await send(alice, roomId, "great");

    expect(await pushedTo(roomId, next.number)).toEqual([bob.uid]);
  });

  it("when one message's fan-out runs twice, or messages' fan-outs come out of order, then nobody is pushed twice or missed", async () => {
    const room = await seedRoom(30);
    const [host, ...others] = room.members;
    try {
      for (const uid of others) await seedDevice(uid, `order-${uid}`);
      const first = await sendWithoutTriggers(room.chatId, host, "one");
      const second = await sendWithoutTriggers(room.chatId, host, "two");
      const fcm = fakeFcm({ answer: () => "ok" });
      const fanOut = (message: typeof first) =>
        fanOutMessage(adminDb(), new Date(), fcm.transport, { chatId: room.chatId, message });

      // The second message's fan-out first, then the first's, each delivered twice.
      const later = await fanOut(second);
      const a = await fanOut(first);
      const b = await fanOut(first);
      await fanOut(second);

      expect(later.push.sent).toBe(others.length);
      expect(a.push.sent + b.push.sent).toBe(0);
      expect(others.filter((uid) => fcm.accepted.get(`order-${uid}`) !== 1)).toEqual([]);
      expect(fcm.accepted.size).toBe(others.length);
    } finally {
      await dropRoom(room);
    }
  });
});
