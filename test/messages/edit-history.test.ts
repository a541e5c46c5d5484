import { describe, expect, it } from "vitest";
import { objectDeleter, prefixDeleter } from "../../functions/src/files/delete-objects.js";
import { deleteExpiredMessages } from "../../functions/src/jobs/delete-expired-messages.js";
import { purgeEndedChats } from "../../functions/src/jobs/purge-ended-chats.js";
import { editMessage } from "../../functions/src/messages/edit-message.js";
import type { MessageEditsView, MessageView } from "../../functions/src/messages/views.js";
import { adminBucket, adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

const messagePath = (chatId: string, number: number) => `/chats/${chatId}/messages/${number}`;
const editsOf = (chatId: string, number: number) =>
  adminDb().collection(`chats/${chatId}/messages/${String(number).padStart(10, "0")}/edits`);
const edit = (user: TestUser, chatId: string, number: number, text: string) =>
  api<{ message: MessageView }>(user, "PATCH", messagePath(chatId, number), { body: { text } });
const history = (user: TestUser, chatId: string, number: number) =>
  api<MessageEditsView>(user, "GET", `${messagePath(chatId, number)}/edits`);
const texts = (view: MessageEditsView) => view.edits.map(({ version, text }) => [version, text]);

/** A room hosted by `host` that `others` joined; its id. */
async function roomOf(host: TestUser, ...others: TestUser[]): Promise<string> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Edits" } });
  for (const user of others) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  return room.body.chat.id;
}

describe("edit history", () => {
  it("when a message is edited twice in a 1:1 chat, then both members list the earlier texts newest first and the message counts 2 edits", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "See you at 12");

    const first = await edit(alice, chatId, 1, "See you at 1");
    const second = await edit(alice, chatId, 1, "See you at 2");
    const asBob = await history(bob, chatId, 1);
    const asAlice = await history(alice, chatId, 1);

    expect(first.body.message).toMatchObject({ text: "See you at 1", editCount: 1 });
    expect(second.body.message).toMatchObject({ text: "See you at 2", editCount: 2 });
    expect(asBob.status).toBe(200);
    expect(asBob.body).toMatchObject({ chatId, number: 1, editCount: 2 });
    expect(texts(asBob.body)).toEqual([
      [2, "See you at 1"],
      [1, "See you at 12"],
    ]);
    expect(asBob.body.edits[0].editedAt).toBe(second.body.message.editedAt);
    expect(asAlice.body).toEqual(asBob.body);
    const read = await api<{ message: MessageView }>(bob, "GET", messagePath(chatId, 1));
    expect(read.body.message).toMatchObject({ editCount: 2, editedAt: second.body.message.editedAt });
  });

  it("when a room message is edited, then its members read the history and a stranger or a missing message gets 404", async () => {
    const [hank, bob, mallory] = await signUpMany("Hank", "Bob", "Mallory");
    const roomId = await roomOf(hank, bob);
    const sent = await send(bob, roomId, "Agenda: budget");
    await edit(bob, roomId, sent.number, "Agenda: budget, hiring");

    const asHost = await history(hank, roomId, sent.number);
    const stranger = await history(mallory, roomId, sent.number);
    const missing = await history(hank, roomId, 99);
    const never = await history(hank, roomId, 1);

    expect(texts(asHost.body)).toEqual([[1, "Agenda: budget"]]);
    expect(stranger.status).toBe(404);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "not-found" } } });
    expect(never.body).toMatchObject({ editCount: 0, edits: [] });
  });

  it("when an edited message is deleted for everyone, then its history goes in the same batch and it answers an empty history", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "draft 1");
    await edit(alice, chatId, 1, "draft 2");
    await edit(alice, chatId, 1, "draft 3");
    expect((await editsOf(chatId, 1).get()).size).toBe(2);

    const deleted = await api<{ message: MessageView }>(alice, "DELETE", messagePath(chatId, 1));
    const listed = await history(bob, chatId, 1);

    expect(deleted.body.message).toMatchObject({ deleted: true, editCount: 0 });
    expect((await editsOf(chatId, 1).get()).size).toBe(0);
    expect(listed).toMatchObject({ status: 200, body: { editCount: 0, edits: [] } });
  });

  it("when two edits of one message race, then both land, one after the other, and the history keeps both replaced texts in order", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "v1");

    const results = await Promise.all([edit(alice, chatId, 1, "from phone"), edit(alice, chatId, 1, "from laptop")]);

    expect(results.map((result) => result.status)).toEqual([200, 200]);
    const final = (await api<{ message: MessageView }>(bob, "GET", messagePath(chatId, 1))).body.message;
    const listed = (await history(bob, chatId, 1)).body;
    expect(final.editCount).toBe(2);
    // The later edit replaced the earlier one's text: version 2 is what the other edit wrote.
    const [later, earlier] = listed.edits;
    expect(earlier).toMatchObject({ version: 1, text: "v1" });
    expect(later.version).toBe(2);
    expect([later.text, final.text].sort()).toEqual(["from laptop", "from phone"]);
  });

  it("when a message was edited MAX_MESSAGE_EDITS times, then the next edit is refused and nothing is written", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "one");
    const options = { callerUid: alice.uid, chatId, number: 1, editWindowSeconds: 900, maxEdits: 2 };
    for (const text of ["two", "three"]) await editMessage(adminDb(), { ...options, now: new Date(), input: { text } });

    const refused = editMessage(adminDb(), { ...options, now: new Date(), input: { text: "four" } });

    await expect(refused).rejects.toMatchObject({
      code: "failed-precondition",
      message: "A message can be edited at most 2 times.",
    });
    expect((await editsOf(chatId, 1).get()).docs.map((doc) => doc.get("text"))).toEqual(["one", "two"]);
    expect((await api<{ message: MessageView }>(bob, "GET", messagePath(chatId, 1))).body.message).toMatchObject({
      text: "three",
      editCount: 2,
    });
  });

  it("when the callables and the client library list a history, then they answer as REST does; a non-member is refused", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "before");
    const asAlice = await clientFor(alice);
    const asMallory = await clientFor(mallory);
    try {
      const edited = await asAlice.call<{ message: MessageView }>("editMessage", { chatId, number: 1, text: "after" });
      const listed = await asAlice.call<MessageEditsView>("listMessageEdits", { chatId, number: 1 });
      const refused = await callFailure(asMallory.call("listMessageEdits", { chatId, number: 1 }));

      expect(edited.message.editCount).toBe(1);
      expect(listed).toEqual((await history(bob, chatId, 1)).body);
      expect(texts(listed)).toEqual([[1, "before"]]);
      expect(refused.code).toBe("functions/not-found");
    } finally {
      await Promise.all([asAlice.close(), asMallory.close()]);
    }

    const [carol, dave] = await Promise.all([newClient("Carol"), newClient("Dave")]);
    const { chat } = await openAcceptedChat(carol, dave);
    const { message } = await carol.client.rest.sendMessage({ chatId: chat.id, text: "hello" });
    await carol.client.callables.editMessage({ chatId: chat.id, number: message.number, text: "hello there" });
    const viaRest = await dave.client.rest.listMessageEdits({ chatId: chat.id, number: message.number });
    const viaCallable = await dave.client.callables.listMessageEdits({ chatId: chat.id, number: message.number });
    expect(viaRest.edits.map(({ text }) => text)).toEqual(["hello"]);
    expect(viaCallable).toEqual(viaRest);
  });
});

