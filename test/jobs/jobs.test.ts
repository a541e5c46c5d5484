import { describe, expect, it } from "vitest";
import { objectDeleter, prefixDeleter } from "../../functions/src/files/delete-objects.js";
import { deleteExpiredMessages } from "../../functions/src/jobs/delete-expired-messages.js";
import { purgeEndedChats } from "../../functions/src/jobs/purge-ended-chats.js";
import { adminBucket, adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { upload } from "../helpers/files.js";
import { signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

const DAY_MS = 86_400_000;
// Test data is dated in 1999/2000 and the jobs run with a cutoff of 2001-01-01, so that they
// never touch what other tests (or the demo data) wrote.
const cutoff = Date.UTC(2001, 0, 1);
const daysBeforeNow = (now: Date) => (now.getTime() - cutoff) / DAY_MS;
const longAgo = (day: number) => new Date(Date.UTC(2000, 0, day));
const messageRef = (chatId: string, number: number) =>
  adminDb().doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`);

describe("retention job", () => {
  it("when messages are older than RETENTION_DAYS, then they and their files are deleted, newer ones kept, previews consistent", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const mixed = await createChat(alice, bob);
    const allOld = await createChat(alice, carol);
    await upload(alice, mixed, { bytes: Buffer.from("old file"), filename: "old.txt" });
    await send(bob, mixed, "old text");
    await send(alice, mixed, "recent");
    await send(carol, allOld, "ancient");
    for (const [chatId, number, day] of [
      [mixed, 1, 1],
      [mixed, 2, 2],
      [allOld, 1, 3],
    ] as const) {
      await messageRef(chatId, number).update({ createdAt: longAgo(day) });
    }
    const now = new Date();

    const report = await deleteExpiredMessages(adminDb(), {
      deleteObjects: objectDeleter(adminBucket()),
      now,
      retentionDays: daysBeforeNow(now),
    });

    expect(report).toEqual({ deletedMessages: 3, deletedObjects: 1, previewsCleared: 1, done: true });
    expect((await messageRef(mixed, 1).get()).exists).toBe(false);
    expect((await messageRef(mixed, 2).get()).exists).toBe(false);
    expect((await messageRef(mixed, 3).get()).get("text")).toBe("recent");
    expect(await objectNames(`chats/${mixed}/`)).toEqual([]);
    const mixedChat = (await adminDb().doc(`chats/${mixed}`).get()).data();
    expect(mixedChat).toMatchObject({ messageCount: 3, lastMessage: { number: 3, preview: "recent" } });
    const oldChat = (await adminDb().doc(`chats/${allOld}`).get()).data();
    expect(oldChat).toMatchObject({ messageCount: 1, lastMessage: null });
    expect((await send(carol, allOld, "new life")).number).toBe(2);
  });

  it("when other collections in the project are named messages, then the job leaves them alone and still finishes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "old");
    await messageRef(chatId, 1).update({ createdAt: longAgo(20) });
    const topLevel = adminDb().collection("messages").doc();
    const otherApp = adminDb().collection("notes").doc().collection("messages").doc();
    for (const ref of [topLevel, otherApp]) await ref.set({ text: "not Parley's", createdAt: longAgo(19) });
    const now = new Date();

    const report = await deleteExpiredMessages(adminDb(), {
      deleteObjects: objectDeleter(adminBucket()),
      now,
      retentionDays: daysBeforeNow(now),
      batchSize: 1,
    });

    expect(report.done).toBe(true);
    expect((await messageRef(chatId, 1).get()).exists).toBe(false);
    expect((await topLevel.get()).exists).toBe(true);
    expect((await otherApp.get()).exists).toBe(true);
  });

  it("when the job stops at its deadline, then the next run carries on where it stopped; RETENTION_DAYS 0 keeps everything", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (let i = 1; i <= 5; i++) await send(alice, chatId, `m${i}`);
    for (let i = 1; i <= 5; i++) await messageRef(chatId, i).update({ createdAt: longAgo(10 + i) });
    const now = new Date();
    const run = (options: { deadline?: Date }) =>
      deleteExpiredMessages(adminDb(), {
        deleteObjects: objectDeleter(adminBucket()),
        now,
        retentionDays: daysBeforeNow(now),
        batchSize: 2,
        ...options,
      });

    const keepAll = await deleteExpiredMessages(adminDb(), {
      deleteObjects: objectDeleter(adminBucket()),
      now,
      retentionDays: 0,
    });
    const first = await run({ deadline: new Date(0) });
    const second = await run({});

    expect(keepAll).toEqual({ deletedMessages: 0, deletedObjects: 0, previewsCleared: 0, done: true });
    expect(first).toMatchObject({ deletedMessages: 2, done: false });
    expect(second).toMatchObject({ deletedMessages: 3, done: true });
    expect((await adminDb().collection(`chats/${chatId}/messages`).get()).size).toBe(0);
  });
});

describe("purge job", () => {
  it("when a chat ended longer ago than PURGE_ENDED_AFTER_DAYS, then it goes with every subcollection, file, export and badge share", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const oldRoom = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Old" } });
    const roomId = oldRoom.body.chat.id;
    await api(bob, "POST", "/rooms/join", { body: { inviteCode: oldRoom.body.inviteCode } });
    await upload(bob, roomId, { bytes: Buffer.from("attachment"), filename: "a.txt", clientMessageId: "c1" });
    await api(alice, "POST", `/chats/${roomId}/messages/1/hide`);
    await api(alice, "POST", `/chats/${roomId}/end`);
    await eventually(async () => {
      if (!(await adminDb().doc(`chats/${roomId}`).get()).get("export")) throw new Error("no export yet");
    });
    const badgeKeys = async () =>
      Object.keys((await adminDb().doc(`users-external-event/${alice.uid}`).get()).get("badge") ?? {});
    await eventually(async () => expect(await badgeKeys()).toContain(roomId));
    await adminDb()
      .doc(`chats/${roomId}`)
      .update({ endedAt: longAgo(1) });
    const recentlyEnded = await createChat(alice, carol);
    await send(alice, recentlyEnded, "bye");
    await api(alice, "POST", `/chats/${recentlyEnded}/end`);
    const active = await createChat(bob, carol);
    await send(bob, active, "still here");
    expect(await objectNames(`exports/${roomId}/`)).toHaveLength(1);
    const now = new Date();

    const report = await purgeEndedChats(adminDb(), {
      deletePrefix: prefixDeleter(adminBucket()),
      now,
      afterDays: daysBeforeNow(now),
    });

    expect(report).toEqual({ deletedChats: 1, done: true });
    expect((await adminDb().doc(`chats/${roomId}`).get()).exists).toBe(false);
    for (const sub of ["messages", "client-messages", "hidden"]) {
      expect((await adminDb().collection(`chats/${roomId}/${sub}`).get()).size).toBe(0);
    }
    expect(await objectNames(`chats/${roomId}/`)).toEqual([]);
    expect(await objectNames(`exports/${roomId}/`)).toEqual([]);
    expect((await adminDb().doc(`invites/${oldRoom.body.inviteCode}`).get()).exists).toBe(false);
    expect((await adminDb().doc(`ended-chats/${roomId}`).get()).exists).toBe(false);
    // The room left its members' app badges.
    expect(await badgeKeys()).not.toContain(roomId);
    expect((await adminDb().doc(`chats/${recentlyEnded}`).get()).exists).toBe(true);
    expect((await adminDb().doc(`chats/${active}`).get()).exists).toBe(true);
  });
});
