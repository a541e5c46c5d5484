import type { DocumentReference, DocumentSnapshot } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { collections } from "../../functions/src/shared/collections.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, openRequest, send } from "../helpers/api.js";
import { docValidators, jsonOfDoc, schemaErrors } from "../helpers/doc-schemas.js";
import { png, upload } from "../helpers/files.js";
import { signUpMany, verifyEmails, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// schemas/firestore/ describes the docs a client reads, for apps that read Firestore directly
// (README, "For native apps"). Here real operations write every kind of them, with as many of
// their optional parts as the API makes, and each doc is validated against its kind's schema:
// a field the schema does not declare, a required one missing, or a wrong type fails it.

type Sent = { message: { number: number } };

/** `ok` unless the answer's status is `status`: then throws with the answer. */
function expectStatus(answer: { status: number; body: unknown }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** A 1:1 chat of ana and ben with edits, replies, reads, a hidden message and private state; returns its id. */
async function directChat(ana: TestUser, ben: TestUser): Promise<string> {
  const chatId = await createChat(ana, ben);
  const first = await send(ana, chatId, "hi Ben");
  expectStatus(await api(ana, "PATCH", `/chats/${chatId}/messages/${first.number}`, { body: { text: "hi Ben!" } }), 200, "edit");
  const reply = await api<Sent>(ben, "POST", `/chats/${chatId}/messages`, { body: { text: "hey", replyTo: first.number } });
  expectStatus(reply, 201, "reply");
  expectStatus(
    await api(ana, "POST", `/chats/${chatId}/delivered`, { body: { upTo: reply.body.message.number } }),
    200,
    "delivered",
  );
  expectStatus(await api(ana, "POST", `/chats/${chatId}/read`, { body: {} }), 200, "read");
  expectStatus(await api(ben, "POST", `/chats/${chatId}/messages/${first.number}/hide`), 200, "hide");
  expectStatus(await api(ana, "POST", `/chats/${chatId}/mute`, { body: {} }), 200, "mute");
  expectStatus(await api(ana, "POST", `/chats/${chatId}/pin`), 200, "pin");
  expectStatus(await api(ben, "POST", `/chats/${chatId}/archive`), 200, "archive");
  expectStatus(await api(ben, "POST", `/chats/${chatId}/pins`, { body: { number: first.number } }), 200, "pin a message");
  return chatId;
}

/** A room ana hosts and ben and cy joined: text, a poll with votes, files, a thread, reactions, a forward, a delete. */
async function room(ana: TestUser, ben: TestUser, cy: TestUser, directId: string): Promise<string> {
  const created = await api<{ chat: { id: string }; inviteCode: string }>(ana, "POST", "/rooms", { body: { title: "Schemas" } });
  expectStatus(created, 201, "create room");
  const roomId = created.body.chat.id;
  for (const user of [ben, cy]) {
    expectStatus(await api(user, "POST", "/rooms/join", { body: { inviteCode: created.body.inviteCode } }), 200, "join");
  }
  const hello = await api<Sent>(ana, "POST", `/chats/${roomId}/messages`, { body: { text: "hello @Ben", mentions: [ben.uid] } });
  expectStatus(hello, 201, "send");
  const number = hello.body.message.number;
  const poll = await api<Sent>(ana, "POST", `/chats/${roomId}/messages`, {
    body: { poll: { question: "Lunch?", options: ["Yes", "No"], multiple: true } },
  });
  expectStatus(poll, 201, "poll");
  for (const user of [ben, cy]) {
    expectStatus(await api(user, "PUT", `/chats/${roomId}/messages/${poll.body.message.number}/votes/0`), 200, "vote");
  }
  expectStatus(await api(ana, "POST", `/chats/${roomId}/messages/${poll.body.message.number}/close`), 200, "close poll");
  expectStatus(
    await upload(ben, roomId, { bytes: Buffer.from("notes"), filename: "notes.txt", type: "text/plain" }),
    201,
    "file",
  );
  const image = await upload(ben, roomId, { bytes: await png(640, 480), filename: "pic.png", type: "image/png", text: "a pic" });
  expectStatus(image, 201, "image");
  const threadReply = { text: "in a thread", threadOf: number };
  expectStatus(await api(ben, "POST", `/chats/${roomId}/messages`, { body: threadReply }), 201, "thread reply");
  expectStatus(await api(cy, "POST", `/chats/${roomId}/messages/${number}/thread/read`), 200, "thread read");
  const thumb = encodeURIComponent("👍🏽");
  expectStatus(await api(cy, "PUT", `/chats/${roomId}/messages/${number}/reactions/${thumb}`), 200, "react");
  const forward = { body: { toChatId: directId } };
  expectStatus(await api(ana, "POST", `/chats/${roomId}/messages/${number}/forward`, forward), 201, "forward");
  const doomed = await send(cy, roomId, "oops");
  expectStatus(await api(cy, "DELETE", `/chats/${roomId}/messages/${doomed.number}`), 200, "delete");
  expectStatus(await api(ben, "POST", `/chats/${roomId}/typing`, { body: { typing: true } }), 200, "typing");
  expectStatus(await api(ben, "POST", `/chats/${roomId}/mute`, { body: {} }), 200, "mute room");
  expectStatus(await api(cy, "POST", `/chats/${roomId}/archive`), 200, "archive room");
  expectStatus(await api(cy, "POST", `/chats/${roomId}/read`, { body: {} }), 200, "read room");
  const number2 = image.body.message.number;
  await eventually(async () => expect((await message(roomId, number2).get()).get("file.thumbnail")).toBeDefined(), 30_000);
  return roomId;
}

function message(chatId: string, number: number): DocumentReference {
  return adminDb().doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`);
}

/** A 1:1 chat of ana and dan that ana ended, once its CSV export is written; and a request from dan to cy. */
async function endedAndRequested(ana: TestUser, cy: TestUser, dan: TestUser): Promise<string[]> {
  const endedId = await createChat(ana, dan);
  await send(dan, endedId, "bye");
  expectStatus(await api(ana, "POST", `/chats/${endedId}/end`), 200, "end");
  await eventually(
    async () => expect((await adminDb().doc(`chats/${endedId}`).get()).get("export.path")).toBeDefined(),
    60_000,
    500,
  );
  const requestId = await openRequest(dan, cy);
  await send(dan, requestId, "hello stranger");
  return [endedId, requestId];
}

/** Per-user docs: presence, settings, blocks, muted users and a personal export. */
async function userState(ana: TestUser, ben: TestUser, cy: TestUser): Promise<void> {
  for (const user of [ana, ben]) expectStatus(await api(user, "POST", "/presence", { body: {} }), 200, "presence");
  expectStatus(await api(ben, "PATCH", "/me/settings", { body: { readReceipts: false, presence: "nobody" } }), 200, "settings");
  expectStatus(await api(ben, "POST", `/users/${cy.uid}/mute`), 200, "mute user");
  expectStatus(await api(cy, "POST", "/blocks", { body: { uid: ben.uid } }), 201, "block");
  expectStatus(await api(ana, "POST", "/me/export"), 201, "export");
  const exported = adminDb().doc(`personal-exports/${ana.uid}`);
  await eventually(async () => expect((await exported.get()).get("status")).toBe("ready"), 90_000, 500);
}

/** Every doc of the kinds a client reads under `chatIds` and of `users`, by the schema file that describes it. */
async function docsToCheck(chatIds: string[], users: TestUser[]): Promise<[string, DocumentSnapshot][]> {
  const db = adminDb();
  const found: [string, DocumentSnapshot][] = [];
  const add = (collection: string, snapshots: DocumentSnapshot[]) => {
    for (const snapshot of snapshots) if (snapshot.exists) found.push([`${collection}.schema.json`, snapshot]);
  };
  for (const chatId of chatIds) {
    const chat = db.collection(collections.chats).doc(chatId);
    add(collections.chats, [await chat.get()]);
    for (const sub of [collections.members, collections.hidden, collections.reactions, collections.votes, collections.typing]) {
      add(sub, (await chat.collection(sub).get()).docs);
    }
    for (const sent of (await chat.collection(collections.messages).get()).docs) {
      add(collections.messages, [sent]);
      add(collections.edits, (await sent.ref.collection(collections.edits).get()).docs);
    }
    for (const thread of (await chat.collection(collections.threads).get()).docs) {
      add(collections.threads, [thread]);
      add(collections.replies, (await thread.ref.collection(collections.replies).get()).docs);
    }
  }
  const perUser = [
    collections.users,
    collections.presence,
    collections.userSettings,
    collections.externalEvents,
    collections.personalExports,
  ];
  for (const user of users) {
    for (const name of perUser) add(name, [await db.collection(name).doc(user.uid).get()]);
    add(collections.blocks, (await db.collection(collections.blocks).where("blocker", "==", user.uid).get()).docs);
  }
  return found;
}

describe("the Firestore doc schemas (schemas/firestore/)", () => {
  it("when every kind of doc a client reads is written by real operations, then each validates against its schema", async () => {
    const [ana, ben, cy, dan] = await signUpMany("Ana", "Ben", "Cy", "Dan");
    await verifyEmails(ana, dan);
    const directId = await directChat(ana, ben);
    const roomId = await room(ana, ben, cy, directId);
    const others = await endedAndRequested(ana, cy, dan);
    await userState(ana, ben, cy);

    const validators = docValidators();
    const docs = await docsToCheck([directId, roomId, ...others], [ana, ben, cy, dan]);
    const errors = docs.flatMap(([file, snapshot]) =>
      schemaErrors(validators[file], jsonOfDoc(snapshot.data())).map((error) => `${snapshot.ref.path}: ${error}`),
    );
    expect(errors).toEqual([]);
    const kinds = new Map<string, number>();
    for (const [file] of docs) kinds.set(file, (kinds.get(file) ?? 0) + 1);
    expect([...kinds.keys()].sort(), "every schema met at least one real doc").toEqual(Object.keys(validators).sort());
    const chats = docs.filter(([file]) => file === "chats.schema.json").map(([, snapshot]) => snapshot.data() ?? {});
    expect(chats.map((chat) => [chat.status, "export" in chat, "request" in chat])).toEqual([
      ["active", false, false],
      ["active", false, false],
      ["ended", true, false],
      ["active", false, true],
    ]);
  }, 300_000);
});
