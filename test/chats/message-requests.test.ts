import { collection, getDocs, query, where } from "firebase/firestore";
import { describe, expect, it } from "vitest";
import { Timestamp } from "firebase-admin/firestore";
import { createDirectChat } from "../../functions/src/chats/create-chat.js";
import { migrateInbox } from "../../functions/src/chats/migrate-inbox.js";
import { emailHash } from "../../functions/src/users/email-hash.js";
import { adminDb } from "../helpers/admin.js";
import { api, openRequest, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { registerVerifiedEmail, signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

interface Chat {
  id: string;
  request: { from: string; to: string; state: "pending" | "declined" } | null;
  unreadCount: number;
  lastRead: Record<string, number>;
}
interface ChatList {
  chats: Chat[];
  requestCount: number;
}
type Failure = { error: { code: string; message: string } };

const listOf = async (user: TestUser, filter?: "requests") =>
  (await api<ChatList>(user, "GET", `/chats${filter ? `?filter=${filter}` : ""}`)).body;
const ids = (list: ChatList) => list.chats.map((chat) => chat.id);
const noAuth = () => Promise.reject(new Error("no Auth lookup expected"));

describe("message requests", () => {
  it("when a stranger opens a chat, then it waits in the recipient's requests and the opener may send 3 messages", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await openRequest(alice, bob);
    for (const text of ["hi", "it's Alice", "from the conference"]) await send(alice, chatId, text);

    const fourth = await api<Failure>(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "hello??" } });
    expect(fourth.status).toBe(409);
    expect(fourth.body.error).toMatchObject({ code: "failed-precondition" });
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(3);

    const bobsChats = await listOf(bob);
    const bobsRequests = await listOf(bob, "requests");
    expect(ids(bobsChats)).not.toContain(chatId);
    expect(bobsChats.requestCount).toBe(1);
    expect(ids(bobsRequests)).toEqual([chatId]);
    expect(bobsRequests.chats[0]).toMatchObject({ request: { from: alice.uid, to: bob.uid, state: "pending" }, unreadCount: 3 });
    const alicesChats = await listOf(alice);
    expect(ids(alicesChats)).toEqual([chatId]);
    expect(alicesChats.requestCount).toBe(0);
    expect(ids(await listOf(alice, "requests"))).toEqual([]);
  });

  it("when the recipient reads, types or is online, then the opener sees none of it until the request is accepted", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await openRequest(alice, bob);
    await send(alice, chatId, "are you there?");

    const read = await api<{ lastRead: number; unreadCount: number }>(bob, "POST", `/chats/${chatId}/read`, { body: {} });
    const typing = await api<{ written: boolean }>(bob, "POST", `/chats/${chatId}/typing`, { body: { typing: true } });
    await api(bob, "POST", "/presence", { body: {} });
    // Read privately: the recipient's count drops, the opener sees no "seen".
    expect(read.body).toMatchObject({ lastRead: 1, unreadCount: 0 });
    const forAlice = await api<{ chat: Chat }>(alice, "GET", `/chats/${chatId}`);
    expect(forAlice.body.chat.lastRead[bob.uid] ?? 0).toBe(0);
    expect(typing.body.written).toBe(false);
    expect((await adminDb().doc(`chats/${chatId}/typing/${bob.uid}`).get()).exists).toBe(false);
    const receipts = await api<{ readCount: number }>(alice, "GET", `/chats/${chatId}/messages/1/receipts`);
    expect(receipts.body.readCount).toBe(0);
    const presence = await api<{ members: { uid: string }[] }>(alice, "GET", `/chats/${chatId}/presence`);
    expect(presence.body.members.find((member) => member.uid === bob.uid)).toEqual({
      uid: bob.uid,
      online: false,
      lastSeen: null,
    });

    const accepted = await api<{ chat: Chat }>(bob, "POST", `/chats/${chatId}/accept`);
    expect(accepted.body.chat).toMatchObject({ request: null, unreadCount: 0, lastRead: { [bob.uid]: 1 } });
    const again = await api<{ chat: Chat }>(bob, "POST", `/chats/${chatId}/accept`);
    expect(again.status).toBe(200);
    expect(ids(await listOf(bob))).toContain(chatId);
    expect((await listOf(bob)).requestCount).toBe(0);
    expect((await api<{ readCount: number }>(alice, "GET", `/chats/${chatId}/messages/1/receipts`)).body.readCount).toBe(1);
    // Accepted, alice may write on.
    for (const text of ["2", "3", "4"]) await send(alice, chatId, text);
  });

  it("when the recipient replies, then the reply accepts the request in the same commit", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await openRequest(alice, bob);
    await send(alice, chatId, "hi Bob");

    await send(bob, chatId, "hi Alice");

    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat).not.toHaveProperty("request");
    expect(chat?.inbox).toEqual(expect.arrayContaining([alice.uid, bob.uid]));
    expect(ids(await listOf(bob))).toContain(chatId);
    for (const text of ["2", "3", "4", "5"]) await send(alice, chatId, text);
  });

  it("when the recipient declines, then it leaves their lists, the opener may send no more, and only the recipient answers", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await openRequest(alice, bob);
    await send(alice, chatId, "buy my course");

    const byOpener = await api<Failure>(alice, "POST", `/chats/${chatId}/accept`);
    expect(byOpener.status).toBe(409);
    const declined = await api<{ chat: Chat }>(bob, "POST", `/chats/${chatId}/decline`);
    expect(declined.body.chat.request).toEqual({ from: alice.uid, to: bob.uid, state: "declined" });
    expect(ids(await listOf(bob))).not.toContain(chatId);
    expect(ids(await listOf(bob, "requests"))).toEqual([]);
    const refused = await api<Failure>(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "hello?" } });
    expect(refused.status).toBe(409);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(1);

    // Declining an accepted chat is refused; a declined request can still be accepted.
    const accepted = await api<{ chat: Chat }>(bob, "POST", `/chats/${chatId}/accept`);
    expect(accepted.body.chat.request).toBeNull();
    const declineAccepted = await api<Failure>(bob, "POST", `/chats/${chatId}/decline`);
    expect(declineAccepted.status).toBe(409);
  });

  it("when the two share a room, then the chat is no request; with MESSAGE_REQUESTS off, no chat is one", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const room = await api<{ inviteCode: string }>(carol, "POST", "/rooms", { body: { title: "Book club" } });
    for (const user of [alice, bob]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });

    const chatId = await openRequest(alice, bob);
    expect((await api<{ chat: Chat }>(bob, "GET", `/chats/${chatId}`)).body.chat.request).toBeNull();
    expect(ids(await listOf(bob))).toContain(chatId);

    const off = await createDirectChat(adminDb(), {
      now: new Date(),
      callerUid: alice.uid,
      input: { memberUid: dave.uid },
      findUser: noAuth,
      requests: false,
    });
    expect(off.chat.request).toBeNull();
    expect((await adminDb().doc(`chats/${off.chat.id}`).get()).get("inbox")).toEqual([alice.uid, dave.uid].sort());
  });

  it("when a request's opener searches by the recipient's address, or the recipient by the opener's, then no chat comes back", async () => {
    const [signedUpAlice, signedUpBob] = await signUpMany("Alice", "Bob");
    const [alice, bob] = await Promise.all([registerVerifiedEmail(signedUpAlice), registerVerifiedEmail(signedUpBob)]);
    const chatId = await openRequest(alice, bob);
    await send(alice, chatId, "hello");

    const byBob = await api<ChatList>(bob, "GET", `/chats?with=${emailHash(alice.email)}`);
    const byAlice = await api<ChatList>(alice, "GET", `/chats?with=${emailHash(bob.email)}`);
    expect(byBob.body.chats).toEqual([]);
    expect(byAlice.body.chats).toEqual([]);
  });

  it("when a request gets 3 messages, then its recipient gets one quiet push, for the first, without its text", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    await api(bob, "POST", "/devices", { body: { token: `request-${bob.uid}`, platform: "android" } });
    const chatId = await openRequest(alice, bob);
    for (const text of ["secret one", "secret two", "secret three"]) await send(alice, chatId, text);

    await eventually(async () => {
      const done = await adminDb().collection("push-events").where("chatId", "==", chatId).where("state", "==", "done").get();
      if (done.size < 3) throw new Error(`${done.size} of 3 pushes handled`);
    });
    const outbox = (await adminDb().collection("push-outbox").where("chatId", "==", chatId).get()).docs.map((doc) => doc.data());
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ number: 1, uid: bob.uid });
    expect(outbox[0].message).toMatchObject({
      notification: { title: "Message request", body: `From ${alice.displayName}` },
      data: { request: "true" },
      android: { priority: "normal" },
    });
    expect(JSON.stringify(outbox[0].message)).not.toContain("secret");
  });

  it("when a request ends, then its export mails no one", async () => {
    const [signedUpAlice, signedUpBob] = await signUpMany("Alice", "Bob");
    const [alice, bob] = await Promise.all([registerVerifiedEmail(signedUpAlice), registerVerifiedEmail(signedUpBob)]);
    const chatId = await openRequest(alice, bob);
    await send(alice, chatId, "PayPal: verify at paypa1.help");
    await api(alice, "POST", `/chats/${chatId}/end`);

    await eventually(async () => {
      const completion = await adminDb().doc(`ended-chats/${chatId}`).get();
      if (!completion.get("exportedAt")) throw new Error("not exported yet");
    });
    const mails = await adminDb().collection("mail").where("to", "in", [alice.email, bob.email]).get();
    expect(mails.docs.filter((doc) => doc.id.includes(chatId))).toEqual([]);
  });

  it("when clients query requests through the rules, then the recipient reads theirs and nobody else's", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await openRequest(alice, bob);
    const [asBob, asAlice] = await Promise.all([clientFor(bob), clientFor(alice)]);
    try {
      const requestsTo = (db: typeof asBob.db, uid: string) =>
        query(collection(db, "chats"), where("request.to", "==", uid), where("request.state", "==", "pending"));
      const mine = await getDocs(requestsTo(asBob.db, bob.uid));
      expect(mine.docs.map((doc) => doc.id)).toEqual([chatId]);
      await expect(getDocs(requestsTo(asAlice.db, bob.uid))).rejects.toMatchObject({ code: "permission-denied" });
      const inbox = await getDocs(query(collection(asBob.db, "chats"), where("inbox", "array-contains", bob.uid)));
      expect(inbox.docs.map((doc) => doc.id)).not.toContain(chatId);
    } finally {
      await Promise.all([asBob.close(), asAlice.close()]);
    }
  });

  it("when a 1:1 chat was made before requests, then it is in no chat list until scripts/migrate.mjs gives it its inbox", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = [alice.uid, bob.uid].sort().join("_");
    const at = Timestamp.now();
    const members = [alice.uid, bob.uid].sort();
    await adminDb().doc(`chats/${chatId}`).set({
      type: "direct",
      members,
      messageCount: 0,
      lastMessage: null,
      lastMessageAt: null,
      unread: {},
      lastRead: {},
      started: false,
      active: true,
      createdAt: at,
      updatedAt: at,
    });
    expect(ids(await listOf(bob))).not.toContain(chatId);

    const first = await migrateInbox(adminDb());
    const migrated = await adminDb().doc(`chats/${chatId}`).get();
    await migrateInbox(adminDb());

    // Other test files may seed old chats meanwhile: the second run is judged on this chat only.
    expect(first.migrated).toBeGreaterThanOrEqual(1);
    expect((await adminDb().doc(`chats/${chatId}`).get()).updateTime?.isEqual(migrated.updateTime!)).toBe(true);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("inbox")).toEqual(members);
    expect(ids(await listOf(bob))).toContain(chatId);
    expect(ids(await listOf(alice))).toContain(chatId);
  });
});
