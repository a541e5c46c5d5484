import { describe, expect, it } from "vitest";
import { postSystemMessage } from "../../functions/src/timeline/system-message.js";
import { adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { download, png, upload, type FileMessage } from "../helpers/files.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

type Message = FileMessage;
const chatDoc = async (chatId: string) => (await adminDb().doc(`chats/${chatId}`).get()).data() ?? {};
const messagesPath = (chatId: string) => `/chats/${chatId}/messages`;

async function listNumbers(user: TestUser, chatId: string, query = "") {
  const page = await api<{ messages: Message[]; hasMore: boolean }>(user, "GET", `${messagesPath(chatId)}${query}`);
  return { numbers: page.body.messages.map((message) => message.number), hasMore: page.body.hasMore };
}

describe("reply", () => {
  it("when a member replies to a message, then the reply quotes it; a missing message or a non-member is refused", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "Lunch at noon?");

    const reply = await api<{ message: Message }>(bob, "POST", messagesPath(chatId), { body: { text: "Yes!", replyTo: 1 } });
    const missing = await api(bob, "POST", messagesPath(chatId), { body: { text: "?", replyTo: 9 } });
    const outsider = await api(mallory, "POST", messagesPath(chatId), { body: { text: "hi", replyTo: 1 } });

    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({
      number: 2,
      text: "Yes!",
      reference: { type: "reply", chatId, number: 1, from: alice.uid, messageType: "text", preview: "Lunch at noon?" },
    });
    expect(missing).toMatchObject({
      status: 400,
      body: { error: { code: "invalid-argument", message: "replyTo: message 9 does not exist in this chat" } },
    });
    expect(outsider.status).toBe(404);
    expect((await chatDoc(chatId)).messageCount).toBe(2);
  });

  it("when a file message replies (multipart replyTo), then it quotes too", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "Send me the file");

    const { status, body } = await upload(bob, chatId, { bytes: Buffer.from("data"), filename: "data.txt", replyTo: 1 });

    expect(status).toBe(201);
    expect(body.message.reference).toMatchObject({ type: "reply", number: 1, preview: "Send me the file" });
  });
});

describe("edit", () => {
  it("when the sender edits their newest text message, then the text, editedAt and the chat preview change", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "See you at 12");

    const edited = await api<{ message: Message }>(alice, "PATCH", `${messagesPath(chatId)}/1`, {
      body: { text: "See you at 1" },
    });

    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({ number: 1, text: "See you at 1" });
    expect(edited.body.message.editedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const stored = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data();
    expect(stored).toMatchObject({ text: "See you at 1" });
    expect((await chatDoc(chatId)).lastMessage).toMatchObject({ number: 1, preview: "See you at 1" });
  });

  it("when an older message is edited, then the chat's lastMessage stays the newest", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "first");
    await send(bob, chatId, "second");

    await api(alice, "PATCH", `${messagesPath(chatId)}/1`, { body: { text: "first, edited" } });

    expect((await chatDoc(chatId)).lastMessage).toMatchObject({ number: 2, preview: "second" });
  });

  it("when a message that replies quote is edited, then each reply's quote shows the new text", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "Meet at 12");
    await api(bob, "POST", messagesPath(chatId), { body: { text: "OK", replyTo: 1 } });
    await api(alice, "POST", messagesPath(chatId), { body: { text: "and bring the map", replyTo: 1 } });

    await api(alice, "PATCH", `${messagesPath(chatId)}/1`, { body: { text: "Meet at 1" } });

    const page = await api<{ messages: Message[] }>(bob, "GET", messagesPath(chatId));
    const quotes = page.body.messages.filter((message) => message.reference).map((message) => message.reference?.preview);
    expect(quotes).toEqual(["Meet at 1", "Meet at 1"]);
  });

  it("when someone else, a non-text message, a deleted message or an old message is edited, then it is refused and unchanged", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "mine");
    await upload(alice, chatId, { bytes: Buffer.from("x"), filename: "x.txt" });
    await send(alice, chatId, "to delete");
    await api(alice, "DELETE", `${messagesPath(chatId)}/3`);
    await send(alice, chatId, "old one");
    const fifteenMinutesAgo = new Date(Date.now() - 16 * 60 * 1000);
    await adminDb().doc(`chats/${chatId}/messages/0000000004`).update({ createdAt: fifteenMinutesAgo });

    const edit = (user: TestUser, number: number) =>
      api<{ error: { code: string; message: string } }>(user, "PATCH", `${messagesPath(chatId)}/${number}`, {
        body: { text: "changed" },
      });
    const byOther = await edit(bob, 1);
    const byOutsider = await edit(mallory, 1);
    const fileMessage = await edit(alice, 2);
    const deleted = await edit(alice, 3);
    const tooLate = await edit(alice, 4);
    const empty = await api(alice, "PATCH", `${messagesPath(chatId)}/1`, { body: { text: "  " } });

    expect(byOther).toMatchObject({
      status: 403,
      body: { error: { code: "permission-denied", message: "Only the sender can change this message." } },
    });
    expect(byOutsider.status).toBe(404);
    expect(fileMessage).toMatchObject({ status: 409, body: { error: { message: "Only text messages can be edited." } } });
    expect(deleted).toMatchObject({ status: 409, body: { error: { message: "Message 3 was deleted." } } });
    expect(tooLate).toMatchObject({
      status: 409,
      body: { error: { code: "failed-precondition", message: "Messages can only be edited within 900 seconds of sending." } },
    });
    expect(empty.status).toBe(400);
    const texts = (await adminDb().collection(`chats/${chatId}/messages`).orderBy("number").get()).docs.map((doc) =>
      doc.get("text"),
    );
    expect(texts).toEqual(["mine", "", "", "old one"]);
  });
});

