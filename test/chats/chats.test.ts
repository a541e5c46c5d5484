import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor, type Client } from "../helpers/client.js";
import { signUp, signUpMany } from "../helpers/users.js";

interface ChatBody {
  id: string;
  type: string;
  members: string[];
  messageCount: number;
  unreadCount: number;
  started: boolean;
  status: string;
  lastMessage: { number: number; from: string; type: string; preview: string } | null;
  lastMessageAt: string | null;
}

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

describe("POST /v1/chats", () => {
  it("when a user starts a chat, then the 1:1 chat is created with the sorted-uid id and the empty counters", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const response = await api<{ chat: ChatBody }>(alice, "POST", "/chats", { body: { memberUid: bob.uid } });

    const members = [alice.uid, bob.uid].sort();
    expect(response.status).toBe(201);
    expect(response.body.chat).toMatchObject({
      id: members.join("_"),
      type: "direct",
      members,
      messageCount: 0,
      unreadCount: 0,
      started: false,
      status: "active",
      lastMessage: null,
      lastMessageAt: null,
    });
    const stored = (
      await adminDb()
        .doc(`chats/${members.join("_")}`)
        .get()
    ).data();
    expect(stored).toMatchObject({
      members,
      type: "direct",
      messageCount: 0,
      unread: { [alice.uid]: 0, [bob.uid]: 0 },
      lastRead: { [alice.uid]: 0, [bob.uid]: 0 },
      started: false,
      status: "active",
    });
  });

  it("when the chat exists, then either member gets it back with 200 and nothing changes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "hello");

    const again = await api<{ chat: ChatBody }>(bob, "POST", "/chats", { body: { memberUid: alice.uid } });
    expect(again.status).toBe(200);
    expect(again.body.chat).toMatchObject({ id: chatId, messageCount: 1, unreadCount: 1, started: true });
  });

  it("when two members create the same chat at once, then one chat doc exists", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const [a, b] = await Promise.all([
      api<{ chat: ChatBody }>(alice, "POST", "/chats", { body: { memberUid: bob.uid } }),
      api<{ chat: ChatBody }>(bob, "POST", "/chats", { body: { memberUid: alice.uid } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.chat.id).toBe(b.body.chat.id);
  });

  it("when the member's profile doc is not written yet but Auth knows them, then the profile and the chat are created", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    // As if the Auth trigger had not run yet for bob.
    await adminDb().doc(`users/${bob.uid}`).delete();
    const response = await api(alice, "POST", "/chats", { body: { memberUid: bob.uid } });
    expect(response.status).toBe(201);
    const profile = (await adminDb().doc(`users/${bob.uid}`).get()).data();
    expect(profile).toMatchObject({ displayName: bob.displayName });
    expect(profile).not.toHaveProperty("email");
  });

  it("when the other user does not exist, then 404 not-found and no chat", async () => {
    const alice = await signUp("Alice");
    const response = await api(alice, "POST", "/chats", { body: { memberUid: "no-such-user" } });
    expect(response).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "User no-such-user does not exist." } },
    });
    const ids = [alice.uid, "no-such-user"].sort().join("_");
    expect((await adminDb().doc(`chats/${ids}`).get()).exists).toBe(false);
  });

  it("when a user starts a chat with themselves, then 400 invalid-argument", async () => {
    const alice = await signUp("Alice");
    const response = await api(alice, "POST", "/chats", { body: { memberUid: alice.uid } });
    expect(response).toMatchObject({
      status: 400,
      body: { error: { code: "invalid-argument", message: "memberUid: you cannot start a chat with yourself" } },
    });
    expect((await adminDb().doc(`chats/${alice.uid}_${alice.uid}`).get()).exists).toBe(false);
  });
});

