import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { exportChat } from "../../functions/src/exports/export-chat.js";
import { emailHash } from "../../functions/src/users/email-hash.js";
import { verifiedEmails } from "../../functions/src/users/verified-emails.js";
import { adminAuth, adminBucket, adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { apiBase, backgroundTriggers, hostingOrigin, withoutBackgroundTriggers } from "../helpers/emulators.js";
import { upload } from "../helpers/files.js";
import { registerVerifiedEmail, signUpMany, verifyEmails, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

const links = { apiUrl: apiBase, appUrl: hostingOrigin, emails: (uids: string[]) => verifiedEmails(adminAuth(), uids) };
const HEADER = ["number", "sent at", "sender uid", "sender name", "type", "text", "file name"];

/** Waits for the export trigger, then downloads the CSV as `user` and parses it. */
async function exportedCsv(user: TestUser, chatId: string, timeoutMs = 30_000) {
  const chat = await eventually(async () => {
    const response = await api<{ chat: { export: { rows: number; bytes: number; downloadPath: string } | null } }>(
      user,
      "GET",
      `/chats/${chatId}`,
    );
    if (!response.body.chat.export) throw new Error("not exported yet");
    return response.body.chat;
  }, timeoutMs);
  const response = await fetch(`${apiBase}/chats/${chatId}/export`, { headers: { authorization: `Bearer ${user.token}` } });
  const text = await response.text();
  const rows: string[][] = parse(text);
  return { chat, response, rows, text };
}

/** Ends `chatId` as `user` with the triggers off, so the test runs the export itself. */
async function endWithoutExport(user: TestUser, chatId: string): Promise<void> {
  await withoutBackgroundTriggers(() => api(user, "POST", `/chats/${chatId}/end`));
}

describe("ending a chat", () => {
  it("when a member ends a 1:1 chat, then it is ended and read-only, with a system message; ending again changes nothing", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "bye");

    const outsider = await api(mallory, "POST", `/chats/${chatId}/end`);
    const ended = await api<{ chat: Record<string, unknown> }>(bob, "POST", `/chats/${chatId}/end`);
    const again = await api<{ chat: Record<string, unknown> }>(alice, "POST", `/chats/${chatId}/end`);
    const sending = await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "one more" } });

    expect(outsider.status).toBe(404);
    expect(ended.status).toBe(200);
    expect(ended.body.chat).toMatchObject({ status: "ended", messageCount: 2 });
    expect(ended.body.chat.endedAt).toMatch(/^\d{4}-/);
    expect(again.body.chat).toMatchObject({ status: "ended", messageCount: 2, endedAt: ended.body.chat.endedAt });
    expect(sending).toMatchObject({ status: 409, body: { error: { code: "failed-precondition" } } });
    const system = (await adminDb().doc(`chats/${chatId}/messages/0000000002`).get()).data();
    expect(system).toMatchObject({ type: "system", from: null, event: { type: "chat-ended", uid: bob.uid } });
  });

  it("when a room member who is not the host ends it, then 403; the host may", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Standup" } });
    await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });

    const byMember = await api(bob, "POST", `/chats/${room.body.chat.id}/end`);
    const byHost = await api(alice, "POST", `/chats/${room.body.chat.id}/end`);

    expect(byMember).toMatchObject({ status: 403, body: { error: { message: "Only the room's host can end it." } } });
    expect(byHost).toMatchObject({ status: 200, body: { chat: { status: "ended" } } });
  });
});

