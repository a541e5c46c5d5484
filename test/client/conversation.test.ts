import { describe, expect, it } from "vitest";
import type { MessagesState } from "../../client/src/index.js";
import { adminDb } from "../helpers/admin.js";
import { next, watch } from "../helpers/listen.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";

type OnMessages = (state: MessagesState) => void;
type OnReactions = (reactions: Record<string, string[]>) => void;
type OnError = (error: Error) => void;

describe("@parley/client: conversation features", () => {
  it("when members react, then watchMessages shows the counts and the user's own reactions live, and watchReactions who reacted", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    await alice.client.rest.sendMessage({ chatId: chat.id, text: "Pizza tonight?" });

    const seenByAlice = next(
      (callback: OnMessages, onError: OnError) => alice.client.watchMessages(chat.id, callback, onError),
      ({ messages }) => {
        const [message] = messages;
        return message?.reactions["🍕"] === 2 && message.myReactions.includes("🍕") ? message : undefined;
      },
    );
    const whoReacted = next(
      (callback: OnReactions, onError: OnError) => bob.client.watchReactions(chat.id, 1, callback, onError),
      (reactions) => (reactions["🍕"]?.length === 2 ? reactions : undefined),
    );
    await Promise.all([seenByAlice.ready, whoReacted.ready]);
    await bob.client.rest.addReaction({ chatId: chat.id, number: 1, emoji: "🍕" });
    await alice.client.callables.addReaction({ chatId: chat.id, number: 1, emoji: "🍕" });

    expect((await seenByAlice).myReactions).toEqual(["🍕"]);
    expect((await whoReacted)["🍕"]).toEqual([bob.uid, alice.uid]);
    const takenBack = next(
      (callback: OnMessages, onError: OnError) => alice.client.watchMessages(chat.id, callback, onError),
      ({ messages }) => (messages[0]?.reactions["🍕"] === 1 && messages[0].myReactions.length === 0 ? true : undefined),
    );
    await takenBack.ready;
    await alice.client.rest.removeReaction({ chatId: chat.id, number: 1, emoji: "🍕" });
    expect(await takenBack).toBe(true);
  });

  it("when a member types, then the other sees it through watchTyping and it clears by itself after 5 s", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    const typing = watch((callback: (state: { uids: string[]; at: number }) => void, onError: OnError) =>
      bob.client.watchTyping(chat.id, (uids) => callback({ uids, at: Date.now() }), onError),
    );
    await typing.until((state) => state); // listening before alice types
    const typedAt = Date.now();
    expect(await alice.client.callables.setTyping({ chatId: chat.id })).toMatchObject({ written: true });
    const until = (await adminDb().doc(`chats/${chat.id}/typing/${alice.uid}`).get()).get("until").toMillis();

    const shownAt = await typing.until(({ uids, at }) => (uids.length === 1 && uids[0] === alice.uid ? at : undefined));
    const clearedAt = await typing.until(({ uids, at }) => (uids.length === 0 && at > shownAt ? at : undefined));
    typing.stop();
    // The server sets `until` 5 s after the call; the indicator clears by itself then, not before.
    // (How late a loaded machine's timer fires is no property of Parley's: no upper bound here.)
    expect(until - typedAt).toBeGreaterThanOrEqual(5_000);
    expect(clearedAt).toBeGreaterThanOrEqual(until);
  });

  it("when a user stays online, then their 1:1 partner sees them online through watchPresence, and offline once they stop", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    // Presence shows to the other member once one has written in the chat.
    await alice.client.rest.sendMessage({ chatId: chat.id, text: "online?" });
    type OnPresence = (presence: Record<string, { online: boolean; lastSeen: string | null }>) => void;
    const presence = (callback: OnPresence, onError: OnError) => bob.client.watchPresence([alice.uid], callback, onError);

    const online = next(presence, (presence) => (presence[alice.uid]?.online ? presence[alice.uid] : undefined));
    await online.ready;
    const stop = alice.client.stayOnline();
    expect((await online).lastSeen).not.toBeNull();
    const offline = next(presence, (presence) => (presence[alice.uid]?.online === false ? presence[alice.uid] : undefined));
    await offline.ready;
    stop();
    expect((await offline).online).toBe(false);
  });

  it("when members pin, read, mention and search through the client, then watchPins and watchReadPositions follow live", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    await alice.client.rest.sendMessage({ chatId: chat.id, text: "Trip to Zürich" });
    const mention = await alice.client.callables.sendMessage({ chatId: chat.id, text: "bring the map", mentions: [bob.uid] });

    const pinned = next(
      (callback: (pins: number[]) => void, onError: OnError) => bob.client.watchPins(chat.id, callback, onError),
      (pins) => (pins.includes(1) ? pins : undefined),
    );
    const readByBob = next(
      (callback: (lastRead: Record<string, number>) => void, onError: OnError) =>
        alice.client.watchReadPositions(chat.id, callback, onError),
      (lastRead) => (lastRead[bob.uid] === 2 ? lastRead : undefined),
    );
    await Promise.all([pinned.ready, readByBob.ready]);
    await alice.client.rest.pinMessage({ chatId: chat.id, number: 1 });
    expect(await pinned).toEqual([1]);
    expect((await bob.client.rest.getChat({ chatId: chat.id })).chat.unreadMentionCount).toBe(1);
    await bob.client.rest.markRead({ chatId: chat.id });
    expect((await readByBob)[bob.uid]).toBe(2);

    expect(mention.message.mentions).toEqual([bob.uid]);
    const found = await bob.client.rest.listMessages({ chatId: chat.id, q: "zurich" });
    expect(found.messages.map((message) => message.text)).toEqual(["Trip to Zürich"]);
    const receipts = await alice.client.rest.listReceipts({ chatId: chat.id, number: 2 });
    expect(receipts.readers).toEqual([{ uid: bob.uid, lastRead: 2 }]);
  });
});
