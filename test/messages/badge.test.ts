import { doc, onSnapshot } from "firebase/firestore";
import { describe, expect, it } from "vitest";
import { toExternalEventView } from "../../functions/src/chats/views.js";
import { fanOutMessage } from "../../functions/src/push/fan-out.js";
import type { ExternalEventDoc } from "../../functions/src/shared/model.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, openRequest, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { withoutBackgroundTriggers } from "../helpers/emulators.js";
import { fakeFcm } from "../helpers/fake-fcm.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

/** `uid`'s event doc as stored. */
const eventOf = async (user: TestUser) =>
  ((await adminDb().doc(`users-external-event/${user.uid}`).get()).data() ?? {}) as Partial<ExternalEventDoc>;
const totalOf = async (user: TestUser) => (await eventOf(user)).unreadTotal ?? 0;
/** Waits until `user`'s badge is `expected` (a room's fan-out comes after the send's answer). */
const badgeBecomes = (user: TestUser, expected: number) => eventually(async () => expect(await totalOf(user)).toBe(expected));
const unreadOf = async (user: TestUser, chatId: string) =>
  (await api<{ chat: { unreadCount: number } }>(user, "GET", `/chats/${chatId}`)).body.chat.unreadCount;
const read = (user: TestUser, chatId: string, upTo?: number) =>
  api(user, "POST", `/chats/${chatId}/read`, { body: upTo === undefined ? {} : { upTo } });

/** A room made by `host` that `others` joined; its id and invite code. */
async function roomOf(host: TestUser, ...others: TestUser[]): Promise<{ roomId: string; inviteCode: string }> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Badges" } });
  for (const user of others) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  return { roomId: room.body.chat.id, inviteCode: room.body.inviteCode };
}

