import AdmZip from "adm-zip";
import { describe, expect, it } from "vitest";
import { buildPersonalExportStep } from "../../functions/src/exports/build-personal-export.js";
import { requestPersonalExport } from "../../functions/src/exports/personal-export.js";
import { adminBucket, adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { withoutBackgroundTriggers } from "../helpers/emulators.js";
import { download, png, upload } from "../helpers/files.js";
import { signUpMany, verifyEmails, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

interface ExportState {
  export: { status: string; messages: number; replies: number; files: number; bytes: number | null };
}

/** Asks for `user`'s export and waits until it is ready; returns its state. */
async function exportReady(user: TestUser): Promise<ExportState["export"]> {
  const started = await api<ExportState>(user, "POST", "/me/export");
  expect(started.status).toBe(201);
  return eventually(
    async () => {
      const state = (await api<ExportState>(user, "GET", "/me/export")).body.export;
      expect(state.status).toBe("ready");
      return state;
    },
    60_000,
    500,
  );
}

/** The ZIP's entries by name. */
function entriesOf(bytes: Buffer): Map<string, Buffer> {
  return new Map(new AdmZip(bytes).getEntries().map((entry) => [entry.entryName, entry.getData()]));
}

const linesOf = (entry: Buffer | undefined) =>
  (entry ?? Buffer.alloc(0))
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("export my data", () => {
  it("when a user asks for their data, then a ZIP of their profile, settings, blocks, memberships, messages, replies and files is mailed and downloads", async () => {
    const [ana, ben, cy] = await signUpMany("Ana", "Ben", "Cy");
    await verifyEmails(ana);
    const chatId = await createChat(ana, ben);
    await send(ana, chatId, "hello Ben");
    const bens = await send(ben, chatId, "not Ana's");
    await api(ana, "POST", `/chats/${chatId}/messages`, { body: { text: "quoting Ben", replyTo: bens.number } });
    const picture = await png(8, 8);
    expect((await upload(ana, chatId, { bytes: picture, filename: "dot.png", type: "image/png", text: "a dot" })).status).toBe(
      201,
    );
    const room = (await api<{ chat: { id: string } }>(ana, "POST", "/rooms", { body: { title: "Ana's room" } })).body.chat;
    const parent = await send(ana, room.id, "a thread");
    await api(ana, "POST", `/chats/${room.id}/messages`, { body: { threadOf: parent.number, text: "my reply" } });
    await api(ana, "POST", "/blocks", { body: { uid: cy.uid } });
    await api(ana, "POST", `/users/${ben.uid}/mute`);

    const state = await exportReady(ana);
    expect(state).toMatchObject({ messages: 4, replies: 1, files: 1 });

    const zip = await download(ana, "/me/export/download");
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.bytes.length).toBe(state.bytes);
    const entries = entriesOf(zip.bytes);
    expect(JSON.parse(entries.get("profile.json")?.toString() ?? "{}")).toMatchObject({
      uid: ana.uid,
      displayName: ana.displayName,
    });
    expect(JSON.parse(entries.get("settings.json")?.toString() ?? "{}")).toHaveProperty(["mutedUsers", ben.uid]);
    expect(JSON.parse(entries.get("blocks.json")?.toString() ?? "[]")).toEqual([
      { blocked: cy.uid, createdAt: expect.any(String) },
    ]);
    const memberships = JSON.parse(entries.get("memberships.json")?.toString() ?? "{}") as Record<string, { chatId: string }[]>;
    expect(memberships.directChats.map((chat) => chat.chatId)).toEqual([chatId]);
    expect(memberships.rooms).toEqual([{ chatId: room.id, role: "host", joinedAt: expect.any(String) }]);
    const messages = linesOf(entries.get("messages.jsonl"));
    expect(messages.map((message) => message.text).sort()).toEqual(["a dot", "a thread", "hello Ben", "quoting Ben"]);
    expect(messages.every((message) => !("from" in message) && !("words" in message))).toBe(true);
    // Nothing of Ben's but his uid: the quote keeps who and which, not his text.
    expect(messages.find((message) => message.text === "quoting Ben")?.reference).toEqual({
      type: "reply",
      chatId,
      number: bens.number,
      from: ben.uid,
      messageType: "text",
    });
    expect(JSON.stringify([...entries.values()].map(String))).not.toContain("not Ana's");
    expect(linesOf(entries.get("replies.jsonl"))).toEqual([
      expect.objectContaining({ chatId: room.id, threadOf: parent.number, text: "my reply" }),
    ]);
    const file = messages.find((message) => message.file)?.file as { zipPath: string };
    expect(entries.get(file.zipPath)?.equals(picture)).toBe(true);

    const mail = (
      await adminDb()
        .doc(`mail/personal-export-${ana.uid}-${await exportId(ana)}`)
        .get()
    ).data();
    expect(mail).toMatchObject({ to: ana.email, message: { subject: "Parley: your data is ready to download" } });
    expect(JSON.stringify(mail)).not.toContain("hello Ben");
    // Only the ZIP stays: the parts are gone.
    expect(await objectNames(`personal-exports/${ana.uid}/`)).toEqual([expect.stringMatching(/\/parley-data-[0-9a-f]{8}\.zip$/)]);
  }, 120_000);

  it("when an export is running or was asked for within a day, then a second one is not started", async () => {
    const [dee] = await signUpMany("Dee");
    const [first, again] = await withoutBackgroundTriggers(async () => [
      await api<ExportState>(dee, "POST", "/me/export"),
      await api<ExportState>(dee, "POST", "/me/export"),
    ]);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.export.status).toBe("running");
    // Done (as its trigger would leave it): the next may start a day after this one was asked for.
    await adminDb().doc(`personal-exports/${dee.uid}`).update({ status: "ready" });
    const tooSoon = await api<{ error: { code: string } }>(dee, "POST", "/me/export");
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.retryAfter)).toBeGreaterThan(23 * 3600);
    expect(tooSoon.body.error.code).toBe("resource-exhausted");
  });

  it("when a running export went 15 minutes without a step, then asking again starts its next step", async () => {
    const [ivy] = await signUpMany("Ivy");
    await withoutBackgroundTriggers(() => api(ivy, "POST", "/me/export"));
    // Its trigger's event was lost (triggers were off): asking again before 15 minutes changes nothing...
    expect((await api<ExportState>(ivy, "POST", "/me/export")).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await api<ExportState>(ivy, "GET", "/me/export")).body.export.status).toBe("running");
    // ...and after 15 minutes (as if), it goes on from where it stopped.
    const nudged = await requestPersonalExport(adminDb(), ivy.uid, new Date(Date.now() + 16 * 60 * 1000));
    expect(nudged.created).toBe(false);
    await eventually(
      async () => expect((await api<ExportState>(ivy, "GET", "/me/export")).body.export.status).toBe("ready"),
      60_000,
      500,
    );
  }, 90_000);

  it("when nothing was asked for, then the state and the download are 404", async () => {
    const [eli] = await signUpMany("Eli");
    expect((await api(eli, "GET", "/me/export")).status).toBe(404);
    expect((await download(eli, "/me/export/download")).status).toBe(404);
  });

  it("when the export pages its messages and each step runs twice, then every message is in it once", async () => {
    const [fay, gus] = await signUpMany("Fay", "Gus");
    const chatId = await createChat(fay, gus);
    for (let i = 1; i <= 7; i++) await send(fay, chatId, `message ${i}`);
    const ready = await withoutBackgroundTriggers(async () => {
      const db = adminDb();
      await requestPersonalExport(db, fay.uid, new Date());
      const links = {
        apiUrl: "http://127.0.0.1/api",
        appUrl: "http://127.0.0.1",
        emails: () => Promise.resolve(new Map<string, string>()),
      };
      const options = { uid: fay.uid, bucket: adminBucket(), now: new Date(), pageSize: 3, links };
      const steps: string[] = [];
      while (!steps.includes("ready") && steps.length < 20) {
        steps.push(...(await Promise.all([buildPersonalExportStep(db, options), buildPersonalExportStep(db, options)])));
      }
      return steps;
    });
    // Three pages of messages (3, 3, 1), one empty page of replies, then the ZIP: five steps, each
    // taken by one run, whichever interleaving; the other run of each pair did nothing or the next.
    expect(ready.filter((step) => step !== "none").sort()).toEqual(["page", "page", "page", "page", "ready"]);
    const zip = await download(fay, "/me/export/download");
    const texts = linesOf(entriesOf(zip.bytes).get("messages.jsonl")).map((message) => message.text);
    expect(texts.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `message ${i + 1}`).sort());
  }, 90_000);
});

async function exportId(user: TestUser): Promise<string> {
  return ((await adminDb().doc(`personal-exports/${user.uid}`).get()).data() as { id: string }).id;
}
