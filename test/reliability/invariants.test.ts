import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messagePreview, DELETED_PREVIEW } from "../../functions/src/timeline/preview.js";
import { shareCount, threadKey } from "../../functions/src/timeline/badge.js";
import type { ChatDoc, ExternalEventDoc, FanOutDoc, MemberDoc, MessageDoc, ThreadDoc } from "../../functions/src/shared/model.js";
import { adminBucket, adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { upload } from "../helpers/files.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

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

/** One user's step in the badge run: what they do, where. */
type BadgeOp =
  | { kind: "send-room" }
  | { kind: "send-direct" }
  | { kind: "reply" }
  | { kind: "delete" }
  | { kind: "read-room" }
  | { kind: "read-direct"; partial: boolean }
  | { kind: "read-thread" }
  | { kind: "mute" }
  | { kind: "unmute" }
  | { kind: "leave-and-rejoin" }
  | { kind: "remove-and-readmit" };

const senderOp: fc.Arbitrary<BadgeOp> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "send-room" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "send-direct" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "reply" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "delete" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "leave-and-rejoin" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "read-room" as const }) },
);
const readerOp: fc.Arbitrary<BadgeOp> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "read-room" as const }) },
  { weight: 3, arbitrary: fc.boolean().map((partial) => ({ kind: "read-direct" as const, partial })) },
  { weight: 1, arbitrary: fc.constant({ kind: "read-thread" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "mute" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "unmute" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "send-room" as const }) },
);
const hostOp: fc.Arbitrary<BadgeOp> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "send-room" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "remove-and-readmit" as const }) },
);

/** Where the badge run happens: a room with a thread, and each sender's 1:1 chat with the reader. */
interface BadgeWorld {
  host: TestUser;
  reader: TestUser;
  senders: TestUser[];
  roomId: string;
  inviteCode: string;
  parent: number;
  direct: Map<string, string>;
}

/** Runs `user`'s steps in order; refusals (4xx) are expected, a 5xx never is. */
async function runBadgeOps(world: BadgeWorld, user: TestUser, ops: BadgeOp[], statuses: number[]) {
  const { roomId } = world;
  const mine: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await api<{ message?: { number: number } }>(user, method, path, body === undefined ? {} : { body });
    statuses.push(response.status);
    return response;
  };
  const directOf = (uid: string) => world.direct.get(uid) ?? "";
  for (const next of ops) {
    switch (next.kind) {
      case "send-room":
      case "send-direct": {
        const chatId = next.kind === "send-room" ? roomId : directOf(user.uid);
        const sent = await call("POST", `/chats/${chatId}/messages`, { text: next.kind });
        if (sent.body.message) mine.push(`${chatId}/${sent.body.message.number}`);
        break;
      }
      case "reply":
        await call("POST", `/chats/${roomId}/messages`, { threadOf: world.parent, text: "reply" });
        break;
      case "delete": {
        const last = mine.pop();
        if (last) await call("DELETE", `/chats/${last.split("/")[0]}/messages/${last.split("/")[1]}`);
        break;
      }
      case "read-room":
        await call("POST", `/chats/${roomId}/read`, {});
        break;
      case "read-direct":
        for (const chatId of world.direct.values()) {
          const count = (await adminDb().doc(`chats/${chatId}`).get()).get("messageCount") as number;
          await call("POST", `/chats/${chatId}/read`, next.partial ? { upTo: Math.max(0, count - 1) } : {});
        }
        break;
      case "read-thread":
        await call("POST", `/chats/${roomId}/messages/${world.parent}/thread/read`);
        break;
      case "mute":
      case "unmute":
        await call("POST", `/chats/${directOf(world.senders[0].uid)}/${next.kind}`, next.kind === "mute" ? {} : undefined);
        break;
      case "leave-and-rejoin":
        await call("POST", `/rooms/${roomId}/leave`);
        await call("POST", "/rooms/join", { inviteCode: world.inviteCode });
        break;
      case "remove-and-readmit": {
        const target = world.senders[1];
        await call("DELETE", `/rooms/${roomId}/members/${target.uid}`);
        await call("DELETE", `/rooms/${roomId}/bans/${target.uid}`);
        break;
      }
    }
  }
}

/** Waits until every fan-out of the room's messages is done (the badge counts there). */
async function fannedOut(roomId: string) {
  await eventually(async () => {
    const sent = (await adminDb().collection(`chats/${roomId}/messages`).where("type", "!=", "system").get()).docs.map(
      (doc) => doc.get("number") as number,
    );
    const markers = (await adminDb().collection("fan-outs").where("chatId", "==", roomId).get()).docs.map(
      (doc) => doc.data() as FanOutDoc,
    );
    const done = new Set(markers.filter((marker) => marker.state === "done").map((marker) => marker.number));
    expect(markers.filter((marker) => marker.state !== "done")).toEqual([]);
    expect(sent.filter((number) => !done.has(number))).toEqual([]);
  }, 60_000);
}

/** Counted unread: messages after `after` from someone else (not system messages). */
const countedAfter = (messages: MessageDoc[], after: number, uid: string) =>
  messages.filter((m) => m.number > after && m.from !== null && m.from !== uid && m.type !== "system").length;

/**
 * Checks `user`'s badge: `unreadTotal` is the sum of its shares; each share is what the user has
 * unread there; the muted chat counts nothing while muted and at most its unread otherwise.
 */
