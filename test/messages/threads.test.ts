import { describe, expect, it } from "vitest";
import { objectDeleter } from "../../functions/src/files/delete-objects.js";
import { deleteExpiredMessages } from "../../functions/src/jobs/delete-expired-messages.js";
import { adminBucket, adminDb } from "../helpers/admin.js";
import { api, createChat, openRequest, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { signUpMany, signUpUnlimited, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

interface Reply {
  number: number;
  from: string;
  text: string;
  threadOf: number | null;
  clientMessageId: string | null;
}
interface ThreadPage {
  parent: { number: number; deleted: boolean; text: string; thread: { replyCount: number; repliers: string[] } | null };
  replies: Reply[];
  hasMore: boolean;
  unreadCount: number;
}
interface ChatView {
  unreadCount: number;
  messageCount: number;
  threadsWithNewReplies: number;
}

const reply = (user: TestUser, chatId: string, threadOf: number, body: Record<string, unknown>) =>
  api<{ message: Reply }>(user, "POST", `/chats/${chatId}/messages`, { body: { threadOf, ...body } });
const thread = (user: TestUser, chatId: string, number: number, query = "") =>
  api<ThreadPage>(user, "GET", `/chats/${chatId}/messages/${number}/thread${query}`);
const chatView = async (user: TestUser, chatId: string) =>
  (await api<{ chat: ChatView }>(user, "GET", `/chats/${chatId}`)).body.chat;

/** A room made by `host` that `others` joined; its id. */
async function roomOf(host: TestUser, ...others: TestUser[]): Promise<string> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Threads" } });
  for (const user of others) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  return room.body.chat.id;
}

describe("threads", () => {
  it("when members of a 1:1 chat reply in a thread, then replies are numbered in the thread, the parent keeps the counts, and the chat's unread count does not move", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const parent = await send(alice, chatId, "lunch?");

    const first = await reply(bob, chatId, parent.number, { text: "yes", clientMessageId: "r1" });
    const retried = await reply(bob, chatId, parent.number, { text: "yes", clientMessageId: "r1" });
    await reply(alice, chatId, parent.number, { text: "noon" });
    const page = await thread(bob, chatId, parent.number);
    const older = await thread(bob, chatId, parent.number, "?limit=1&before=2");

    expect(first).toMatchObject({ status: 201, body: { message: { number: 1, from: bob.uid, threadOf: parent.number } } });
    expect(retried).toMatchObject({ status: 200, body: { message: { number: 1, clientMessageId: "r1" } } });
    expect(page.body.replies.map((r) => [r.number, r.text])).toEqual([
      [1, "yes"],
      [2, "noon"],
    ]);
    expect(page.body.parent.thread).toMatchObject({ replyCount: 2, repliers: [bob.uid, alice.uid] });
    expect(older.body).toMatchObject({ replies: [{ number: 1 }], hasMore: false });
    const [aliceView, bobView] = [await chatView(alice, chatId), await chatView(bob, chatId)];
    expect(aliceView).toMatchObject({ messageCount: 1, unreadCount: 0, threadsWithNewReplies: 0 });
    expect(bobView).toMatchObject({ messageCount: 1, unreadCount: 1, threadsWithNewReplies: 1 });
  });

  it("when a participant marks the thread read, then their threads with new replies drop; a new reply brings it back once", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const parent = await send(alice, chatId, "plan");
    await reply(bob, chatId, parent.number, { text: "a" });
    await reply(bob, chatId, parent.number, { text: "b" });
    expect(await chatView(alice, chatId)).toMatchObject({ threadsWithNewReplies: 1 });

    const read = await api(alice, "POST", `/chats/${chatId}/messages/${parent.number}/thread/read`);
    const afterRead = await chatView(alice, chatId);
    const unreadAfterRead = (await thread(alice, chatId, parent.number)).body.unreadCount;
    await reply(bob, chatId, parent.number, { text: "c" });
    await reply(bob, chatId, parent.number, { text: "d" });

    expect(read).toMatchObject({ status: 200, body: { chatId, threadOf: parent.number, lastRead: 2, threadsWithNewReplies: 0 } });
    expect(afterRead.threadsWithNewReplies).toBe(0);
    expect(await chatView(alice, chatId)).toMatchObject({ threadsWithNewReplies: 1, unreadCount: 0 });
    expect([unreadAfterRead, (await thread(alice, chatId, parent.number)).body.unreadCount]).toEqual([0, 2]);
    const event = await adminDb().doc(`users-external-event/${alice.uid}`).get();
    expect(event.get("lastEvent")).toMatchObject({ chatId, number: parent.number });
  });

  it("when a reply is also shown in the channel, then the chat gets a message that counts as unread and points at the thread", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const parent = await send(alice, chatId, "vote?");

    const shown = await reply(bob, chatId, parent.number, { text: "yes!", showInChannel: true, clientMessageId: "s1" });
    await reply(bob, chatId, parent.number, { text: "yes!", showInChannel: true, clientMessageId: "s1" });
    const messages = await api<{ messages: Reply[] }>(alice, "GET", `/chats/${chatId}/messages`);

    expect(shown.body.message).toMatchObject({ number: 1, threadOf: parent.number });
    expect(messages.body.messages.map((m) => [m.number, m.text, m.threadOf])).toEqual([
      [1, "vote?", null],
      [2, "yes!", parent.number],
    ]);
    expect(await chatView(alice, chatId)).toMatchObject({ unreadCount: 1 });
  });

  it("when threadOf names a missing, system, reply-in-channel message, then 400 and nothing is written", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const roomId = await roomOf(alice, bob);
    const parent = await send(alice, roomId, "hi");
    await reply(bob, roomId, parent.number, { text: "shown", showInChannel: true });
    const messages = await api<{ messages: Reply[] }>(alice, "GET", `/chats/${roomId}/messages`);
    const system = messages.body.messages.find((m) => m.from === null);
    const shown = messages.body.messages.find((m) => m.threadOf !== null);

    const missing = await reply(bob, roomId, 999, { text: "x" });
    const onSystem = await reply(bob, roomId, system?.number ?? 0, { text: "x" });
    const nested = await reply(bob, roomId, shown?.number ?? 0, { text: "x" });
    const poll = await reply(bob, roomId, parent.number, { poll: { question: "q", options: ["a", "b"] } });

    for (const refused of [missing, onSystem, nested, poll]) expect(refused.status).toBe(400);
    expect((await adminDb().collection(`chats/${roomId}/threads`).get()).size).toBe(1);
    expect((await thread(alice, roomId, parent.number)).body.replies).toHaveLength(1);
  });

  it("when a 1:1 chat is still a message request, then neither member may reply in a thread (409) and nothing is written", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await openRequest(alice, bob);
    const parent = await send(alice, chatId, "hello?");

    const byOpener = await reply(alice, chatId, parent.number, { text: "again" });
    const byRecipient = await reply(bob, chatId, parent.number, { text: "who?" });

    expect([byOpener.status, byRecipient.status]).toEqual([409, 409]);
    expect((await adminDb().collection(`chats/${chatId}/threads`).get()).size).toBe(0);
  });

  it("when the parent is deleted, then its thread stays readable; strangers get 404", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const roomId = await roomOf(alice, bob);
    const parent = await send(alice, roomId, "secret plan");
    await reply(bob, roomId, parent.number, { text: "count me in" });

    await api(alice, "DELETE", `/chats/${roomId}/messages/${parent.number}`);
    const page = await thread(bob, roomId, parent.number);
    const stranger = await thread(eve, roomId, parent.number);
    const noMessage = await thread(bob, roomId, 999);

    expect(page.body.parent).toMatchObject({ deleted: true, text: "", thread: { replyCount: 1 } });
    expect(page.body.replies.map((r) => r.text)).toEqual(["count me in"]);
    expect(stranger.status).toBe(404);
    expect(noMessage.status).toBe(404);
  });

  it("when room members reply and mention through the callables, then each participant has one thread with new replies and the room's unread count ignores replies", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const roomId = await roomOf(alice, bob, carol, dave);
    const parent = await send(alice, roomId, "agenda");
    const members = [alice, bob, carol, dave];
    const unreadBefore = (await Promise.all(members.map((user) => chatView(user, roomId)))).map((view) => view.unreadCount);
    const asBob = await clientFor(bob);
    try {
      const sent = await asBob.call<{ message: Reply; created: boolean }>("sendMessage", {
        chatId: roomId,
        threadOf: parent.number,
        text: "@carol see this",
        mentions: [carol.uid],
      });
      const page = await asBob.call<ThreadPage>("listThread", { chatId: roomId, number: parent.number });
      expect(sent).toMatchObject({ created: true, message: { number: 1, threadOf: parent.number } });
      expect(page.replies.map((r) => r.text)).toEqual(["@carol see this"]);
      expect(await callFailure(asBob.call("listThread", { chatId: roomId, number: 999 }))).toMatchObject({
        code: "functions/not-found",
      });
    } finally {
      await asBob.close();
    }
    const views = await Promise.all(members.map((user) => chatView(user, roomId)));
    expect(views.map((view) => view.threadsWithNewReplies)).toEqual([1, 0, 1, 0]);
    expect(views.map((view) => view.unreadCount)).toEqual(unreadBefore);
  });

  it("when 20 replies arrive at once, then the thread counts 20 and numbers them 1..20 without gaps", async () => {
    const [alice, ...repliers] = await signUpUnlimited("Alice", "B1", "B2", "B3", "B4");
    const roomId = await roomOf(alice, ...repliers);
    const parent = await send(alice, roomId, "go");

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => reply(repliers[i % repliers.length], roomId, parent.number, { text: `r${i}` })),
    );
    const page = await thread(alice, roomId, parent.number, "?limit=50");

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(page.body.replies.map((r) => r.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(page.body.parent.thread?.replyCount).toBe(20);
    expect(
      (
        await adminDb()
          .doc(`chats/${roomId}/threads/${String(parent.number).padStart(10, "0")}`)
          .get()
      ).get("replyCount"),
    ).toBe(20);
    expect(await chatView(alice, roomId)).toMatchObject({ threadsWithNewReplies: 1 });
  });

  it("when a room member replies, then the thread's participants but the sender get a push; other members none", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const roomId = await roomOf(alice, bob, carol, dave);
    for (const user of [alice, bob, carol, dave]) {
      await api(user, "POST", "/devices", { body: { token: `thread-${user.uid}`, platform: "android" } });
    }
    const parent = await send(alice, roomId, "who brings cake?");

    await reply(bob, roomId, parent.number, { text: "me, and carol", mentions: [carol.uid] });
    const pushes = await eventually(async () => {
      const outbox = await adminDb()
        .collection("push-outbox")
        .where("chatId", "==", roomId)
        .where("message.data.threadOf", "==", String(parent.number))
        .get();
      if (outbox.size < 2) throw new Error(`${outbox.size} thread pushes so far`);
      return outbox.docs.map((doc) => doc.data() as { uid: string; message: { data: Record<string, string> } });
    });

    expect(pushes.map((push) => push.uid).sort()).toEqual([alice.uid, carol.uid].sort());
    expect(pushes[0].message.data).toEqual({
      chatId: roomId,
      number: "1",
      type: "text",
      threadOf: String(parent.number),
      unreadTotal: expect.stringMatching(/^[0-9]+$/),
    });
  });
});

