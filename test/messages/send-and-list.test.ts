import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor, type Client } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

interface MessageBody {
  id: string;
  chatId: string;
  number: number;
  from: string;
  type: string;
  text: string;
  clientMessageId: string | null;
  createdAt: string;
}
interface MessagePage {
  messages: MessageBody[];
  hasMore: boolean;
}

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

describe("POST /v1/chats/{chatId}/messages", () => {
  it("when a member sends, then the message, the chat and the recipient's external event are written together", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const response = await api<{ message: MessageBody }>(alice, "POST", `/chats/${chatId}/messages`, {
      body: { text: "Hello Bob", clientMessageId: "c-1" },
    });

    expect(response.status).toBe(201);
    expect(response.body.message).toMatchObject({
      id: "0000000001",
      chatId,
      number: 1,
      from: alice.uid,
      type: "text",
      text: "Hello Bob",
      clientMessageId: "c-1",
    });
    const db = adminDb();
    const message = (await db.doc(`chats/${chatId}/messages/0000000001`).get()).data();
    expect(message).toMatchObject({ number: 1, from: alice.uid, type: "text", text: "Hello Bob", clientMessageId: "c-1" });
    const chat = (await db.doc(`chats/${chatId}`).get()).data();
    expect(chat).toMatchObject({
      messageCount: 1,
      lastMessage: { number: 1, from: alice.uid, type: "text", preview: "Hello Bob" },
      unread: { [alice.uid]: 0, [bob.uid]: 1 },
      started: true,
    });
    expect(chat?.lastMessageAt.toMillis()).toBe(message?.createdAt.toMillis());
    const event = (await db.doc(`users-external-event/${bob.uid}`).get()).data();
    expect(event).toMatchObject({ notifyNewMessage: true, lastEvent: { chatId, number: 1 } });
    expect((await db.doc(`users-external-event/${alice.uid}`).get()).exists).toBe(false);
  });

  it("when a send is retried with the same clientMessageId, then the first message comes back and nothing is written", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const first = await api<{ message: MessageBody }>(alice, "POST", `/chats/${chatId}/messages`, {
      body: { text: "once", clientMessageId: "retry-me" },
    });
    const retry = await api<{ message: MessageBody }>(alice, "POST", `/chats/${chatId}/messages`, {
      body: { text: "once", clientMessageId: "retry-me" },
    });

    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.message).toEqual(first.body.message);
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat).toMatchObject({ messageCount: 1, unread: { [bob.uid]: 1 } });
    expect((await adminDb().collection(`chats/${chatId}/messages`).get()).size).toBe(1);

    // The same clientMessageId from the other member is a different message.
    const bobs = await api<{ message: MessageBody }>(bob, "POST", `/chats/${chatId}/messages`, {
      body: { text: "mine", clientMessageId: "retry-me" },
    });
    expect(bobs.status).toBe(201);
    expect(bobs.body.message.number).toBe(2);
  });

  it("when the preview is built, then it holds the first 100 characters", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const text = "x".repeat(150);
    await send(alice, chatId, text);
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat?.lastMessage.preview).toBe("x".repeat(100));
    const stored = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data();
    expect(stored?.text).toBe(text);
  });
});

describe("GET /v1/chats/{chatId}/messages", () => {
  it("when listing, then the latest page, older pages (before) and newer messages (after) come in number order", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (let i = 1; i <= 20; i++) await send(i % 2 ? alice : bob, chatId, `m${i}`);
    const numbers = (page: MessagePage) => page.messages.map((message) => message.number);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    const latest = await api<MessagePage>(bob, "GET", `/chats/${chatId}/messages`);
    expect(latest.status).toBe(200);
    expect(numbers(latest.body)).toEqual(range(6, 20)); // MESSAGES_TO_LOAD = 15
    expect(latest.body.hasMore).toBe(true);
    expect(latest.body.messages[0]).toMatchObject({ text: "m6", from: bob.uid, chatId });

    const older = await api<MessagePage>(bob, "GET", `/chats/${chatId}/messages?before=6&limit=4`);
    expect(numbers(older.body)).toEqual(range(2, 5));
    expect(older.body.hasMore).toBe(true);
    const oldest = await api<MessagePage>(bob, "GET", `/chats/${chatId}/messages?before=2&limit=4`);
    expect(numbers(oldest.body)).toEqual([1]);
    expect(oldest.body.hasMore).toBe(false);

    const newer = await api<MessagePage>(bob, "GET", `/chats/${chatId}/messages?after=17`);
    expect(numbers(newer.body)).toEqual([18, 19, 20]);
    expect(newer.body.hasMore).toBe(false);
    const someNewer = await api<MessagePage>(bob, "GET", `/chats/${chatId}/messages?after=10&limit=3`);
    expect(numbers(someNewer.body)).toEqual([11, 12, 13]);
    expect(someNewer.body.hasMore).toBe(true);
  });

  it("when a message is read by number, then a member gets it and others get 404", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "first");
    await send(bob, chatId, "second");

    expect(await api(alice, "GET", `/chats/${chatId}/messages/2`)).toMatchObject({
      status: 200,
      body: { message: { number: 2, text: "second", from: bob.uid } },
    });
    expect(await api(alice, "GET", `/chats/${chatId}/messages/3`)).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "Message 3 does not exist in this chat." } },
    });
    expect(await api(eve, "GET", `/chats/${chatId}/messages/1`)).toMatchObject({
      status: 404,
      body: { error: { code: "not-found" } },
    });
    expect(await api(eve, "GET", `/chats/${chatId}/messages`)).toMatchObject({
      status: 404,
      body: { error: { code: "not-found" } },
    });
  });
});