describe("history export", () => {
  it("when a chat ends, then its CSV equals its messages, members download it, others can't, and every member is mailed once", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    await verifyEmails(alice, bob);
    const chatId = await createChat(alice, bob);
    const before = await api(alice, "GET", `/chats/${chatId}/export`);
    await send(alice, chatId, 'Plain, with "quotes", commas\nand a line break');
    await upload(bob, chatId, { bytes: Buffer.from("minutes"), filename: "minutes.txt", text: "the minutes" });
    await send(bob, chatId, "Ünïcödé ✓ 👋");
    await api(alice, "DELETE", `/chats/${chatId}/messages/1`);

    await api(alice, "POST", `/chats/${chatId}/end`);
    const { chat, response, rows, text } = await exportedCsv(bob, chatId);

    expect(before).toMatchObject({ status: 404, body: { error: { message: "This chat has no history export (yet)." } } });
    const messages = (await adminDb().collection(`chats/${chatId}/messages`).orderBy("number").get()).docs.map((doc) =>
      doc.data(),
    );
    const names: Record<string, string> = { [alice.uid]: alice.displayName, [bob.uid]: bob.displayName };
    expect(rows).toEqual([
      HEADER,
      ...messages.map((message) => [
        String(message.number),
        message.createdAt.toDate().toISOString(),
        message.from ?? "",
        message.from ? names[message.from] : "",
        message.deleted ? "deleted" : message.type,
        message.text,
        message.file?.name ?? "",
      ]),
    ]);
    expect(rows.slice(1).map((row) => [row[0], row[4], row[5], row[6]])).toEqual([
      ["1", "deleted", "", ""],
      ["2", "file", "the minutes", "minutes.txt"],
      ["3", "text", "Ünïcödé ✓ 👋", ""],
      ["4", "system", `${alice.displayName} ended the chat`, ""],
    ]);
    expect(chat.export).toMatchObject({ rows: 4, bytes: Buffer.byteLength(text), downloadPath: `/v1/chats/${chatId}/export` });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=parley-chat-.*\.csv$/);
    expect((await api(mallory, "GET", `/chats/${chatId}/export`)).status).toBe(404);

    const stored = (await adminDb().doc(`chats/${chatId}`).get()).get("export");
    expect(stored.path).toMatch(new RegExp(`^exports/${chatId}/\\d{4}-.*Z\\.csv$`));
    const mails = await adminDb().collection("mail").where("to", "in", [alice.email, bob.email]).get();
    expect(mails.docs.map((doc) => doc.get("to")).sort()).toEqual([alice.email, bob.email].sort());
    const mail = mails.docs.find((doc) => doc.get("to") === bob.email)?.data();
    expect(mail?.message.subject).toBe(`Parley: your chat with "${alice.displayName}" has ended`);
    expect(mail?.message.text).toContain(`${apiBase}/chats/${chatId}/export`);
    expect(mail?.message.html).toContain(`href="${apiBase}/chats/${chatId}/export"`);
    expect(mail?.message.text).not.toContain("quotes");
  });

  it("when messages and names start like spreadsheet formulas, then their cells are escaped with a leading quote", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    await adminDb().doc(`users/${alice.uid}`).update({ displayName: "=cmd|' /C calc'!A0" });
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, '=HYPERLINK("https://evil.example","click")');
    await send(bob, chatId, "+1 for that");
    await send(bob, chatId, "-- and @here too");
    await upload(bob, chatId, { bytes: Buffer.from("x"), filename: "=1+1.txt", text: "" });

    await api(alice, "POST", `/chats/${chatId}/end`);
    const { rows } = await exportedCsv(bob, chatId);

    expect(rows.slice(1, 5).map((row) => [row[3], row[5], row[6]])).toEqual([
      ["'=cmd|' /C calc'!A0", `'=HYPERLINK("https://evil.example","click")`, ""],
      [bob.displayName, "'+1 for that", ""],
      [bob.displayName, "'-- and @here too", ""],
      [bob.displayName, "", "'=1+1.txt"],
    ]);
  });

  it("when a chat ends and one member has not verified their e-mail address, then only the verified member is mailed", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    await verifyEmails(alice);
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "mail me");
    await send(bob, chatId, "mail me maybe");
    await endWithoutExport(alice, chatId);

    const report = await exportChat(adminDb(), { bucket: adminBucket(), now: new Date(), chatId, links });

    expect(report).toMatchObject({ duplicate: false, mails: 1 });
    const mails = await adminDb().collection("mail").where("to", "in", [alice.email, bob.email]).get();
    expect(mails.docs.map((doc) => doc.get("to"))).toEqual([alice.email]);
  });

  it("when a purged 1:1 chat is started and ended again, then the second export mails its members too", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    await verifyEmails(alice, bob);
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "first time");
    await send(bob, chatId, "me too");
    await api(alice, "POST", `/chats/${chatId}/end`);
    await exportedCsv(alice, chatId);
    // As the purge job leaves it: the chat and its completion record gone, the mails kept.
    await adminDb().recursiveDelete(adminDb().doc(`chats/${chatId}`));
    await adminDb().doc(`ended-chats/${chatId}`).delete();

    expect(await createChat(alice, bob)).toBe(chatId);
    await send(bob, chatId, "second time");
    await api(bob, "POST", `/chats/${chatId}/end`);
    const { rows } = await exportedCsv(alice, chatId);

    expect(rows.slice(1).map((row) => row[5])).toEqual(["second time", `${bob.displayName} ended the chat`]);
    const mails = await adminDb().collection("mail").where("to", "==", bob.email).get();
    expect(mails.size).toBe(2);
  });

  it("when the export runs again for the same ended chat (a redelivered event), then nothing is exported or mailed twice", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    await verifyEmails(alice, bob);
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "once");
    await send(bob, chatId, "twice?");
    await api(alice, "POST", `/chats/${chatId}/end`);

    // Racing the trigger on purpose: three runs of the same export at once.
    const runs = await Promise.all(
      [1, 2, 3].map(() => exportChat(adminDb(), { bucket: adminBucket(), now: new Date(), chatId, links })),
    );
    await exportedCsv(alice, chatId);
    const later = await exportChat(adminDb(), { bucket: adminBucket(), now: new Date(), chatId, links });

    expect(runs.filter((run) => !run.duplicate).length).toBeLessThanOrEqual(1);
    expect(later).toEqual({ duplicate: true, rows: 0, bytes: 0, mails: 0 });
    const mails = await adminDb().collection("mail").where("to", "in", [alice.email, bob.email]).get();
    expect(mails.size).toBe(2);
    const [objects] = await adminBucket().getFiles({ prefix: `exports/${chatId}/` });
    expect(objects).toHaveLength(1);
  });

  it("when a stranger opens a chat and ends it at once, then nothing is exported and no one is mailed", async () => {
    const [stranger, victim] = await signUpMany("Stranger", "Victim");
    await verifyEmails(stranger, victim);
    const chatId = await createChat(stranger, victim);
    await endWithoutExport(stranger, chatId);

    const report = await exportChat(adminDb(), { bucket: adminBucket(), now: new Date(), chatId, links });

    expect(report).toEqual({ duplicate: false, rows: 0, bytes: 0, mails: 0 });
    expect((await adminDb().collection("mail").where("to", "in", [stranger.email, victim.email]).get()).size).toBe(0);
    expect((await adminBucket().getFiles({ prefix: `exports/${chatId}/` }))[0]).toEqual([]);
    expect((await adminDb().doc(`ended-chats/${chatId}`).get()).get("exportedAt")).toBeDefined();
  });

  it("when only one member wrote, then only they are mailed, and the other's name is quoted and cut in the subject", async () => {
    const [stranger, victim] = await signUpMany("Stranger", "Victim");
    await verifyEmails(stranger, victim);
    const lure = "PayPal: verify your account at paypa1.help today or lose it";
    await adminDb().doc(`users/${stranger.uid}`).update({ displayName: lure });
    const chatId = await createChat(stranger, victim);
    await send(victim, chatId, "who is this?");
    await endWithoutExport(victim, chatId);

    const report = await exportChat(adminDb(), { bucket: adminBucket(), now: new Date(), chatId, links });

    expect(report).toMatchObject({ duplicate: false, mails: 1 });
    const mails = await adminDb().collection("mail").where("to", "in", [stranger.email, victim.email]).get();
    expect(mails.docs.map((doc) => doc.get("to"))).toEqual([victim.email]);
    expect(mails.docs[0].get("message.subject")).toBe(
      `Parley: your chat with "${Array.from(lure).slice(0, 39).join("")}…" has ended`,
    );
  });

  it("when a chat with 10,000 messages ends, then the export holds all of them in order", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const COUNT = 10_000;
    const start = Date.UTC(2026, 0, 1);
    // Seeded straight into Firestore, as if sent long ago: the emulator runs triggers one at a
    // time, so 10,000 push triggers would queue ahead of the export for minutes.
    await backgroundTriggers("disable");
    const writer = adminDb().bulkWriter();
    for (let number = 1; number <= COUNT; number++) {
      void writer.create(adminDb().doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`), {
        number,
        from: number % 2 ? alice.uid : bob.uid,
        type: "text",
        text: `message ${number}, "quoted"`,
        clientMessageId: null,
        createdAt: new Date(start + number * 1000),
      });
    }
    await writer.close().finally(() => backgroundTriggers("enable"));
    await adminDb()
      .doc(`chats/${chatId}`)
      // As the sends would have left it: both members wrote.
      .update({ messageCount: COUNT, lastMessageAt: new Date(start + COUNT * 1000), wrote: [alice.uid, bob.uid] });

    await api(alice, "POST", `/chats/${chatId}/end`);
    const { chat, rows } = await exportedCsv(alice, chatId, 120_000);

    expect(chat.export?.rows).toBe(COUNT + 1);
    expect(rows).toHaveLength(COUNT + 2);
    for (const number of [1, 2, 5000, COUNT]) {
      expect(rows[number]).toEqual([
        String(number),
        new Date(start + number * 1000).toISOString(),
        number % 2 ? alice.uid : bob.uid,
        number % 2 ? alice.displayName : bob.displayName,
        "text",
        `message ${number}, "quoted"`,
        "",
      ]);
    }
    expect(rows.slice(1).map((row) => Number(row[0]))).toEqual(Array.from({ length: COUNT + 1 }, (_, i) => i + 1));
  }, 180_000);
});

describe("GET /v1/chats?with=<email>", () => {
  it("when a user filters by another user's e-mail hash, then only chats shared with them come back, and the address is nowhere in Firestore", async () => {
    const [alice, signedUpBob] = await signUpMany("Alice", "Bob");
    const bob = await registerVerifiedEmail(signedUpBob);
    const direct = await createChat(alice, bob);
    await send(bob, direct, "hi Alice");

    const byHash = await api<{ chats: { id: string }[] }>(alice, "GET", `/chats?with=${emailHash(bob.email)}`);

    expect(byHash.body.chats.map((chat) => chat.id)).toEqual([direct]);
    expect((await adminDb().doc(`users/${bob.uid}`).get()).data()).not.toHaveProperty("email");
    expect(
      (
        await adminDb()
          .doc(`user-emails/${emailHash(bob.email)}`)
          .get()
      ).data(),
    ).toEqual({ uid: bob.uid });
  });

  it("when a user filters by another user's e-mail, then only chats shared with them come back", async () => {
    const [alice, signedUpBob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const bob = await registerVerifiedEmail(signedUpBob);
    const direct = await createChat(alice, bob);
    await send(bob, direct, "hi Alice");
    await createChat(alice, carol);
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", {
      body: { title: "With Bob" },
    });
    await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    await send(bob, room.body.chat.id, "hi all");

    const withBob = await api<{ chats: { id: string }[] }>(
      alice,
      "GET",
      `/chats?with=${encodeURIComponent(bob.email.toUpperCase())}`,
    );
    const pageOne = await api<{ chats: { id: string }[]; nextCursor: string | null }>(
      alice,
      "GET",
      `/chats?with=${encodeURIComponent(bob.email)}&limit=1`,
    );
    const nobody = await api<{ chats: unknown[] }>(alice, "GET", "/chats?with=nobody%40example.com");
    const invalid = await api(alice, "GET", "/chats?with=not-an-email");

    expect(withBob.body.chats.map((chat) => chat.id).sort()).toEqual([direct, room.body.chat.id].sort());
    expect(pageOne.body.chats).toHaveLength(1);
    expect(pageOne.body.nextCursor).toBe(pageOne.body.chats[0].id);
    expect(nobody).toMatchObject({ status: 200, body: { chats: [] } });
    expect(invalid).toMatchObject({
      status: 400,
      body: { error: { message: "with: must be an e-mail address or its SHA-256 hex" } },
    });
  });

  it("when the other member has not written in a chat, then ?with= answers as if there were none, and once they write it finds it", async () => {
    const [alice, signedUpBob] = await signUpMany("Alice", "Bob");
    const bob = await registerVerifiedEmail(signedUpBob);
    const direct = await createChat(alice, bob);
    await send(alice, direct, "is this you?");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Quiet" } });
    await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });

    const unknown = await api<{ chats: unknown[] }>(alice, "GET", `/chats?with=${emailHash("nobody@example.com")}`);
    const silent = await api<{ chats: unknown[] }>(alice, "GET", `/chats?with=${emailHash(bob.email)}`);
    expect(silent).toEqual(unknown);
    expect(silent.body).toEqual({ chats: [], nextCursor: null, requestCount: 0 });

    await send(bob, direct, "yes");
    const found = await api<{ chats: { id: string }[] }>(alice, "GET", `/chats?with=${emailHash(bob.email)}`);
    expect(found.body.chats.map((chat) => chat.id)).toEqual([direct]);
  });
});

describe("user-emails holds verified addresses only", () => {
  it("when a user signs up unverified, then no user-emails doc points at them and POST /me/email is refused until verified", async () => {
    const [mallory] = await signUpMany("Mallory");
    const hash = emailHash(mallory.email);
    expect((await adminDb().doc(`user-emails/${hash}`).get()).exists).toBe(false);

    const refused = await api<{ error: { code: string } }>(mallory, "POST", "/me/email");
    expect(refused).toMatchObject({ status: 409, body: { error: { code: "failed-precondition" } } });
    expect((await adminDb().doc(`user-emails/${hash}`).get()).exists).toBe(false);

    // As if another account had held the address: verified here, it is re-pointed here.
    await adminDb().doc(`user-emails/${hash}`).set({ uid: "an-earlier-account" });
    await registerVerifiedEmail(mallory);
    expect((await adminDb().doc(`user-emails/${hash}`).get()).data()).toEqual({ uid: mallory.uid });
  });
});