describe("GET /v1/chats and /v1/chats/{chatId}", () => {
  it("when a user has chats, then they are listed newest message first, unsent chats last, with the caller's unread count", async () => {
    const [me, a, b, c] = await signUpMany("Me", "A", "B", "C");
    const chatA = await createChat(me, a);
    const chatB = await createChat(me, b);
    const chatC = await createChat(c, me);
    await send(a, chatA, "one");
    await send(a, chatA, "two");
    await send(b, chatB, "three");

    const response = await api<{ chats: ChatBody[]; nextCursor: string | null }>(me, "GET", "/chats");
    expect(response.status).toBe(200);
    expect(response.body.chats.map((chat) => chat.id)).toEqual([chatB, chatA, chatC]);
    expect(response.body.chats.map((chat) => chat.unreadCount)).toEqual([1, 2, 0]);
    expect(response.body.chats[0].lastMessage).toMatchObject({ number: 1, from: b.uid, type: "text", preview: "three" });
    expect(response.body.nextCursor).toBeNull();
  });

  it("when the list is longer than the limit, then the cursor walks every page once", async () => {
    const [me, ...others] = await signUpMany("Me", "A", "B", "C", "D", "E");
    const ids: string[] = [];
    for (const other of others) {
      const chatId = await createChat(other, me);
      await send(other, chatId, "hi");
      ids.unshift(chatId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await api<{ chats: ChatBody[]; nextCursor: string | null }>(me, "GET", `/chats${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.chats.map((chat) => chat.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it("when a cursor is another user's chat, then 400 invalid-argument", async () => {
    const [me, a, b] = await signUpMany("Me", "A", "B");
    const theirs = await createChat(a, b);
    const response = await api(me, "GET", `/chats?cursor=${theirs}`);
    expect(response).toMatchObject({
      status: 400,
      body: { error: { code: "invalid-argument", message: "cursor: is not a cursor of this listing" } },
    });
  });

  it("when a member reads a chat, then it is returned; a non-member gets the same 404 as an unknown id", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    expect(await api(bob, "GET", `/chats/${chatId}`)).toMatchObject({ status: 200, body: { chat: { id: chatId } } });
    expect(await api(eve, "GET", `/chats/${chatId}`)).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "No such chat, or you are not a member of it." } },
    });
    expect(await api(eve, "GET", "/chats/nope")).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "No such chat, or you are not a member of it." } },
    });
  });
});

describe("callables createChat, getChat, listChats, listUsers", () => {
  it("when called through the web SDK, then they share the REST behaviour and error codes", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const client = await clientFor(alice);
    clients.push(client);

    const created = await client.call<{ chat: ChatBody; created: boolean }>("createChat", { memberUid: bob.uid });
    expect(created).toMatchObject({ created: true, chat: { members: [alice.uid, bob.uid].sort(), type: "direct" } });
    const again = await client.call<{ created: boolean }>("createChat", { memberUid: bob.uid });
    expect(again.created).toBe(false);

    const got = await client.call<{ chat: ChatBody }>("getChat", { chatId: created.chat.id });
    expect(got.chat.id).toBe(created.chat.id);
    const listed = await client.call<{ chats: ChatBody[] }>("listChats", {});
    expect(listed.chats.map((chat) => chat.id)).toEqual([created.chat.id]);
    const users = await client.call<{ users: { uid: string }[] }>("listUsers", { limit: 100 });
    expect(users.users.length).toBeGreaterThan(0);

    expect(await callFailure(client.call("createChat", { memberUid: "ghost" }))).toEqual({
      code: "functions/not-found",
      message: "User ghost does not exist. [404]",
      details: { code: "not-found" },
    });
    expect(await callFailure(client.call("createChat", { memberUid: alice.uid }))).toEqual({
      code: "functions/invalid-argument",
      message: "memberUid: you cannot start a chat with yourself [400]",
      details: { code: "invalid-argument" },
    });
    const eveClient = await clientFor(eve);
    clients.push(eveClient);
    expect(await callFailure(eveClient.call("getChat", { chatId: created.chat.id }))).toEqual({
      code: "functions/not-found",
      message: "No such chat, or you are not a member of it. [404]",
      details: { code: "not-found" },
    });
  });
});
