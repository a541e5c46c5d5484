import {
  collection,
  doc,
  onSnapshot,
  orderBy,
  query,
  where,
  type DocumentData,
  type DocumentSnapshot,
  type QuerySnapshot,
} from "firebase/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { api, createChat } from "../helpers/api.js";
import { clientFor, type Client } from "../helpers/client.js";
import { watch } from "../helpers/listen.js";
import { signUpMany } from "../helpers/users.js";

const clients: Client[] = [];
/** Picks a listener's first state: the data as it was when it attached. */
const first = <S>(snapshot: S) => snapshot;
afterAll(async () => Promise.all(clients.map((client) => client.close())));

describe("realtime: a web SDK client sees new messages without polling", () => {
  it("when alice sends, then bob's chat list, message and external-event listeners all fire", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const bobClient = await clientFor(bob);
    clients.push(bobClient);
    const { db } = bobClient;

    const chatList = watch((next: (snap: QuerySnapshot) => void, fail: (error: Error) => void) =>
      onSnapshot(
        query(collection(db, "chats"), where("members", "array-contains", bob.uid), orderBy("lastMessageAt", "desc")),
        next,
        fail,
      ),
    );
    const messages = watch((next: (snap: QuerySnapshot) => void, fail: (error: Error) => void) =>
      onSnapshot(query(collection(db, "chats", chatId, "messages"), orderBy("number")), next, fail),
    );
    const externalEvent = watch((next: (snap: DocumentSnapshot) => void, fail: (error: Error) => void) =>
      onSnapshot(doc(db, "users-external-event", bob.uid), next, fail),
    );
    // Each listener first sees the chat as it was: no message yet.
    expect((await chatList.until(first)).docs.map((d) => d.data())).toEqual([expect.objectContaining({ messageCount: 0 })]);
    expect((await messages.until(first)).size).toBe(0);
    expect((await externalEvent.until(first)).exists()).toBe(false);

    const sent = await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "ping" } });
    expect(sent.status).toBe(201);

    const arrived = Promise.all([
      chatList.until((snap) => snap.docs.find((d) => d.id === chatId && d.data().messageCount === 1)?.data()),
      messages.until((snap) => (snap.size > 0 ? snap.docs.map((d) => d.data()) : undefined)),
      externalEvent.until((snap) => (snap.data()?.notifyNewMessage === true ? (snap.data() as DocumentData) : undefined)),
    ]);
    const [chat, received, event] = await arrived;
    [chatList, messages, externalEvent].forEach((listener) => listener.stop());
    expect(chat).toMatchObject({
      lastMessage: { number: 1, from: alice.uid, preview: "ping" },
      unread: { [bob.uid]: 1 },
      started: true,
    });
    expect(received).toEqual([expect.objectContaining({ number: 1, from: alice.uid, text: "ping", type: "text" })]);
    expect(event).toMatchObject({ notifyNewMessage: true, lastEvent: { chatId, number: 1 } });
  });
});