describe("the app badge (users-external-event/{uid}.unreadTotal)", () => {
  it("when messages arrive in two 1:1 chats and one is read in part, then the badge sums what is unread, in the send's own write", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const withBob = await createChat(alice, bob);
    const withCarol = await createChat(alice, carol);
    // Apps hold a listener on the doc; the badge arrives in it.
    const alicesApp = await clientFor(alice);
    const seen: number[] = [];
    const stop = onSnapshot(doc(alicesApp.db, "users-external-event", alice.uid), (snap) =>
      seen.push(toExternalEventView(snap.data() as ExternalEventDoc | undefined).unreadTotal),
    );

    await send(bob, withBob, "one");
    await send(bob, withBob, "two");
    const third = await send(bob, withBob, "three");
    // No trigger in between: the send's batch wrote it.
    expect(await totalOf(alice)).toBe(3);
    await send(carol, withCarol, "hi");
    expect(await totalOf(alice)).toBe(4);
    expect(await totalOf(bob)).toBe(0);
    await read(alice, withBob, third.number - 1);
    expect(await totalOf(alice)).toBe(2);
    await read(alice, withCarol);

    expect(await totalOf(alice)).toBe(1);
    expect(await unreadOf(alice, withBob)).toBe(1);
    await eventually(() => Promise.resolve(expect(seen.at(-1)).toBe(1)));
    expect(seen).toContain(4);
    stop();
    await alicesApp.close();
  });

  it("when a room's members get messages, then each one's badge counts them but their own, and their read or send clears it", async () => {
    const [host, ann, ben] = await signUpMany("Host", "Ann", "Ben");
    const { roomId } = await roomOf(host, ann, ben);

    await send(ben, roomId, "a");
    await send(ben, roomId, "b");
    await badgeBecomes(ann, 2);
    await badgeBecomes(host, 2);
    expect(await totalOf(ben)).toBe(0);
    await read(ann, roomId);
    // A send moves the sender's read position, and their badge with it.
    await send(host, roomId, "c");

    await badgeBecomes(ann, 1);
    expect(await totalOf(host)).toBe(0);
    await badgeBecomes(ben, 1);
    // Joins are system messages: they are unread in the room but not on the badge.
    expect(await unreadOf(ann, roomId)).toBe(1);
  });

  it("when a room's fan-out comes after the member read the message, then it does not count it", async () => {
    const [host, ann] = await signUpMany("Host", "Ann");
    const { roomId } = await roomOf(host, ann);
    const { message, number } = await withoutBackgroundTriggers(async () => {
      const sent = await send(host, roomId, "read before it was fanned out");
      await read(ann, roomId);
      const stored = await adminDb()
        .doc(`chats/${roomId}/messages/${String(sent.number).padStart(10, "0")}`)
        .get();
      return { message: stored.data() as Parameters<typeof fanOutMessage>[3]["message"], number: sent.number };
    });

    await fanOutMessage(adminDb(), new Date(), fakeFcm({ answer: () => "ok" }).transport, { chatId: roomId, message });

    expect((await eventOf(ann)).lastEvent?.number).toBe(number);
    expect(await totalOf(ann)).toBe(0);
  });

  it("when a chat is muted, then its unread leaves the badge and what arrives meanwhile never joins it", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "before");
    expect(await totalOf(alice)).toBe(1);

    await api(alice, "POST", `/chats/${chatId}/mute`, { body: {} });
    expect(await totalOf(alice)).toBe(0);
    await send(bob, chatId, "while muted");
    expect(await totalOf(alice)).toBe(0);
    await api(alice, "POST", `/chats/${chatId}/unmute`);
    await send(bob, chatId, "after");

    expect(await totalOf(alice)).toBe(1);
    expect(await unreadOf(alice, chatId)).toBe(3);
  });

  it("when a mute ends by itself, then messages after its end count with no write at its end", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const until = new Date(Date.now() + 3_000);
    await api(alice, "POST", `/chats/${chatId}/mute`, { body: { until: until.toISOString() } });
    await send(bob, chatId, "while muted");
    expect(await totalOf(alice)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until.getTime() - Date.now() + 100)));

    await send(bob, chatId, "after the mute");

    expect(await totalOf(alice)).toBe(1);
  });

  it("when a member muted a user, then that user's room messages stay off their badge and others' count", async () => {
    const [host, ann, ben] = await signUpMany("Host", "Ann", "Ben");
    const { roomId } = await roomOf(host, ann, ben);
    await api(ann, "POST", `/users/${ben.uid}/mute`);

    await send(ben, roomId, "muted");
    await send(host, roomId, "heard");

    await badgeBecomes(ann, 1);
    await badgeBecomes(ben, 1);
    // The host's own send read Ben's message for them.
    expect(await totalOf(host)).toBe(0);
  });

  it("when a member muted a user, then that user's thread replies in a room stay off their badge too", async () => {
    const [host, ann, ben] = await signUpMany("Host", "Ann", "Ben");
    const { roomId } = await roomOf(host, ann, ben);
    const parent = await send(ann, roomId, "thread?");
    await api(ann, "POST", `/users/${ben.uid}/mute`);

    await api(ben, "POST", `/chats/${roomId}/messages`, { body: { threadOf: parent.number, text: "muted" } });
    await api(host, "POST", `/chats/${roomId}/messages`, { body: { threadOf: parent.number, text: "heard" } });

    await badgeBecomes(ann, 1);
    expect(Object.keys((await eventOf(ann)).badge ?? {})).toContain(`${roomId}:${parent.number}`);
  });

  it("when a member leaves, is removed, or rejoins, then the room's share leaves their badge and starts again from the join", async () => {
    const [host, ann, ben] = await signUpMany("Host", "Ann", "Ben");
    const { roomId, inviteCode } = await roomOf(host, ann, ben);
    const withHost = await createChat(host, ann);
    await send(host, withHost, "elsewhere");
    await send(host, roomId, "a");
    await send(host, roomId, "b");
    await badgeBecomes(ann, 3);
    await badgeBecomes(ben, 2);

    await api(ann, "POST", `/rooms/${roomId}/leave`);
    await api(host, "DELETE", `/rooms/${roomId}/members/${ben.uid}`);
    expect(await totalOf(ann)).toBe(1);
    expect(await totalOf(ben)).toBe(0);
    await api(ann, "POST", "/rooms/join", { body: { inviteCode } });
    await send(host, roomId, "c");

    await badgeBecomes(ann, 2);
    expect(await totalOf(ben)).toBe(0);
  });

  it("when a message request is declined or accepted, then its messages leave the recipient's badge", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const fromBob = await openRequest(bob, alice);
    const fromCarol = await openRequest(carol, alice);
    await send(bob, fromBob, "hi");
    await send(carol, fromCarol, "hello");
    expect(await totalOf(alice)).toBe(2);

    await api(alice, "POST", `/chats/${fromBob}/decline`);
    expect(await totalOf(alice)).toBe(1);
    await api(alice, "POST", `/chats/${fromCarol}/accept`);

    expect(await totalOf(alice)).toBe(0);
    await send(carol, fromCarol, "thanks");
    expect(await totalOf(alice)).toBe(1);
  });

  it("when an unread message is deleted for everyone, then it stays on the badge as it stays unread", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "oops");
    const second = await send(bob, chatId, "kept");

    await api(bob, "DELETE", `/chats/${chatId}/messages/${second.number}`);

    expect(await totalOf(alice)).toBe(await unreadOf(alice, chatId));
    expect(await totalOf(alice)).toBe(2);
  });

  it("when replies come in a thread, then they count for its participants and reading the thread clears them", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const parent = await send(alice, chatId, "lunch?");
    await read(bob, chatId);

    await api(bob, "POST", `/chats/${chatId}/messages`, { body: { threadOf: parent.number, text: "yes" } });
    await api(bob, "POST", `/chats/${chatId}/messages`, { body: { threadOf: parent.number, text: "noon" } });
    expect(await totalOf(alice)).toBe(2);
    expect(await totalOf(bob)).toBe(0);
    await api(alice, "POST", `/chats/${chatId}/messages/${parent.number}/thread/read`);

    expect(await totalOf(alice)).toBe(0);
  });
});
