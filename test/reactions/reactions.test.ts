import { describe, expect, it } from "vitest";
import { addReaction, removeReaction } from "../../functions/src/reactions/react.js";
import { sendMessage } from "../../functions/src/messages/send-message.js";
import type { Firestore, WriteBatch } from "firebase-admin/firestore";
import { adminDb } from "../helpers/admin.js";
import { withBatches } from "../helpers/counting-firestore.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { dropRoom, seedRoom } from "../helpers/rooms.js";
import { signUpMany } from "../helpers/users.js";

const reaction = (chatId: string, number: number, emoji: string) =>
  `/chats/${chatId}/messages/${number}/reactions/${encodeURIComponent(emoji)}`;

interface State {
  reacted: boolean;
  reactions: Record<string, number>;
}
interface Message {
  message: { reactions: Record<string, number>; myReactions: string[] };
}

describe("reactions", () => {
  it("when members react, then the message view counts each emoji and lists the caller's own; reacting or taking back twice changes nothing", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "lunch?");

    const first = await api<State>(alice, "PUT", reaction(chatId, 1, "👍"));
    const second = await api<State>(bob, "PUT", reaction(chatId, 1, "👍"));
    const again = await api<State>(bob, "PUT", reaction(chatId, 1, "👍"));
    const heart = await api<State>(bob, "PUT", reaction(chatId, 1, "❤"));
    const asBob = await api<Message>(bob, "GET", `/chats/${chatId}/messages/1`);
    const asAlice = await api<{ messages: Message["message"][] }>(alice, "GET", `/chats/${chatId}/messages`);

    expect(first).toMatchObject({ status: 200, body: { chatId, number: 1, emoji: "👍", reacted: true, reactions: { "👍": 1 } } });
    expect(second.body.reactions).toEqual({ "👍": 2 });
    expect(again.body.reactions).toEqual({ "👍": 2 });
    expect(heart.body).toMatchObject({ emoji: "❤️", reactions: { "👍": 2, "❤️": 1 } });
    expect(asBob.body.message).toMatchObject({ reactions: { "👍": 2, "❤️": 1 }, myReactions: ["👍", "❤️"] });
    expect(asAlice.body.messages[0]).toMatchObject({ reactions: { "👍": 2, "❤️": 1 }, myReactions: ["👍"] });

    const taken = await api<State>(bob, "DELETE", reaction(chatId, 1, "❤️"));
    const takenAgain = await api<State>(bob, "DELETE", reaction(chatId, 1, "❤️"));
    const never = await api<State>(alice, "DELETE", reaction(chatId, 1, "🎉"));
    expect(taken.body).toMatchObject({ reacted: false, reactions: { "👍": 2 } });
    expect(takenAgain.body.reactions).toEqual({ "👍": 2 });
    expect(never.status).toBe(200);
    expect((await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).get("reactions")).toEqual({ "👍": 2 });
    const docs = await adminDb().collection(`chats/${chatId}/reactions`).get();
    expect(docs.docs.map((doc) => doc.get("emoji")).sort()).toEqual(["👍", "👍"]);
  });

  it("when a message shows an emoji from before shown-emoji docs, then a reaction to it adds the doc and counts", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "old");
    await api(alice, "PUT", reaction(chatId, 1, "👍"));
    await adminDb().doc(`chats/${chatId}/shown-emoji/0000000001_1f44d`).delete();

    const added = await api<State>(bob, "PUT", reaction(chatId, 1, "👍"));
    expect(added.body.reactions).toEqual({ "👍": 2 });
    expect((await adminDb().doc(`chats/${chatId}/shown-emoji/0000000001_1f44d`).get()).data()).toEqual({
      number: 1,
      emoji: "👍",
    });
  });

  it("when the emoji is not one emoji, or the message is missing or deleted, or the caller is not a member, then 4xx and nothing is written", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "one");
    await send(alice, chatId, "two");
    await api(alice, "DELETE", `/chats/${chatId}/messages/2`);

    for (const emoji of ["a", "👍👍", "ok", " "]) {
      const refused = await api<{ error: { code: string; message: string } }>(alice, "PUT", reaction(chatId, 1, emoji));
      expect(refused.status, emoji).toBe(400);
      expect(refused.body.error.message).toContain("emoji: must be one emoji");
    }
    expect((await api(alice, "PUT", reaction(chatId, 2, "👍"))).status).toBe(409);
    expect((await api(alice, "PUT", reaction(chatId, 9, "👍"))).status).toBe(404);
    expect((await api(eve, "PUT", reaction(chatId, 1, "👍"))).status).toBe(404);
    expect((await adminDb().collection(`chats/${chatId}/reactions`).get()).size).toBe(0);
    expect((await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).get("reactions")).toBeUndefined();
  });

  it("when a message has 20 different emoji, then a 21st is refused, an existing one is still taken, and the callables answer as REST", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "vote");
    const emoji = [..."😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😗😙😚😋"];
    for (const e of emoji.slice(0, 20)) expect((await api(alice, "PUT", reaction(chatId, 1, e))).status).toBe(200);

    const asBob = await clientFor(bob);
    try {
      expect(await callFailure(asBob.call("addReaction", { chatId, number: 1, emoji: emoji[20] }))).toMatchObject({
        code: "functions/failed-precondition",
        message: "A message holds at most 20 different reactions. [400]",
      });
      const existing = await asBob.call<State>("addReaction", { chatId, number: 1, emoji: emoji[0] });
      expect(existing.reactions[emoji[0]]).toBe(2);
      const removed = await asBob.call<State>("removeReaction", { chatId, number: 1, emoji: emoji[0] });
      expect(removed).toMatchObject({ reacted: false });
      expect(removed.reactions[emoji[0]]).toBe(1);
    } finally {
      await asBob.close();
    }
    const message = await api<Message>(alice, "GET", `/chats/${chatId}/messages/1`);
    expect(Object.keys(message.body.message.reactions)).toHaveLength(20);
    expect(message.body.message.myReactions).toEqual(emoji.slice(0, 20));
  });

  it("when a message is deleted for everyone, then its reactions are gone from its view", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "oops");
    await api(bob, "PUT", reaction(chatId, 1, "😂"));
    const deleted = await api<Message>(alice, "DELETE", `/chats/${chatId}/messages/1`);
    const seen = await api<Message>(bob, "GET", `/chats/${chatId}/messages/1`);
    expect(deleted.body.message).toMatchObject({ reactions: {}, myReactions: [] });
    expect(seen.body.message).toMatchObject({ reactions: {}, myReactions: [] });
  });
});

