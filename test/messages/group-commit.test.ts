import { describe, expect, it } from "vitest";
import { sendMessage } from "../../functions/src/messages/send-message.js";
import { postSystemMessage } from "../../functions/src/timeline/system-message.js";
import { adminDb } from "../helpers/admin.js";
import { createChat } from "../helpers/api.js";
import { countingFirestore } from "../helpers/counting-firestore.js";
import { backgroundTriggers } from "../helpers/emulators.js";
import { seedRoom } from "../helpers/rooms.js";
import { signUpMany } from "../helpers/users.js";

// The domain function runs in the test's process, as in one instance serving concurrent
// requests (the Functions emulator runs one request per worker, so it never groups).

/** The message numbers stored in `chatId`, in order. */
async function storedNumbers(chatId: string): Promise<number[]> {
  const messages = await adminDb().collection(`chats/${chatId}/messages`).orderBy("number").get();
  return messages.docs.map((doc) => doc.get("number") as number);
}

describe("group commit (concurrent sends to one chat inside one instance)", () => {
  it("when 20 sends arrive at once, then they commit in a few batches, gapless, with exact unread counts", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const { db, commits } = countingFirestore(adminDb());

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sendMessage(db, {
          now: new Date(),
          senderUid: i % 2 ? bob.uid : alice.uid,
          chatId,
          draft: { type: "text", text: `m${i}` },
        }),
      ),
    );

    expect(results.map((result) => result.message.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(results.map((result) => result.message.text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(commits()).toBeLessThanOrEqual(3);
    expect(await storedNumbers(chatId)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat).toMatchObject({
      messageCount: 20,
      unread: { [alice.uid]: 10, [bob.uid]: 10 },
      lastMessage: { number: 20, preview: "m19" },
    });
    expect((await adminDb().doc(`users-external-event/${alice.uid}`).get()).get("lastEvent.number")).toBe(20);
  });

  it("when one send of a group is refused, then only it fails, and a repeated clientMessageId makes one message", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    const { db } = countingFirestore(adminDb());
    const send = (uid: string, text: string, clientMessageId?: string) =>
      sendMessage(db, {
        now: new Date(),
        senderUid: uid,
        chatId,
        draft: { type: "text", text, ...(clientMessageId && { clientMessageId }) },
      });

    const results = await Promise.allSettled([
      send(alice.uid, "first"),
      send(alice.uid, "twice", "k1"),
      send(mallory.uid, "not a member"),
      send(alice.uid, "twice", "k1"),
      send(bob.uid, "last"),
    ]);

    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(results[2]).toMatchObject({ status: "rejected", reason: { code: "not-found" } });
    const [first, once, , again, last] = results.map((result) => (result.status === "fulfilled" ? result.value : undefined));
    expect(first?.message.number).toBe(1);
    expect([once?.created, again?.created]).toEqual([true, false]);
    expect(again?.message.number).toBe(once?.message.number);
    expect(last?.message.number).toBe(3);
    expect(await storedNumbers(chatId)).toEqual([1, 2, 3]);
  });

  it("when a system message arrives among sends, then it commits alone, in its place, and numbers stay gapless", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const { db } = countingFirestore(adminDb());
    const send = (text: string) =>
      sendMessage(db, { now: new Date(), senderUid: alice.uid, chatId, draft: { type: "text", text } });

    const [, , system] = await Promise.all([
      send("a"),
      send("b"),
      postSystemMessage(db, { now: new Date(), chatId, event: { type: "member-left", uid: bob.uid }, text: "Bob left" }),
      send("c"),
    ]);

    expect(system?.message.number).toBe(3);
    expect(await storedNumbers(chatId)).toEqual([1, 2, 3, 4]);
  });

  it("when 100 sends from 50 members share commits in a room, then they stay within production's limits: one read position per sender", async () => {
    const { chatId, members } = await seedRoom(50);
    const { db, commits, mostTransforms, written } = countingFirestore(adminDb());
    // The request path is under test; 100 fan-outs of 50 would only load the emulator.
    await backgroundTriggers("disable");

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        sendMessage(db, { now: new Date(), senderUid: members[i % 50], chatId, draft: { type: "text", text: `m${i}` } }),
      ),
    ).finally(() => backgroundTriggers("enable"));

    expect(results.every((result) => result.created)).toBe(true);
    expect(await storedNumbers(chatId)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(commits()).toBeLessThan(10);
    expect(mostTransforms()).toBe(0);
    // Per commit: its messages, the room, and one member doc per distinct sender; no fan-out.
    for (const paths of written()) expect(paths.filter((path) => path.startsWith("users-external-event/"))).toEqual([]);
    const lastReads = (await adminDb().collection(`chats/${chatId}/members`).get()).docs.map(
      (doc) => doc.get("lastRead") as number,
    );
    expect(Math.max(...lastReads)).toBe(100);
    expect((await adminDb().doc(`chats/${chatId}/members/${members[0]}`).get()).get("lastRead")).toBe(results[50].message.number);
  });
});
