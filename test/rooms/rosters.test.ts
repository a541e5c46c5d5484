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