describe("threads and retention", () => {
  it("when retention deletes a message with a thread, then the thread and its replies go with it, and a newer thread stays", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const old = await send(alice, chatId, "old question");
    const recent = await send(alice, chatId, "new question");
    for (const parent of [old, recent]) {
      for (const text of ["one", "two"]) expect((await reply(bob, chatId, parent.number, { text })).status).toBe(201);
    }
    await adminDb()
      .doc(`chats/${chatId}/messages/${old.id}`)
      .update({ createdAt: new Date(Date.UTC(2000, 0, 1)) });
    const now = new Date();
    const retentionDays = (now.getTime() - Date.UTC(2001, 0, 1)) / 86_400_000;

    await deleteExpiredMessages(adminDb(), { deleteObjects: objectDeleter(adminBucket()), now, retentionDays });

    const threadOf = (parent: { id: string }) => adminDb().doc(`chats/${chatId}/threads/${parent.id}`);
    expect((await threadOf(old).get()).exists).toBe(false);
    expect((await threadOf(old).collection("replies").get()).size).toBe(0);
    expect((await thread(bob, chatId, old.number)).status).toBe(404);
    expect((await threadOf(recent).collection("replies").get()).size).toBe(2);
    expect((await thread(bob, chatId, recent.number)).body.replies.map(({ text }) => text)).toEqual(["one", "two"]);
  });
});