describe("delete for everyone", () => {
  it("when the sender deletes their newest message, then it is a tombstone, its number stays taken and the preview says so", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "one");
    await send(alice, chatId, "oops, wrong chat");

    const deleted = await api<{ message: Message }>(alice, "DELETE", `${messagesPath(chatId)}/2`);
    const again = await api<{ message: Message }>(alice, "DELETE", `${messagesPath(chatId)}/2`);

    expect(deleted.status).toBe(200);
    expect(deleted.body.message).toMatchObject({ number: 2, text: "", deleted: true, file: null });
    expect(again.body.message).toEqual(deleted.body.message);
    const chat = await chatDoc(chatId);
    expect(chat).toMatchObject({ messageCount: 2, unread: { [bob.uid]: 2 } });
    expect(chat.lastMessage).toMatchObject({ number: 2, preview: "Message deleted", deleted: true });
    const listed = await api<{ messages: Message[] }>(bob, "GET", messagesPath(chatId));
    expect(listed.body.messages.map((message) => [message.number, message.text, message.deleted])).toEqual([
      [1, "one", false],
      [2, "", true],
    ]);
    expect((await send(bob, chatId, "next")).number).toBe(3);
  });

  it("when a file message is deleted, then its objects are gone, downloads 404, and replies lose their quote", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const { body } = await upload(alice, chatId, { bytes: Buffer.from("secret plan"), filename: "plan.txt", text: "the plan" });
    await api(bob, "POST", messagesPath(chatId), { body: { text: "Nice plan", replyTo: 1 } });
    expect(await objectNames(`chats/${chatId}/`)).toHaveLength(1);

    await api(alice, "DELETE", `${messagesPath(chatId)}/1`);

    expect(await objectNames(`chats/${chatId}/`)).toEqual([]);
    expect((await download(bob, body.message.file!.downloadPath)).status).toBe(404);
    const stored = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data();
    expect(stored).not.toHaveProperty("file");
    const reply = (await adminDb().doc(`chats/${chatId}/messages/0000000002`).get()).data();
    expect(reply?.reference).toMatchObject({ number: 1, preview: "Message deleted", deleted: true });
    expect((await chatDoc(chatId)).lastMessage).toMatchObject({ number: 2, preview: "Nice plan" });
  });

  it("when another member or anyone deletes a system message, then 403 (an outsider 404) and nothing changes", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "keep me");
    await postSystemMessage(adminDb(), {
      now: new Date(),
      chatId,
      event: { type: "member-left", uid: bob.uid },
      text: "Bob left",
    });

    const byOther = await api(bob, "DELETE", `${messagesPath(chatId)}/1`);
    const byOutsider = await api(mallory, "DELETE", `${messagesPath(chatId)}/1`);
    const system = await api(alice, "DELETE", `${messagesPath(chatId)}/2`);
    const missing = await api(alice, "DELETE", `${messagesPath(chatId)}/7`);

    expect([byOther.status, byOutsider.status, system.status, missing.status]).toEqual([403, 404, 403, 404]);
    expect((await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).get("text")).toBe("keep me");
  });
});

describe("delete for me (hide)", () => {
  it("when a member hides messages, then only their listings leave them out, and pages are filled past them", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    for (const text of ["1", "2", "3", "4", "5"]) await send(alice, chatId, text);

    const hidden = await api(bob, "POST", `${messagesPath(chatId)}/4/hide`);
    await api(bob, "POST", `${messagesPath(chatId)}/5/hide`);
    await api(bob, "POST", `${messagesPath(chatId)}/5/hide`);

    expect(hidden).toMatchObject({ status: 200, body: { chatId, number: 4, hidden: true } });
    expect(await listNumbers(bob, chatId, "?limit=2")).toEqual({ numbers: [2, 3], hasMore: true });
    expect(await listNumbers(bob, chatId, "?limit=3")).toEqual({ numbers: [1, 2, 3], hasMore: false });
    expect(await listNumbers(bob, chatId, "?after=1&limit=10")).toEqual({ numbers: [2, 3], hasMore: false });
    expect(await listNumbers(alice, chatId, "?limit=10")).toEqual({ numbers: [1, 2, 3, 4, 5], hasMore: false });
    expect((await chatDoc(chatId)).messageCount).toBe(5);
    expect((await adminDb().doc(`chats/${chatId}/hidden/${bob.uid}`).get()).get("numbers")).toEqual([4, 5]);

    const outsider = await api(mallory, "POST", `${messagesPath(chatId)}/1/hide`);
    const missing = await api(bob, "POST", `${messagesPath(chatId)}/99/hide`);
    expect([outsider.status, missing.status]).toEqual([404, 404]);
  });
});

