import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { signUpMany, signUpUnlimited } from "../helpers/users.js";

const SENDS = 50;

describe("concurrent sends into one chat", () => {
  it("when both members send 50 messages at once and then retry them all, then numbers are 1..50 with no gap or duplicate", async () => {
    // 25 sends each at once is past SEND_RATE_BURST; numbering is under test here, not the limit.
    const [alice, bob] = await signUpUnlimited("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const sends = Array.from({ length: SENDS }, (_, i) => ({
      from: i % 2 === 0 ? alice : bob,
      text: `message ${i}`,
      clientMessageId: `concurrent-${i}`,
    }));
    const sendAll = () =>
      Promise.all(
        sends.map(({ from, text, clientMessageId }) =>
          api<{ message: { number: number; text: string; from: string } }>(from, "POST", `/chats/${chatId}/messages`, {
            body: { text, clientMessageId },
          }),
        ),
      );

    const first = await sendAll();
    expect(first.map((response) => response.status)).toEqual(sends.map(() => 201));
    const numbers = first.map((response) => response.body.message.number);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: SENDS }, (_, i) => i + 1));

    const retries = await sendAll();
    expect(retries.map((response) => response.status)).toEqual(sends.map(() => 200));
    expect(retries.map((response) => response.body.message.number)).toEqual(numbers);

    const db = adminDb();
    const stored = (await db.collection(`chats/${chatId}/messages`).orderBy("number").get()).docs.map((doc) => doc.data());
    expect(stored.map((message) => message.number)).toEqual(Array.from({ length: SENDS }, (_, i) => i + 1));
    expect(stored.map((message) => message.text).sort()).toEqual(sends.map((send) => send.text).sort());
    const times = stored.map((message) => message.createdAt.toMillis());
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const chat = (await db.doc(`chats/${chatId}`).get()).data();
    const fromBob = sends.filter((send) => send.from === bob).length;
    expect(chat).toMatchObject({
      messageCount: SENDS,
      unread: { [alice.uid]: fromBob, [bob.uid]: SENDS - fromBob },
      lastMessage: { number: SENDS },
    });
    expect(chat?.lastMessage.preview).toBe(stored[SENDS - 1].text);
    expect(chat?.lastMessageAt.toMillis()).toBe(times[SENDS - 1]);
    // The Functions emulator starts one worker per request in flight (1-2 s each on two cores).
  }, 180_000);

  it("when the same clientMessageId is sent several times at once, then one message exists", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api<{ message: { number: number } }>(alice, "POST", `/chats/${chatId}/messages`, {
          body: { text: "double tap", clientMessageId: "same" },
        }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.message.number))).toEqual(new Set([1]));
    expect((await adminDb().collection(`chats/${chatId}/messages`).get()).size).toBe(1);
    expect((await adminDb().doc(`chats/${chatId}`).get()).data()).toMatchObject({ messageCount: 1, unread: { [bob.uid]: 1 } });
  });
});