async function checkBadge(world: BadgeWorld, user: TestUser, mutedChat: string) {
  const event = ((await adminDb().doc(`users-external-event/${user.uid}`).get()).data() ?? {}) as Partial<ExternalEventDoc>;
  const badge = event.badge ?? {};
  const shares = Object.values(badge).reduce((sum, share) => sum + shareCount(share), 0);
  expect(event.unreadTotal ?? 0).toBe(shares);
  const messagesOf = async (path: string) =>
    (await adminDb().collection(path).orderBy("number").get()).docs.map((doc) => doc.data() as MessageDoc);
  const member = (await adminDb().doc(`chats/${world.roomId}/members/${user.uid}`).get()).data() as MemberDoc | undefined;
  const roomMessages = await messagesOf(`chats/${world.roomId}/messages`);
  const expected: Record<string, number> = {
    [world.roomId]: member ? countedAfter(roomMessages, member.lastRead, user.uid) : 0,
  };
  const thread = (
    await adminDb()
      .doc(`chats/${world.roomId}/threads/${String(world.parent).padStart(10, "0")}`)
      .get()
  ).data() as ThreadDoc | undefined;
  if (member && thread?.participants.includes(user.uid)) {
    const replies = await messagesOf(`chats/${world.roomId}/threads/${String(world.parent).padStart(10, "0")}/replies`);
    const unread = countedAfter(replies, thread.read[user.uid] ?? 0, user.uid);
    const key = threadKey(world.roomId, world.parent);
    // A leave clears the thread's share; replies around a rejoin may or may not count.
    if (world.senders.includes(user)) expect(shareCount(badge[key])).toBeLessThanOrEqual(unread);
    else expected[key] = unread;
  }
  for (const chatId of new Set(world.direct.values())) {
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data() as ChatDoc;
    if (!chat.members?.includes(user.uid)) continue;
    const unread = countedAfter(await messagesOf(`chats/${chatId}/messages`), chat.lastRead?.[user.uid] ?? 0, user.uid);
    // The muted chat counts nothing while muted. After an unmute its share keeps the mute's end
    // (`mutedUntil` in the past) and counts what came after it: at most the unread count.
    const mutedUntil = badge[chatId]?.mutedUntil;
    const mutedNow = mutedUntil === null || (mutedUntil !== undefined && mutedUntil.toMillis() > Date.now());
    if (chatId !== mutedChat || user.uid !== world.reader.uid) expected[chatId] = unread;
    else if (mutedNow) expected[chatId] = 0;
    else expect(shareCount(badge[chatId])).toBeLessThanOrEqual(unread);
  }
  for (const [key, count] of Object.entries(expected)) expect([key, shareCount(badge[key])]).toEqual([key, count]);
}

describe("the app badge under mixed concurrent operations", () => {
  it("when users send, reply, delete, read, mute, leave and are removed at once, then every badge is the sum of exactly what each has unread", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(readerOp, { minLength: 3, maxLength: 6 }),
        fc.array(fc.array(senderOp, { minLength: 3, maxLength: 6 }), { minLength: 2, maxLength: 2 }),
        fc.array(hostOp, { minLength: 2, maxLength: 4 }),
        async (readerOps, senderOps, hostOps) => {
          const [host, reader, ...senders] = await signUpMany("Hal", "Ann", "Bob", "Cid");
          const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", {
            body: { title: "Badges" },
          });
          const { inviteCode } = room.body;
          const roomId = room.body.chat.id;
          for (const user of [reader, ...senders]) await api(user, "POST", "/rooms/join", { body: { inviteCode } });
          const parent = (
            await api<{ message: { number: number } }>(reader, "POST", `/chats/${roomId}/messages`, { body: { text: "thread?" } })
          ).body.message.number;
          const direct = new Map<string, string>();
          for (const sender of senders) direct.set(sender.uid, await createChat(sender, reader));
          const world: BadgeWorld = { host, reader, senders, roomId, inviteCode, parent, direct };
          const statuses: number[] = [];

          await Promise.all([
            runBadgeOps(world, reader, readerOps, statuses),
            ...senders.map((sender, i) => runBadgeOps(world, sender, senderOps[i], statuses)),
            runBadgeOps(world, host, hostOps, statuses),
          ]);
          await fannedOut(roomId);

          expect(statuses.filter((status) => status >= 500)).toEqual([]);
          const mutedChat = direct.get(senders[0].uid) ?? "";
          for (const user of [host, reader, ...senders]) await checkBadge(world, user, mutedChat);
          // Everyone reads everything: every badge is 0.
          await api(reader, "POST", `/chats/${mutedChat}/unmute`);
          for (const user of [host, reader, ...senders]) {
            await api(user, "POST", `/chats/${roomId}/read`, { body: {} });
            await api(user, "POST", `/chats/${roomId}/messages/${parent}/thread/read`);
            for (const chatId of direct.values()) await api(user, "POST", `/chats/${chatId}/read`, { body: {} });
          }
          for (const user of [host, reader, ...senders]) {
            expect((await adminDb().doc(`users-external-event/${user.uid}`).get()).get("unreadTotal") ?? 0).toBe(0);
          }
        },
      ),
      { numRuns: 3, endOnFailure: true },
    );
  }, 300_000);
});
