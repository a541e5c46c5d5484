import { FieldValue } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// A room's roster (`chats/{roomId}/rosters/{shard}`) is what its fan-out reads instead of one
// doc per member, so it must list exactly the member docs, with their mutes, after every change.

async function createRoom(host: TestUser): Promise<{ chatId: string; inviteCode: string }> {
  const response = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Roster" } });
  expect(response.status).toBe(201);
  return { chatId: response.body.chat.id, inviteCode: response.body.inviteCode };
}

/** The room's roster as uid -> mute (ms since the epoch, `null` until unmuted, `undefined` not muted). */
async function roster(chatId: string): Promise<Record<string, number | null | undefined>> {
  const shards = await adminDb().collection(`chats/${chatId}/rosters`).get();
  const entries = shards.docs.flatMap((shard) =>
    Object.entries(shard.get("members") as Record<string, { mutedUntil?: { toMillis(): number } | null }>),
  );
  return Object.fromEntries(
    entries.map(([uid, entry]) => [uid, entry.mutedUntil === null ? null : entry.mutedUntil?.toMillis()]),
  );
}

/** The room's member docs, in the same shape. */
async function members(chatId: string): Promise<Record<string, number | null | undefined>> {
  const docs = (await adminDb().collection(`chats/${chatId}/members`).get()).docs;
  return Object.fromEntries(
    docs.map((doc) => [doc.id, doc.get("mutedUntil") === null ? null : doc.get("mutedUntil")?.toMillis()]),
  );
}

describe("room rosters", () => {
  it("when members join, mute, unmute, leave and are removed, then the roster lists exactly the member docs and their mutes", async () => {
    const [host, ann, ben, cat, dan] = await signUpMany("Host", "Ann", "Ben", "Cat", "Dan");
    const { chatId, inviteCode } = await createRoom(host);
    for (const user of [ann, ben, cat, dan])
      expect((await api(user, "POST", "/rooms/join", { body: { inviteCode } })).status).toBe(200);
    const until = new Date(Date.now() + 3_600_000);

    expect((await api(ann, "POST", `/chats/${chatId}/mute`, { body: { until: until.toISOString() } })).status).toBe(200);
    expect((await api(ben, "POST", `/chats/${chatId}/mute`, { body: {} })).status).toBe(200);
    expect((await api(cat, "POST", `/chats/${chatId}/mute`, { body: {} })).status).toBe(200);
    expect((await api(cat, "POST", `/chats/${chatId}/unmute`)).status).toBe(200);
    expect((await api(dan, "POST", `/rooms/${chatId}/leave`)).status).toBe(200);
    expect((await api(host, "DELETE", `/rooms/${chatId}/members/${ben.uid}`)).status).toBe(200);

    expect((await adminDb().doc(`chats/${chatId}`).get()).get("rosters")).toBe(true);
    expect(await roster(chatId)).toEqual({ [host.uid]: undefined, [ann.uid]: until.getTime(), [cat.uid]: undefined });
    expect(await roster(chatId)).toEqual(await members(chatId));
  });

  it("when older code removed a member without their roster entry, then the fan-out reads the member docs and does not tell them", async () => {
    const [host, ann, ben] = await signUpMany("Host", "Ann", "Ben");
    const { chatId, inviteCode } = await createRoom(host);
    for (const user of [ann, ben]) expect((await api(user, "POST", "/rooms/join", { body: { inviteCode } })).status).toBe(200);
    // What a leave by a version that doesn't keep rosters (a rollback) leaves behind.
    const batch = adminDb().batch();
    batch.delete(adminDb().doc(`chats/${chatId}/members/${ben.uid}`));
    batch.update(adminDb().doc(`chats/${chatId}`), { memberCount: FieldValue.increment(-1) });
    await batch.commit();
    expect(Object.keys(await roster(chatId))).toContain(ben.uid);

    const message = await send(host, chatId, "only for members");

    await eventually(async () =>
      expect((await adminDb().doc(`users-external-event/${ann.uid}`).get()).get("lastEvent.number")).toBe(message.number),
    );
    await eventually(async () =>
      expect((await adminDb().doc(`fan-outs/${chatId}-${message.number}-0`).get()).get("state")).toBe("done"),
    );
    expect((await adminDb().doc(`users-external-event/${ben.uid}`).get()).get("lastEvent.chatId")).not.toBe(chatId);
  });

  it("when older code added a member without a roster entry, then the fan-out reads the member docs and tells them", async () => {
    const [host, ann, cat] = await signUpMany("Host", "Ann", "Cat");
    const { chatId, inviteCode } = await createRoom(host);
    expect((await api(ann, "POST", "/rooms/join", { body: { inviteCode } })).status).toBe(200);
    const batch = adminDb().batch();
    batch.create(adminDb().doc(`chats/${chatId}/members/${cat.uid}`), {
      uid: cat.uid,
      chatId,
      role: "member",
      joinedAt: new Date(),
      lastRead: 1,
    });
    batch.update(adminDb().doc(`chats/${chatId}`), { memberCount: FieldValue.increment(1) });
    await batch.commit();

    const message = await send(host, chatId, "for all three");

    await eventually(async () => {
      const events = await adminDb().getAll(...[ann, cat].map((user) => adminDb().doc(`users-external-event/${user.uid}`)));
      expect(events.map((event) => event.get("lastEvent.number"))).toEqual([message.number, message.number]);
    });
  });

  it("when twelve users join at once, then the roster holds all of them and the fan-out tells each", async () => {
    const [host, ...joiners] = await signUpMany("Host", ...Array.from({ length: 12 }, (_, i) => `J${i}`));
    const { chatId, inviteCode } = await createRoom(host);

    const answers = await Promise.all(joiners.map((user) => api(user, "POST", "/rooms/join", { body: { inviteCode } })));
    const message = await send(host, chatId, "welcome all");

    expect(answers.map((answer) => answer.status)).toEqual(joiners.map(() => 200));
    expect(Object.keys(await roster(chatId)).sort()).toEqual([host, ...joiners].map((user) => user.uid).sort());
    await eventually(async () => {
      const events = await adminDb().getAll(...joiners.map((user) => adminDb().doc(`users-external-event/${user.uid}`)));
      expect(events.map((event) => event.get("lastEvent.number"))).toEqual(joiners.map(() => message.number));
    });
  });
});