describe("forward", () => {
  it("when a member of both chats forwards a text, then the target chat gets a copy that says where it came from", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const fromChat = await createChat(alice, bob);
    const toChat = await createChat(bob, carol);
    await send(alice, fromChat, "Party on Friday!");

    const forwarded = await api<{ message: Message }>(bob, "POST", `${messagesPath(fromChat)}/1/forward`, {
      body: { toChatId: toChat, clientMessageId: "fwd-1" },
    });
    const retried = await api<{ message: Message }>(bob, "POST", `${messagesPath(fromChat)}/1/forward`, {
      body: { toChatId: toChat, clientMessageId: "fwd-1" },
    });

    expect(forwarded.status).toBe(201);
    expect(forwarded.body.message).toMatchObject({
      chatId: toChat,
      number: 1,
      from: bob.uid,
      type: "text",
      text: "Party on Friday!",
      reference: { type: "forward", chatId: fromChat, number: 1, from: alice.uid, messageType: "text" },
    });
    expect(retried.status).toBe(200);
    expect(retried.body.message).toEqual(forwarded.body.message);
    expect(await chatDoc(toChat)).toMatchObject({
      messageCount: 1,
      unread: { [carol.uid]: 1 },
      lastMessage: { preview: "Party on Friday!" },
    });
  });

  it("when an image is forwarded, then the target gets its own copy of the objects, which outlives the original", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const fromChat = await createChat(alice, bob);
    const toChat = await createChat(bob, carol);
    const bytes = await png(640, 640);
    await upload(alice, fromChat, { bytes, filename: "pic.png" });

    const forwarded = await api<{ message: Message }>(bob, "POST", `${messagesPath(fromChat)}/1/forward`, {
      body: { toChatId: toChat },
    });
    await api(alice, "DELETE", `${messagesPath(fromChat)}/1`);

    expect(forwarded.body.message).toMatchObject({ type: "image", file: { name: "pic.png", width: 640 } });
    expect(await objectNames(`chats/${fromChat}/`)).toEqual([]);
    expect(await objectNames(`chats/${toChat}/`)).toHaveLength(2);
    const copy = await download(carol, forwarded.body.message.file!.downloadPath);
    expect(copy.bytes.equals(bytes)).toBe(true);
    expect((await download(carol, forwarded.body.message.file!.thumbnail!.downloadPath)).status).toBe(200);
  });

  it("when the caller is not in the target or the source, or the message is deleted, then it is refused and nothing is sent", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const fromChat = await createChat(alice, bob);
    const foreignChat = await createChat(carol, dave);
    const ownChat = await createChat(bob, carol);
    await send(alice, fromChat, "hello");
    await send(alice, fromChat, "gone");
    await api(alice, "DELETE", `${messagesPath(fromChat)}/2`);
    const forward = (user: TestUser, number: number, toChatId: string) =>
      api(user, "POST", `${messagesPath(fromChat)}/${number}/forward`, { body: { toChatId } });

    const notInTarget = await forward(bob, 1, foreignChat);
    const notInSource = await forward(carol, 1, ownChat);
    const deleted = await forward(bob, 2, ownChat);
    const noTarget = await forward(bob, 1, "no-such-chat");

    expect([notInTarget.status, notInSource.status, deleted.status, noTarget.status]).toEqual([404, 404, 409, 404]);
    expect((await chatDoc(foreignChat)).messageCount).toBe(0);
    expect((await chatDoc(ownChat)).messageCount).toBe(0);
  });
});

describe("system messages", () => {
  it("when a chat event is posted, then it takes the next number with no sender, unread for every member but its subject", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "hi");

    const result = await postSystemMessage(adminDb(), {
      now: new Date(),
      chatId,
      event: { type: "member-left", uid: bob.uid },
      text: "Bob left the chat",
    });

    expect(result?.message).toMatchObject({
      number: 2,
      from: null,
      type: "system",
      text: "Bob left the chat",
      event: { type: "member-left", uid: bob.uid },
    });
    expect(await chatDoc(chatId)).toMatchObject({
      messageCount: 2,
      unread: { [alice.uid]: 1, [bob.uid]: 1 },
      lastMessage: { number: 2, from: null, type: "system", preview: "Bob left the chat" },
    });
  });
});