// The domain functions run in the test's process, as one instance serving concurrent requests.
describe("reactions under concurrency", () => {
  it("when 100 members react to one message at once, twice over, and 50 take it back at once, then the count is exact", async () => {
    const room = await seedRoom(100);
    try {
      const { chatId, members } = room;
      const { message } = await sendMessage(adminDb(), {
        now: new Date(),
        senderUid: members[0],
        chatId,
        draft: { type: "text", text: "party" },
      });
      const react = (uid: string) => addReaction(adminDb(), new Date(), { uid, chatId, number: message.number, emoji: "🎉" }, 20);

      await Promise.all(members.map(react));
      await Promise.all(members.map(react));
      const messageRef = adminDb().doc(`chats/${chatId}/messages/${message.id}`);
      expect((await messageRef.get()).get("reactions")).toEqual({ "🎉": 100 });
      expect((await adminDb().collection(`chats/${chatId}/reactions`).count().get()).data().count).toBe(100);

      const takeBack = (uid: string) => removeReaction(adminDb(), { uid, chatId, number: message.number, emoji: "🎉" });
      await Promise.all(members.slice(0, 50).flatMap((uid) => [takeBack(uid), takeBack(uid)]));
      expect((await messageRef.get()).get("reactions")).toEqual({ "🎉": 50 });
      expect((await adminDb().collection(`chats/${chatId}/reactions`).count().get()).data().count).toBe(50);
    } finally {
      await dropRoom(room);
    }
  });

  it("when an emoji is taken away and a new one added while a reaction to it is in flight, then the cap still holds", async () => {
    const room = await seedRoom(4);
    try {
      const { chatId, members } = room;
      const [first, second, late, newcomer] = members;
      const { message } = await sendMessage(adminDb(), {
        now: new Date(),
        senderUid: first,
        chatId,
        draft: { type: "text", text: "pick two" },
      });
      const react = (db: Firestore, uid: string, emoji: string) =>
        addReaction(db, new Date(), { uid, chatId, number: message.number, emoji }, 2);
      await react(adminDb(), first, "🍎");
      await react(adminDb(), second, "🍐");

      // `late` has read the message (🍎 shown) and its commit waits, as in a slow instance.
      const held = heldFirstCommit(adminDb());
      const lateAdd = react(held.db, late, "🍎");
      await held.waiting;
      await removeReaction(adminDb(), { uid: first, chatId, number: message.number, emoji: "🍎" });
      await react(adminDb(), newcomer, "🍊");
      held.release();

      await expect(lateAdd).rejects.toMatchObject({ code: "failed-precondition" });
      const counts = (await adminDb().doc(`chats/${chatId}/messages/${message.id}`).get()).get("reactions") as Record<
        string,
        number
      >;
      expect(counts).toEqual({ "🍐": 1, "🍊": 1 });
      const shown = await adminDb().collection(`chats/${chatId}/shown-emoji`).get();
      expect(shown.docs.map((doc) => doc.get("emoji")).sort()).toEqual(["🍊", "🍐"]);
    } finally {
      await dropRoom(room);
    }
  });

  it("when 30 members each add a different new emoji at once, then exactly 20 are kept and the rest are refused", async () => {
    const room = await seedRoom(30);
    try {
      const { chatId, members } = room;
      const { message } = await sendMessage(adminDb(), {
        now: new Date(),
        senderUid: members[0],
        chatId,
        draft: { type: "text", text: "pick" },
      });
      const emoji = [..."🍎🍐🍊🍋🍌🍉🍇🍓🫐🍈🍒🍑🥭🍍🥥🥝🍅🍆🥑🥦🥬🥒🌶🫑🌽🥕🫒🧄🧅🥔"];
      const results = await Promise.allSettled(
        members.map((uid, i) => addReaction(adminDb(), new Date(), { uid, chatId, number: message.number, emoji: emoji[i] }, 20)),
      );

      const refused = results.filter((result) => result.status === "rejected");
      expect(refused).toHaveLength(10);
      for (const result of refused) expect(result.reason).toMatchObject({ code: "failed-precondition" });
      const counts = (await adminDb().doc(`chats/${chatId}/messages/${message.id}`).get()).get("reactions") as Record<
        string,
        number
      >;
      expect(Object.keys(counts)).toHaveLength(20);
      expect(Object.values(counts).every((count) => count === 1)).toBe(true);
    } finally {
      await dropRoom(room);
    }
  });
});

/**
 * `db`, except that the first batch commit waits until `release()`; `waiting` settles once that
 * commit was asked for (its batch built from what its caller read).
 */
function heldFirstCommit(db: Firestore): { db: Firestore; waiting: Promise<void>; release: () => void } {
  let release = () => {};
  let asked = () => {};
  const waiting = new Promise<void>((resolve) => (asked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const hold = (batch: WriteBatch): WriteBatch => {
    if (held) return batch;
    held = true;
    const commit = batch.commit.bind(batch);
    return Object.assign(batch, {
      commit: async () => {
        asked();
        await released;
        return commit();
      },
    });
  };
  return { db: withBatches(db, hold), waiting, release };
}