describe("edit history and the jobs", () => {
  const longAgo = new Date(Date.UTC(2000, 0, 1));
  const cutoffDays = (now: Date) => (now.getTime() - Date.UTC(2001, 0, 1)) / 86_400_000;

  it("when retention deletes an edited message, then its history goes with it", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "old");
    await edit(alice, chatId, 1, "old, edited");
    await send(bob, chatId, "new");
    await adminDb().doc(`chats/${chatId}/messages/0000000001`).update({ createdAt: longAgo });
    const now = new Date();

    await deleteExpiredMessages(adminDb(), { deleteObjects: objectDeleter(adminBucket()), now, retentionDays: cutoffDays(now) });

    expect((await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).exists).toBe(false);
    expect((await editsOf(chatId, 1).get()).size).toBe(0);
    expect((await history(alice, chatId, 1)).status).toBe(404);
  });

  it("when an ended room with edited messages is purged, then recursiveDelete takes their histories too", async () => {
    const [hank, bob] = await signUpMany("Hank", "Bob");
    const roomId = await roomOf(hank, bob);
    const sent = await send(bob, roomId, "first");
    await edit(bob, roomId, sent.number, "second");
    await api(hank, "POST", `/chats/${roomId}/end`);
    await eventually(async () => {
      if (!(await adminDb().doc(`chats/${roomId}`).get()).get("export")) throw new Error("no export yet");
    });
    await adminDb().doc(`chats/${roomId}`).update({ endedAt: longAgo });
    const now = new Date();

    await purgeEndedChats(adminDb(), { deletePrefix: prefixDeleter(adminBucket()), now, afterDays: cutoffDays(now) });

    expect((await adminDb().doc(`chats/${roomId}`).get()).exists).toBe(false);
    expect((await editsOf(roomId, sent.number).get()).size).toBe(0);
  });
});
