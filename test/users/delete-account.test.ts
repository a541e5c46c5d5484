import type { WriteBatch } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { erasureId, resumeStalledErasures, runErasurePage, startErasure } from "../../functions/src/accounts/erase-account.js";
import { sweeps } from "../../functions/src/accounts/sweeps.js";
import { adminAuth, adminBucket, adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { apiBase, firestoreHost, projectId, withoutBackgroundTriggers } from "../helpers/emulators.js";
import { withBatches } from "../helpers/counting-firestore.js";
import { upload } from "../helpers/files.js";
import { eventually } from "../helpers/wait.js";
import { makeModerator, signUpMany, verifyEmails, type TestUser } from "../helpers/users.js";

// What deleting an account leaves: the walk reads every doc of every collection and
// subcollection (one kindless query over the whole database) and every Storage object's name
// and metadata (and the contents of chat exports and personal exports), and finds the uid
// nowhere but in the id of a 1:1 chat the other member keeps.

/** A user with a bit of everything: a 1:1 chat (a request), a room they host, files, threads, votes, exports... */
interface World {
  gone: TestUser;
  other: TestUser;
  third: TestUser;
  fourth: TestUser;
  directId: string;
  /** A 1:1 chat that ended with a CSV export (`exports/{endedId}/…`) and its mails. */
  endedId: string;
  roomId: string;
  filePath: string;
}

type Sent = { message: { number: number } };

/** Builds a {@link World}: every kind of doc that holds the user's uid. */
async function buildWorld(): Promise<World> {
  const [gone, other, third, fourth] = await signUpMany("Gone", "Other", "Third", "Fourth");
  await verifyEmails(gone, fourth);
  const directId = await createChat(gone, other);
  const first = await send(gone, directId, "hi");
  await api(other, "POST", `/chats/${directId}/messages`, {
    body: { text: "hey you", replyTo: first.number, mentions: [gone.uid] },
  });
  const room = await api<{ chat: { id: string }; inviteCode: string }>(gone, "POST", "/rooms", {
    body: { title: "Gone's room" },
  });
  const roomId = room.body.chat.id;
  for (const user of [other, third, fourth])
    await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  const own = await send(gone, roomId, "room hi");
  const theirs = await api<Sent>(other, "POST", `/chats/${roomId}/messages`, {
    body: { text: "hi Gone", replyTo: own.number, mentions: [gone.uid] },
  });
  const otherNumber = theirs.body.message.number;
  const poll = await api<Sent>(gone, "POST", `/chats/${roomId}/messages`, {
    body: { poll: { question: "Lunch?", options: ["Yes", "No"] } },
  });
  for (const user of [gone, other]) await api(user, "POST", `/chats/${roomId}/messages/${poll.body.message.number}/votes/0`);
  const thumb = encodeURIComponent("👍");
  await api(gone, "POST", `/chats/${roomId}/messages/${otherNumber}/reactions/${thumb}`);
  await api(other, "POST", `/chats/${roomId}/messages/${own.number}/reactions/${thumb}`);
  await api(gone, "POST", `/chats/${roomId}/messages`, { body: { text: "in thread", threadOf: otherNumber } });
  await api(other, "POST", `/chats/${roomId}/messages`, {
    body: { text: "thread reply", threadOf: own.number, mentions: [gone.uid] },
  });
  const file = await upload(gone, roomId, { bytes: Buffer.from("a file of Gone's"), filename: "note.txt", type: "text/plain" });
  const fileNumber = String(file.body.message.number).padStart(10, "0");
  const filePath = String((await adminDb().doc(`chats/${roomId}/messages/${fileNumber}`).get()).get("file.path"));
  await api(gone, "POST", "/blocks", { body: { uid: third.uid } });
  await api(third, "POST", "/blocks", { body: { uid: gone.uid } });
  await api(gone, "POST", `/chats/${roomId}/messages/${otherNumber}/report`, { body: { reason: "rude" } });
  await api(other, "POST", `/chats/${roomId}/messages/${own.number}/report`, { body: { reason: "spam" } });
  await api(other, "POST", `/users/${gone.uid}/mute`);
  await api(gone, "POST", "/devices", { body: { token: `erase-${gone.uid}`, platform: "ios" } });
  await api(gone, "POST", "/presence", { body: {} });
  await api(gone, "POST", `/chats/${roomId}/typing`, { body: { typing: true } });
  await api(gone, "PATCH", "/me/settings", { body: { readReceipts: false } });
  await api(gone, "POST", `/chats/${roomId}/messages/${otherNumber}/hide`);
  const endedId = await endedChatWithExport(gone, fourth);
  await personalExportReady(gone);
  return { gone, other, third, fourth, directId, endedId, roomId, filePath };
}

/** A 1:1 chat of `gone` and `fourth` that both wrote in, ended: waits for its CSV export and mails. */
async function endedChatWithExport(gone: TestUser, fourth: TestUser): Promise<string> {
  const chatId = await createChat(gone, fourth);
  await send(gone, chatId, "so long");
  await send(fourth, chatId, "bye Gone");
  await api(fourth, "POST", `/chats/${chatId}/end`);
  await eventually(async () => {
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("export.path")).toMatch(/^exports\//);
    const mails = await adminDb().collection("mail").where("uid", "==", gone.uid).get();
    expect(mails.size).toBe(1);
  }, 60_000);
  return chatId;
}

/** Asks for `user`'s personal export and waits until its ZIP is ready and mailed. */
async function personalExportReady(user: TestUser): Promise<void> {
  expect((await api(user, "POST", "/me/export")).status).toBe(201);
  await eventually(
    async () => expect((await adminDb().doc(`personal-exports/${user.uid}`).get()).get("status")).toBe("ready"),
    60_000,
    500,
  );
}

/** A page of the REST `runQuery` answer: a document, or only a read time. */
type RunQueryRow = { document?: { name: string; fields?: unknown } };

/**
 * Every doc in the database, path and data (REST encoding: map keys and values both show), read
 * with one kindless collection-group query (`allDescendants` from the root: every collection at
 * every depth) in pages of 2,000 by name, so the walk costs a few requests however much earlier
 * test files wrote.
 */
async function walkDocs(): Promise<{ path: string; data: string }[]> {
  const documents = `projects/${projectId}/databases/(default)/documents`;
  const found: { path: string; data: string }[] = [];
  let after: string | null = null;
  for (;;) {
    const structuredQuery: Record<string, unknown> = {
      from: [{ allDescendants: true }],
      orderBy: [{ field: { fieldPath: "__name__" } }],
      limit: 2000,
      ...(after && { startAt: { values: [{ referenceValue: after }], before: false } }),
    };
    const response: Response = await fetch(`http://${firestoreHost}/v1/${documents}:runQuery`, {
      method: "POST",
      headers: { authorization: "Bearer owner", "content-type": "application/json" },
      body: JSON.stringify({ structuredQuery }),
    });
    expect(response.status).toBe(200);
    const page: { name: string; fields?: unknown }[] = ((await response.json()) as RunQueryRow[]).flatMap((row) =>
      row.document ? [row.document] : [],
    );
    for (const doc of page) found.push({ path: doc.name.slice(documents.length + 1), data: JSON.stringify(doc.fields ?? {}) });
    if (page.length < 2000) return found;
    after = page[page.length - 1].name;
  }
}

/** Objects whose contents the walk reads too: chat exports, CSV naming senders by uid (a data export is a ZIP: its name holds the uid). */
const readContents = (name: string) => name.startsWith("exports/");

/**
 * Where `uid` is left: doc paths, doc fields (keys too), Storage objects' names and metadata
 * (and contents, for exports), the 1:1 chat ids `allowed` set aside.
 */
async function leftovers(uid: string, allowed: string[]): Promise<string[]> {
  const clean = (text: string) => allowed.reduce((rest, id) => rest.split(id).join(""), text);
  const docs = await walkDocs();
  const [files] = await adminBucket().getFiles();
  const objects = await Promise.all(
    files.map(async (file) => {
      const contents = readContents(file.name) ? (await file.download())[0].toString("utf8") : "";
      return { path: `storage:${file.name}`, data: JSON.stringify(file.metadata) + contents };
    }),
  );
  return [...docs, ...objects]
    .filter(({ path, data }) => clean(path + data).includes(uid))
    .map(({ path, data }) => `${path} ${clean(data)}`);
}

/** Waits for `uid`'s erasure job to be done. */
async function erased(uid: string): Promise<void> {
  await eventually(async () => {
    const job = await adminDb()
      .doc(`account-deletions/${erasureId(uid)}`)
      .get();
    expect(job.get("state")).toBe("done");
  }, 120_000);
}

/** What the others keep: their 1:1 history from "deleted-user", the room with a new host. */
async function expectOthersKeep(world: World): Promise<void> {
  const history = await api<{ messages: { from: string | null; text: string }[] }>(
    world.other,
    "GET",
    `/chats/${world.directId}/messages`,
  );
  expect(history.status).toBe(200);
  expect(history.body.messages.map((message) => message.from)).toContain("deleted-user");
  const room = await adminDb().doc(`chats/${world.roomId}`).get();
  expect(room.get("host")).toBe(world.other.uid);
  const csv = await fetch(`${apiBase}/chats/${world.endedId}/export`, {
    headers: { authorization: `Bearer ${world.fourth.token}` },
  });
  expect(csv.status).toBe(200);
  expect(await csv.text()).toContain(",deleted-user,");
}

// A world takes its exports (a chat's CSV, the personal ZIP) and the erasure its 38 pages, each a trigger run.
describe("deleting an account", { timeout: 240_000 }, () => {
  it("when a user deletes their account through the API, then nothing holds their uid but the 1:1 chat's id, and the others keep their history", async () => {
    const world = await buildWorld();
    // The walk sees the uid where it is before: docs, mails, Storage names and export contents.
    // Other's data export quotes and mentions Gone: it is withdrawn with Gone's account.
    await personalExportReady(world.other);
    expect((await adminDb().doc(`personal-exports/${world.other.uid}`).get()).get("others")).toContain(world.gone.uid);
    const before = await leftovers(world.gone.uid, [world.directId, world.endedId]);
    for (const place of [
      `users/${world.gone.uid} `,
      "mail/",
      `storage:personal-exports/${world.gone.uid}/`,
      `storage:exports/`,
      `chats/${world.roomId}/rosters/`,
      `user-settings/${world.other.uid} `,
    ]) {
      expect(before.some((line) => line.startsWith(place))).toBe(true);
    }

    const deleted = await api<{ deletion: { id: string; state: string; started: boolean } }>(world.gone, "DELETE", "/me");

    expect(deleted.status).toBe(200);
    expect(deleted.body.deletion).toMatchObject({ id: erasureId(world.gone.uid), started: true });
    await erased(world.gone.uid);
    await expect(adminAuth().getUser(world.gone.uid)).rejects.toMatchObject({ code: "auth/user-not-found" });
    expect((await adminDb().doc(`personal-exports/${world.other.uid}`).get()).exists).toBe(false);
    expect(await objectNames(`personal-exports/${world.other.uid}/`)).toEqual([]);
    expect(await leftovers(world.gone.uid, [world.directId, world.endedId])).toEqual([]);
    await expectOthersKeep(world);
    const job = (
      await adminDb()
        .doc(`account-deletions/${erasureId(world.gone.uid)}`)
        .get()
    ).data();
    expect(job).toMatchObject({ requestedBy: "self", messages: "anonymise" });
  });

  it("when a user is deleted in Firebase Auth, then the same erasure runs and leaves no uid", async () => {
    const world = await buildWorld();

    await adminAuth().deleteUser(world.gone.uid);

    await erased(world.gone.uid);
    expect(await leftovers(world.gone.uid, [world.directId, world.endedId])).toEqual([]);
    await expectOthersKeep(world);

    // Then the other member of their 1:1 chat goes too: no one keeps that chat, so it goes whole.
    await adminAuth().deleteUser(world.other.uid);
    await erased(world.other.uid);
    expect(await leftovers(world.other.uid, [])).toEqual([]);
    expect(await leftovers(world.gone.uid, [world.endedId])).toEqual([]);
  });

  it("when a job's events gave up, then the sweep drives the stalled job on to the end", async () => {
    const [stuck, friend] = await signUpMany("Stuck", "Friend");
    await send(stuck, await createChat(stuck, friend), "before the outage");
    const id = erasureId(stuck.uid);
    await withoutBackgroundTriggers(async () => {
      await startErasure(adminDb(), { now: new Date(), uid: stuck.uid, requestedBy: "auth", messages: "anonymise" });
      await adminDb()
        .doc(`account-deletions/${id}`)
        .update({ updatedAt: new Date(Date.now() - 60 * 60_000) });
    });

    expect(await resumeStalledErasures(adminDb(), new Date())).toBeGreaterThanOrEqual(1);

    await erased(stuck.uid);
  });

  it("when a moderator deletes a user, then the erasure runs, audited without the uid", async () => {
    const world = await buildWorld();
    const [moderator] = await signUpMany("Moderator");
    const mod = await makeModerator(moderator);
    const refused = await api(world.other, "DELETE", `/users/${world.third.uid}`);
    expect(refused.status).toBe(403);
    const marker = await api<{ error: { code: string } }>(mod, "DELETE", "/users/deleted-user");
    expect(marker).toMatchObject({ status: 400, body: { error: { code: "invalid-argument" } } });
    const filed = await adminDb().collection("reports").where("reporter", "==", world.gone.uid).get();
    expect((await api(mod, "POST", `/reports/${filed.docs[0].id}/resolve`, { body: {} })).status).toBe(200);

    const deleted = await api(mod, "DELETE", `/users/${world.gone.uid}`);

    expect(deleted.status).toBe(200);
    await erased(world.gone.uid);
    expect(await leftovers(world.gone.uid, [world.directId, world.endedId])).toEqual([]);
    const audit = await adminDb().collection("moderation-audit").where("account", "==", erasureId(world.gone.uid)).get();
    expect(audit.docs.map((doc) => doc.data())).toMatchObject([{ moderator: mod.uid, action: "delete-account" }]);
  });

  it("when a job with small pages fails part-way under ACCOUNT_DELETION_MESSAGES=delete, then a rerun resumes and completes, files removed", async () => {
    const world = await buildWorld();
    await withoutBackgroundTriggers(async () => {
      await startErasure(adminDb(), { now: new Date(), uid: world.gone.uid, requestedBy: "auth", messages: "delete" });
      const id = erasureId(world.gone.uid);
      const options = { now: new Date(), pageSize: 2, bucket: adminBucket() };
      let commits = 0;
      const failsOnFifth = (batch: WriteBatch): WriteBatch =>
        new Proxy(batch, {
          get(target, property) {
            const value: unknown = Reflect.get(target, property, target);
            if (property !== "commit" || typeof value !== "function") {
              return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
            }
            return async () => {
              if (++commits === 5) throw Object.assign(new Error("injected: the instance died"), { code: 14 });
              return (value as () => Promise<unknown>).call(target);
            };
          },
        });
      const faulty = withBatches(adminDb(), failsOnFifth);
      await expect(async () => {
        for (let page = 0; page < 1000; page++) await runErasurePage(faulty, id, options);
      }).rejects.toThrow("injected");
      let pages = 0;
      while ((await runErasurePage(adminDb(), id, options)) === "more") pages++;
      expect(pages).toBeGreaterThan(sweeps.length);
    });
    const job = (
      await adminDb()
        .doc(`account-deletions/${erasureId(world.gone.uid)}`)
        .get()
    ).data();
    expect(job).toMatchObject({ state: "done" });
    expect(job?.uid).toBeUndefined();
    expect(await leftovers(world.gone.uid, [world.directId, world.endedId])).toEqual([]);
    const [exists] = await adminBucket().file(world.filePath).exists();
    expect(exists).toBe(false);
    const history = await api<{ messages: { from: string | null; text: string; deleted?: boolean }[] }>(
      world.other,
      "GET",
      `/chats/${world.directId}/messages`,
    );
    expect(history.body.messages.find((message) => message.from === "deleted-user")).toMatchObject({ text: "", deleted: true });
  });
});
