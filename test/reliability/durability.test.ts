import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { adminBucket, adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { bucketName, hubOrigin, secondSuiteEmulators } from "../helpers/emulators.js";
import { jpeg, upload } from "../helpers/files.js";
import { signUpMany } from "../helpers/users.js";

/** Ports of the second suite, so that it runs beside the one the tests use. */
const secondSuite = secondSuiteEmulators(0);

describe("durability", () => {
  it("when the emulator data is exported and a new suite starts from the export, then every chat, message, count and file is intact", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const direct = await createChat(alice, bob);
    await send(alice, direct, "kept across restarts");
    const photo = await upload(bob, direct, { bytes: await jpeg(400, 300), filename: "p.jpg", text: "photo" });
    await api(alice, "POST", `/chats/${direct}/read`, { body: {} });
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Durable" } });
    await api(carol, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    await send(carol, room.body.chat.id, "me too");
    await api(alice, "DELETE", `/chats/${direct}/messages/1`);

    const chats = [];
    for (const id of [direct, room.body.chat.id]) {
      const data = (await adminDb().doc(`chats/${id}`).get()).data() ?? {};
      const messages = (await adminDb().collection(`chats/${id}/messages`).orderBy("number").get()).docs;
      chats.push({
        id,
        messageCount: data.messageCount,
        unread: data.unread,
        lastRead: data.lastRead,
        lastMessage: data.lastMessage,
        members: data.members,
        messages: messages.map((doc) => [doc.get("number"), doc.get("type"), doc.get("text")]),
      });
    }
    const stored = (await adminDb().doc(`chats/${direct}/messages/0000000002`).get()).get("file");
    const files = [
      { path: stored.path, sha256: photo.body.message.file?.sha256 },
      { path: stored.thumbnail.path, sha256: null as string | null },
    ];
    const [thumbnail] = await adminBucket().file(stored.thumbnail.path).download();
    files[1].sha256 = createHash("sha256").update(thumbnail).digest("hex");
    const users = (await adminDb().collection("users").count().get()).data().count;

    const work = mkdtempSync(join(tmpdir(), "parley-durability-"));
    mkdirSync(join(work, "tmp"));
    const exportDir = join(work, "export");
    const exported = await fetch(`${hubOrigin}/_admin/export`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: exportDir, initiatedBy: "durability-test" }),
    });
    expect(exported.status).toBe(200);
    const expectation = join(work, "expected.json");
    writeFileSync(expectation, JSON.stringify({ bucket: bucketName, chats, files, users }));
    const config = join(work, "firebase.json");
    writeFileSync(
      config,
      JSON.stringify({
        firestore: { rules: resolve("firestore.rules") },
        storage: { rules: resolve("storage.rules") },
        emulators: secondSuite,
      }),
    );

    const second = spawnSync(
      process.execPath,
      [
        "scripts/emulators.mjs",
        "exec",
        `node ${resolve("test/reliability/durability-check.mjs")} ${expectation}`,
        "--config",
        config,
      ],
      {
        encoding: "utf8",
        timeout: 240_000,
        // The Storage emulator keeps blobs in $TMPDIR/firebase/storage/blobs and deletes that folder
        // when it stops: a second suite sharing it would wipe the first one's files.
        env: { ...process.env, PARLEY_EMULATORS: "auth,firestore,storage", PARLEY_IMPORT: exportDir, TMPDIR: join(work, "tmp") },
      },
    );

    const report = /DURABILITY (\{.*\})/.exec(second.stdout)?.[1];
    expect(report, second.stdout.slice(-2000) + second.stderr.slice(-2000)).toBeDefined();
    expect(JSON.parse(report as string)).toEqual({ chats: 2, files: 2, problems: [] });
    expect(second.status).toBe(0);
  }, 300_000);
});
