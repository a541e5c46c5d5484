import type { WriteBatch } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { sendThreadReply } from "../../functions/src/messages/thread-reply.js";
import { adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { withBatches } from "../helpers/counting-firestore.js";
import { signUpMany } from "../helpers/users.js";

// A thread reply reads its participants' member docs, then commits one batch that updates them.
// The emulator never lets a member leave in between; this test makes one leave there: the
// batch's first commit deletes that member doc just before it runs, as a leave on another
// instance would.

describe("fault: a thread participant leaves the room while a reply is in flight", () => {
  it("when a participant's member doc goes away between the reply's read and its commit, then the reply reads again and lands, and the leaver stays out", async () => {
    const [host, asker, leaver] = await signUpMany("Host", "Asker", "Leaver");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Race" } });
    const chatId = room.body.chat.id;
    for (const user of [asker, leaver]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const parent = await send(asker, chatId, "who is in?");
    const first = await api(leaver, "POST", `/chats/${chatId}/messages`, { body: { text: "me", threadOf: parent.number } });
    expect(first.status).toBe(201);

    const leaverDoc = adminDb().doc(`chats/${chatId}/members/${leaver.uid}`);
    let commits = 0;
    const leavesOnFirstCommit = (batch: WriteBatch): WriteBatch =>
      new Proxy(batch, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property !== "commit" || typeof value !== "function") {
            return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
          }
          return async () => {
            if (++commits === 1) await leaverDoc.delete();
            return (value as () => Promise<unknown>).call(target);
          };
        },
      });

    const result = await sendThreadReply(withBatches(adminDb(), leavesOnFirstCommit), {
      now: new Date(),
      senderUid: host.uid,
      chatId,
      threadOf: parent.number,
      text: "me too",
    });

    expect(result).toMatchObject({ created: true, message: { number: 2, threadOf: parent.number } });
    expect(result.attempts).toBe(2);
    expect((await leaverDoc.get()).exists).toBe(false);
    const threadDoc = (await adminDb().doc(`chats/${chatId}/threads/${parent.id}`).get()).data();
    expect(threadDoc).toMatchObject({ replyCount: 2 });
    const asked = (await adminDb().doc(`chats/${chatId}/members/${asker.uid}`).get()).data();
    expect(asked?.threadsUnread).toBe(1);
  });
});