describe("POST /v1/chats/{chatId}/read", () => {
  it("when a member reads everything, then lastRead is the newest number, unread is 0 and the notify flag is cleared", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (const text of ["a", "b", "c"]) await send(alice, chatId, text);

    const response = await api(bob, "POST", `/chats/${chatId}/read`);
    expect(response).toMatchObject({ status: 200, body: { chatId, lastRead: 3, unreadCount: 0 } });
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat).toMatchObject({ lastRead: { [bob.uid]: 3, [alice.uid]: 0 }, unread: { [bob.uid]: 0 } });
    const event = (await adminDb().doc(`users-external-event/${bob.uid}`).get()).data();
    expect(event).toMatchObject({ notifyNewMessage: false, lastEvent: { chatId, number: 3 } });
  });

  it("when a member reads up to a number, then unread counts only the others' messages after it, and lastRead never goes back", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    // 1 alice, 2 bob, 3 alice, 4 bob, 5 alice
    for (let i = 1; i <= 5; i++) await send(i % 2 ? alice : bob, chatId, `m${i}`);

    expect(await api(bob, "POST", `/chats/${chatId}/read`, { body: { upTo: 2 } })).toMatchObject({
      status: 200,
      body: { lastRead: 2, unreadCount: 2 },
    });
    expect(await api(bob, "POST", `/chats/${chatId}/read`, { body: { upTo: 1 } })).toMatchObject({
      status: 200,
      body: { lastRead: 2, unreadCount: 2 },
    });
    expect(await api(alice, "POST", `/chats/${chatId}/read`, { body: { upTo: 3 } })).toMatchObject({
      status: 200,
      body: { lastRead: 3, unreadCount: 1 },
    });
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat).toMatchObject({
      lastRead: { [alice.uid]: 3, [bob.uid]: 2 },
      unread: { [alice.uid]: 1, [bob.uid]: 2 },
    });
    const listed = await api<{ chats: { id: string; unreadCount: number; lastRead: Record<string, number> }[] }>(
      bob,
      "GET",
      "/chats",
    );
    expect(listed.body.chats.find((c) => c.id === chatId)).toMatchObject({ unreadCount: 2, lastRead: { [bob.uid]: 2 } });
  });

  it("when upTo is past the newest message, then 400 and nothing changes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "only");
    const before = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(await api(bob, "POST", `/chats/${chatId}/read`, { body: { upTo: 2 } })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid-argument", message: "upTo: must be at most 1, the newest message number" } },
    });
    expect((await adminDb().doc(`chats/${chatId}`).get()).data()).toEqual(before);
    expect((await adminDb().doc(`users-external-event/${bob.uid}`).get()).data()?.notifyNewMessage).toBe(true);
  });
});

describe("callables sendMessage, listMessages, getMessage, markRead", () => {
  it("when used through the web SDK, then they behave like the REST routes", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    const aliceClient = await clientFor(alice);
    const eveClient = await clientFor(eve);
    clients.push(aliceClient, eveClient);

    const sent = await aliceClient.call<{ message: MessageBody; created: boolean }>("sendMessage", {
      chatId,
      text: "via callable",
      clientMessageId: "cm-1",
    });
    expect(sent).toMatchObject({ created: true, message: { number: 1, text: "via callable", from: alice.uid } });
    const retried = await aliceClient.call<{ message: MessageBody; created: boolean }>("sendMessage", {
      chatId,
      text: "via callable",
      clientMessageId: "cm-1",
    });
    expect(retried).toEqual({ created: false, message: sent.message });
    await send(bob, chatId, "via REST");

    const page = await aliceClient.call<MessagePage>("listMessages", { chatId, limit: 1 });
    expect(page).toMatchObject({ hasMore: true, messages: [{ number: 2, text: "via REST" }] });
    const one = await aliceClient.call<{ message: MessageBody }>("getMessage", { chatId, number: 1 });
    expect(one.message.text).toBe("via callable");
    const read = await aliceClient.call("markRead", { chatId });
    expect(read).toEqual({ chatId, lastRead: 2, unreadCount: 0 });

    expect(await callFailure(eveClient.call("sendMessage", { chatId, text: "let me in" }))).toEqual({
      code: "functions/not-found",
      message: "No such chat, or you are not a member of it. [404]",
      details: { code: "not-found" },
    });
    expect(await callFailure(aliceClient.call("sendMessage", { chatId, text: 42 }))).toEqual({
      code: "functions/invalid-argument",
      message: "text: Invalid input: expected string, received number [400]",
      details: { code: "invalid-argument" },
    });
    expect(await callFailure(aliceClient.call("getMessage", { chatId, number: 9 }))).toMatchObject({
      code: "functions/not-found",
    });
    expect((await adminDb().doc(`chats/${chatId}`).get()).data()?.messageCount).toBe(2);
  });
});
