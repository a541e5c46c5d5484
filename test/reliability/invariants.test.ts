import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messagePreview, DELETED_PREVIEW } from "../../functions/src/timeline/preview.js";
import type { ChatDoc, MemberDoc, MessageDoc } from "../../functions/src/shared/model.js";
import { adminBucket, adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { upload } from "../helpers/files.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

type Op =
  | { kind: "send"; text: string }
  | { kind: "file"; text: string }
  | { kind: "edit"; text: string }
  | { kind: "delete" }
  | { kind: "forward" }
  | { kind: "read" }
  | { kind: "leave-and-rejoin" };

const text = fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim().length > 0);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => ({ kind: "send" as const, text: t })) },
  { weight: 1, arbitrary: text.map((t) => ({ kind: "file" as const, text: t })) },
  { weight: 2, arbitrary: text.map((t) => ({ kind: "edit" as const, text: t })) },
  { weight: 2, arbitrary: fc.constant({ kind: "delete" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "forward" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "read" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "leave-and-rejoin" as const }) },
);

/** Runs one user's operations in order; refusals (4xx) are expected, a 5xx never is. */
async function runOps(user: TestUser, ops: Op[], room: string, inviteCode: string, forwardTo: string, statuses: number[]) {
  const mine: number[] = [];
  const record = (response: { status: number; body: unknown }) => {
    statuses.push(response.status);
    const number = (response.body as { message?: { number?: number } }).message?.number;
    return number;
  };
  for (const next of ops) {
    const last = mine.at(-1);
    switch (next.kind) {
      case "send": {
        const number = record(await api(user, "POST", `/chats/${room}/messages`, { body: { text: next.text } }));
        if (number) mine.push(number);
        break;
      }
      case "file": {
        const response = await upload(user, room, { bytes: Buffer.from(next.text), filename: "f.txt", text: next.text });
        statuses.push(response.status);
        if (response.status === 201) mine.push(response.body.message.number);
        break;
      }
      case "edit":
        if (last) record(await api(user, "PATCH", `/chats/${room}/messages/${last}`, { body: { text: next.text } }));
        break;
      case "delete":
        if (last) record(await api(user, "DELETE", `/chats/${room}/messages/${mine.pop()}`));
        break;
      case "forward":
        if (last) record(await api(user, "POST", `/chats/${room}/messages/${last}/forward`, { body: { toChatId: forwardTo } }));
        break;
      case "read":
        record(await api(user, "POST", `/chats/${room}/read`, { body: {} }));
        break;
      case "leave-and-rejoin":
        record(await api(user, "POST", `/rooms/${room}/leave`));
        record(await api(user, "POST", "/rooms/join", { body: { inviteCode } }));
        break;
    }
  }
}

/** Numbers gapless and unique, counts consistent, lastMessage the newest, files where they belong. */
async function checkInvariants(chatId: string) {
  const chat = (await adminDb().doc(`chats/${chatId}`).get()).data() as ChatDoc;
  const messages = (await adminDb().collection(`chats/${chatId}/messages`).orderBy("number").get()).docs.map(
    (doc) => [doc.id, doc.data() as MessageDoc] as const,
  );
  expect(messages.map(([, m]) => m.number)).toEqual(Array.from({ length: chat.messageCount }, (_, i) => i + 1));
  expect(messages.map(([id]) => Number(id))).toEqual(messages.map(([, m]) => m.number));
  if (chat.type === "room") {
    const members = (await adminDb().collection(`chats/${chatId}/members`).get()).docs.map((doc) => doc.data() as MemberDoc);
    expect(chat.memberCount).toBe(members.length);
    for (const member of members) expect(member.lastRead).toBeLessThanOrEqual(chat.messageCount);
    expect(members.filter((member) => member.role === "host").map((member) => member.uid)).toEqual(chat.host ? [chat.host] : []);
  } else {
    const { members = [], unread = {}, lastRead = {} } = chat;
    for (const uid of members) {
      expect(unread[uid]).toBeGreaterThanOrEqual(0);
      expect(unread[uid]).toBeLessThanOrEqual(chat.messageCount - (lastRead[uid] ?? 0));
    }
    expect(Object.keys(unread).sort()).toEqual([...members].sort());
  }
  const newest = messages.at(-1)?.[1];
  if (newest) {
    expect(chat.lastMessage).toMatchObject({
      number: newest.number,
      from: newest.from,
      preview: newest.deleted ? DELETED_PREVIEW : messagePreview(newest),
    });
  }
  for (const [, message] of messages) {
    if (message.file) expect((await adminBucket().file(message.file.path).exists())[0]).toBe(true);
    if (message.deleted) expect(message.file).toBeUndefined();
  }
}

describe("invariants under mixed concurrent operations", () => {
  it("when several users send, upload, edit, delete, forward, read, leave and rejoin at once, then numbers, counts and previews stay consistent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 3, maxLength: 6 }), { minLength: 4, maxLength: 4 }), async (plans) => {
        const users = await signUpMany("Host", "Ann", "Ben", "Cid");
        const room = await api<{ chat: { id: string }; inviteCode: string }>(users[0], "POST", "/rooms", {
          body: { title: "Busy" },
        });
        const roomId = room.body.chat.id;
        for (const user of users.slice(1)) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
        const forwardTargets = await Promise.all(users.map((user, i) => createChat(user, users[(i + 1) % users.length])));
        const statuses: number[] = [];

        await Promise.all(
          users.map((user, i) => runOps(user, plans[i], roomId, room.body.inviteCode, forwardTargets[i], statuses)),
        );

        expect(statuses.filter((status) => status >= 500)).toEqual([]);
        await checkInvariants(roomId);
        for (const target of forwardTargets) await checkInvariants(target);
        const stillIn = (await adminDb().collection(`chats/${roomId}/members`).get()).docs.map((doc) => doc.id);
        const inRoom = users.filter((u) => stillIn.includes(u.uid));
        for (const user of inRoom) await api(user, "POST", `/chats/${roomId}/read`, { body: {} });
        const after = await Promise.all(
          inRoom.map((user) => api<{ chat: { unreadCount: number } }>(user, "GET", `/chats/${roomId}`)),
        );
        expect(after.map((answer) => answer.body.chat.unreadCount)).toEqual(inRoom.map(() => 0));
      }),
      { numRuns: 3, endOnFailure: true },
    );
  }, 240_000);
});
