import type { TokenMessage } from "firebase-admin/messaging";
import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

interface ChatBody {
  chat: { unreadCount: number; unreadMentionCount: number };
}

/** The outbox entries of message `number` once its push trigger (or fan-out page) finished. */
async function pushesFor(chatId: string, number: number) {
  await eventually(async () => {
    const handled = await adminDb().collection("push-events").where("chatId", "==", chatId).where("number", "==", number).get();
    if (!handled.docs.some((doc) => doc.get("finishedAt"))) throw new Error(`no push run for message ${number} yet`);
  });
  const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).where("number", "==", number).get();
  return outbox.docs.map((doc) => doc.data() as { uid: string; message: TokenMessage });
}

describe("mentions", () => {
  it("when a 1:1 message mentions the muted other member, then their chat view counts it until read, and it doesn't push", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await api(bob, "POST", "/devices", { body: { token: `bob-${bob.uid}`, platform: "ios" } });
    await api(bob, "POST", `/chats/${chatId}/mute`, { body: {} });

    const plain = await send(alice, chatId, "anyone there?");
    const mention = await api<{ message: { number: number; mentions: string[] } }>(alice, "POST", `/chats/${chatId}/messages`, {
      body: { text: "@Bob look", mentions: [bob.uid, bob.uid] },
    });
    const unread = await api<ChatBody>(bob, "GET", `/chats/${chatId}`);

    expect(mention).toMatchObject({ status: 201, body: { message: { mentions: [bob.uid] } } });
    expect(unread.body.chat).toMatchObject({ unreadCount: 2, unreadMentionCount: 1 });
    expect(await pushesFor(chatId, plain.number)).toEqual([]);
    // A mention would otherwise undo the mute: the other member could mention in every message.
    expect(await pushesFor(chatId, mention.body.message.number)).toEqual([]);

    await api(bob, "POST", `/chats/${chatId}/read`, { body: {} });
    const read = await api<ChatBody>(bob, "GET", `/chats/${chatId}`);
    expect(read.body.chat).toMatchObject({ unreadCount: 0, unreadMentionCount: 0 });
    expect((await adminDb().doc(`chats/${chatId}`).get()).get(`mentioned.${bob.uid}`)).toEqual([]);
  });

  it("when a mention names someone who is not a member, then 400 and nothing is sent", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    const refused = await api<{ error: { message: string } }>(alice, "POST", `/chats/${chatId}/messages`, {
      body: { text: "hey", mentions: [eve.uid] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(`mentions: ${eve.uid} is not a member of this chat`);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(0);
  });

  it("when a room message mentions members, then only they count an unread mention, a muted one is pushed, and the callable takes mentions", async () => {
    const [host, guest, third, outsider] = await signUpMany("Host", "Guest", "Third", "Outsider");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Standup" } });
    const chatId = room.body.chat.id;
    for (const user of [guest, third]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    for (const user of [guest, third]) {
      await api(user, "POST", "/devices", { body: { token: `t-${user.uid}`, platform: "android" } });
      await api(user, "POST", `/chats/${chatId}/mute`, { body: {} });
    }

    const asHost = await clientFor(host);
    try {
      const sent = await asHost.call<{ message: { number: number; mentions: string[] } }>("sendMessage", {
        chatId,
        text: "@Guest your turn",
        mentions: [guest.uid],
      });
      expect(sent.message.mentions).toEqual([guest.uid]);
      const pushed = await pushesFor(chatId, sent.message.number);
      expect(pushed.map((push) => push.uid)).toEqual([guest.uid]);
    } finally {
      await asHost.close();
    }
    const asGuest = await api<ChatBody>(guest, "GET", `/chats/${chatId}`);
    const asThird = await api<ChatBody>(third, "GET", `/chats/${chatId}`);
    expect(asGuest.body.chat.unreadMentionCount).toBe(1);
    expect(asThird.body.chat.unreadMentionCount).toBe(0);
    const refused = await api(host, "POST", `/chats/${chatId}/messages`, { body: { text: "hi", mentions: [outsider.uid] } });
    expect(refused.status).toBe(400);
    await api(guest, "POST", `/chats/${chatId}/read`, { body: {} });
    expect((await api<ChatBody>(guest, "GET", `/chats/${chatId}`)).body.chat.unreadMentionCount).toBe(0);
  });

  it("when a room member with 97 unread mentions is mentioned 5 more times, then their member doc keeps the latest 100", async () => {
    const [host, guest] = await signUpMany("Host", "Guest");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Busy" } });
    const chatId = room.body.chat.id;
    await api(guest, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    // As 97 earlier mentions would have left it (numbers of no real message, after lastRead).
    const earlier = Array.from({ length: 97 }, (_, i) => 1_000_001 + i);
    await adminDb().doc(`chats/${chatId}/members/${guest.uid}`).update({ mentioned: earlier });

    const numbers: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = await api<{ message: { number: number } }>(host, "POST", `/chats/${chatId}/messages`, {
        body: { text: `@Guest ${i}`, mentions: [guest.uid] },
      });
      numbers.push(sent.body.message.number);
    }

    const mentioned = (await adminDb().doc(`chats/${chatId}/members/${guest.uid}`).get()).get("mentioned") as number[];
    expect(mentioned).toEqual([...earlier.slice(2), ...numbers]);
    expect((await api<ChatBody>(guest, "GET", `/chats/${chatId}`)).body.chat.unreadMentionCount).toBe(100);
  });

  it("when a message that mentions members is deleted, then it leaves their unread mentions, in a 1:1 chat and in a room", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    const kept = await api<{ message: { number: number } }>(alice, "POST", `/chats/${chatId}/messages`, {
      body: { text: "@Bob first", mentions: [bob.uid] },
    });
    const gone = await api<{ message: { number: number } }>(alice, "POST", `/chats/${chatId}/messages`, {
      body: { text: "@Bob oops", mentions: [bob.uid] },
    });
    expect((await api(alice, "DELETE", `/chats/${chatId}/messages/${gone.body.message.number}`)).status).toBe(200);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get(`mentioned.${bob.uid}`)).toEqual([kept.body.message.number]);
    expect((await api<ChatBody>(bob, "GET", `/chats/${chatId}`)).body.chat.unreadMentionCount).toBe(1);

    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Oops" } });
    const roomId = room.body.chat.id;
    for (const user of [bob, carol]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const inRoom = await api<{ message: { number: number } }>(alice, "POST", `/chats/${roomId}/messages`, {
      body: { text: "@Bob @Carol oops", mentions: [bob.uid, carol.uid] },
    });
    expect((await api(alice, "DELETE", `/chats/${roomId}/messages/${inRoom.body.message.number}`)).status).toBe(200);
    for (const user of [bob, carol]) {
      expect((await adminDb().doc(`chats/${roomId}/members/${user.uid}`).get()).get("mentioned")).toEqual([]);
      expect((await api<ChatBody>(user, "GET", `/chats/${roomId}`)).body.chat.unreadMentionCount).toBe(0);
    }
  });
});
