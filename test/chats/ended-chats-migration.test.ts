import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { migrateEndedChats } from "../../functions/src/chats/migrate-ended-chats.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

const chatDoc = (chatId: string) => adminDb().doc(`chats/${chatId}`);

describe("one name for an ended chat: migrating chats stored before it", () => {
  it("when chats are stored as completed, inactive or without status, then they work as ended or active before the migration, and after it hold status and endedAt only; a pending completion record is exported; a rerun changes nothing", async () => {
    const [alice, bob, carol, dan] = await signUpMany("Alice", "Bob", "Carol", "Dan");
    const [inactive, completed, open] = await Promise.all([
      createChat(alice, bob),
      createChat(alice, carol),
      createChat(alice, dan),
    ]);
    await Promise.all([send(alice, inactive, "one"), send(alice, completed, "two"), send(dan, open, "three")]);
    const completedAt = Timestamp.fromMillis(Date.now() - 60_000);
    // As earlier versions left them: the oldest with `active` only, then `status: "completed"`
    // with its completion record written but not yet exported.
    await chatDoc(inactive).update({ status: FieldValue.delete(), active: false });
    await chatDoc(completed).update({ status: "completed", completedAt, active: false });
    await adminDb().doc(`chat-completions/${completed}`).set({ chatId: completed, completedAt, endedBy: alice.uid });
    await chatDoc(open).update({ status: FieldValue.delete(), active: true });

    const before = await Promise.all(
      [inactive, completed, open].map((chatId) => api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "still?" } })),
    );
    const view = await api<{ chat: { status: string; endedAt: string | null } }>(alice, "GET", `/chats/${completed}`);
    const first = await migrateEndedChats(adminDb());
    const again = await migrateEndedChats(adminDb());

    expect(before.map((response) => response.status)).toEqual([409, 409, 201]);
    expect(view.body.chat).toMatchObject({ status: "ended", endedAt: completedAt.toDate().toISOString() });
    expect(first.migrated).toBeGreaterThanOrEqual(3);
    expect(first.records).toBeGreaterThanOrEqual(1);
    expect(again).toMatchObject({ migrated: 0, records: 0 });
    const stored = await Promise.all([inactive, completed, open].map(async (chatId) => (await chatDoc(chatId).get()).data()));
    expect(stored[0]).toMatchObject({ status: "ended", endedAt: expect.any(Timestamp) });
    expect(stored[1]?.endedAt.toMillis()).toBe(completedAt.toMillis());
    expect(stored[2]).toMatchObject({ status: "active" });
    for (const chat of stored) {
      expect(chat).not.toHaveProperty("active");
      expect(chat).not.toHaveProperty("completedAt");
    }
    expect((await adminDb().doc(`chat-completions/${completed}`).get()).exists).toBe(false);
    const record = (await adminDb().doc(`ended-chats/${completed}`).get()).data();
    expect(record).toMatchObject({ chatId: completed, endedBy: alice.uid });
    expect(record?.endedAt.toMillis()).toBe(completedAt.toMillis());
    // The moved record starts the export the old trigger never ran.
    await eventually(async () => {
      if (!(await chatDoc(completed).get()).get("export")) throw new Error("not exported yet");
    }, 30_000);
    expect((await api(dan, "POST", `/chats/${open}/messages`, { body: { text: "after" } })).status).toBe(201);
    expect((await api(alice, "POST", `/chats/${inactive}/messages`, { body: { text: "after" } })).status).toBe(409);
  });
});
