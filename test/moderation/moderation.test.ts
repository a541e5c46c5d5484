import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { makeModerator, signUpMany } from "../helpers/users.js";

interface ReportBody {
  id: string;
  chatId: string;
  number: number;
  reporter: string;
  reason: string;
  message: { from: string | null; type: string; preview: string };
  status: string;
  resolvedBy: string | null;
  resolution: string | null;
}

const reportPath = (chatId: string, number: number) => `/chats/${chatId}/messages/${number}/report`;
const auditOf = async (moderator: string) =>
  (await adminDb().collection("moderation-audit").where("moderator", "==", moderator).get()).docs.map((doc) => {
    const { at, ...entry } = doc.data();
    expect(at.toMillis()).toBeGreaterThan(Date.now() - 120_000);
    return entry;
  });

describe("reports", () => {
  it("when a member reports a message, then one report holds it as it was; again answers the same; others can't report", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "buy cheap watches at example.test");
    await send(alice, chatId, "my own");

    const first = await api<{ report: ReportBody }>(alice, "POST", reportPath(chatId, 1), { body: { reason: "Spam\u202E" } });
    await api(bob, "PATCH", `/chats/${chatId}/messages/1`, { body: { text: "nothing to see" } });
    const again = await api<{ report: ReportBody }>(alice, "POST", reportPath(chatId, 1), { body: { reason: "Still spam" } });
    const outsider = await api(mallory, "POST", reportPath(chatId, 1), { body: { reason: "nosy" } });
    const own = await api(alice, "POST", reportPath(chatId, 2), { body: { reason: "oops" } });
    const missing = await api(alice, "POST", reportPath(chatId, 9), { body: { reason: "where" } });
    const empty = await api(alice, "POST", reportPath(chatId, 1), { body: { reason: " \u200F" } });

    expect(first.status).toBe(201);
    expect(first.body.report).toMatchObject({
      id: `${chatId}-1-${alice.uid}`,
      reporter: alice.uid,
      reason: "Spam",
      message: { from: bob.uid, type: "text", preview: "buy cheap watches at example.test" },
      status: "open",
    });
    expect(again).toMatchObject({ status: 200, body: { report: first.body.report } });
    expect(outsider.status).toBe(404);
    expect(own).toMatchObject({ status: 400, body: { error: { message: "number: you can't report your own message" } } });
    expect(missing.status).toBe(404);
    expect(empty).toMatchObject({ status: 400, body: { error: { message: "reason: must not be empty" } } });
    expect((await adminDb().collection("reports").where("chatId", "==", chatId).get()).size).toBe(1);
  });

  it("when a user who is not a moderator lists or resolves reports, then 403", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "rude");
    const { body } = await api<{ report: ReportBody }>(alice, "POST", reportPath(chatId, 1), { body: { reason: "rude" } });

    expect((await api(alice, "GET", "/reports")).status).toBe(403);
    expect(await api(bob, "POST", `/reports/${body.report.id}/resolve`, { body: {} })).toMatchObject({
      status: 403,
      body: { error: { code: "permission-denied", message: "Only moderators can do this." } },
    });
    expect((await adminDb().doc(`reports/${body.report.id}`).get()).get("status")).toBe("open");
  });

  it("when a moderator lists and resolves a report, then it is resolved once, listed by status, and the action is audited", async () => {
    const [alice, bob, mod] = await signUpMany("Alice", "Bob", "Mod");
    const moderator = await makeModerator(mod);
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "threat");
    const { body } = await api<{ report: ReportBody }>(alice, "POST", reportPath(chatId, 1), { body: { reason: "threat" } });
    const id = body.report.id;

    const open = await api<{ reports: ReportBody[] }>(moderator, "GET", "/reports?status=open&limit=100");
    const resolved = await api<{ report: ReportBody }>(moderator, "POST", `/reports/${id}/resolve`, {
      body: { resolution: "Warned the sender" },
    });
    const twice = await api<{ report: ReportBody }>(moderator, "POST", `/reports/${id}/resolve`, {
      body: { resolution: "again" },
    });
    const openAfter = await api<{ reports: ReportBody[] }>(moderator, "GET", "/reports?status=open&limit=100");
    const resolvedList = await api<{ reports: ReportBody[] }>(moderator, "GET", "/reports?status=resolved&limit=100");

    expect(open.body.reports.map((report) => report.id)).toContain(id);
    expect(resolved.body.report).toMatchObject({
      status: "resolved",
      resolvedBy: moderator.uid,
      resolution: "Warned the sender",
    });
    expect(twice.body.report).toEqual(resolved.body.report);
    expect(openAfter.body.reports.map((report) => report.id)).not.toContain(id);
    expect(resolvedList.body.reports.map((report) => report.id)).toContain(id);
    expect((await api(moderator, "POST", "/reports/no-such-report/resolve", { body: {} })).status).toBe(404);
    expect(await auditOf(moderator.uid)).toEqual([
      { moderator: moderator.uid, action: "resolve-report", chatId, number: 1, reportId: id, note: "Warned the sender" },
    ]);
  });

  it("when a moderator deletes a message in a chat they are not in, then it is a tombstone and audited; a system message stays", async () => {
    const [alice, bob, mod] = await signUpMany("Alice", "Bob", "Mod");
    const moderator = await makeModerator(mod);
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "abuse");
    await api(alice, "POST", `/chats/${chatId}/end`);

    const deleted = await api<{ message: { deleted: boolean; text: string } }>(
      moderator,
      "DELETE",
      `/chats/${chatId}/messages/1`,
    );
    const system = await api(moderator, "DELETE", `/chats/${chatId}/messages/2`);
    const byOutsider = await api(mod, "DELETE", `/chats/${chatId}/messages/1`);

    expect(deleted).toMatchObject({ status: 200, body: { message: { deleted: true, text: "" } } });
    expect(system.status).toBe(403);
    expect(byOutsider.status).toBe(404);
    expect((await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).get("deleted")).toBe(true);
    expect(await auditOf(moderator.uid)).toEqual([
      { moderator: moderator.uid, action: "delete-message", chatId, number: 1, uid: bob.uid },
    ]);
  });

  it("when a moderator removes a member from a room they are not in and unbans them, then both are done and audited", async () => {
    const [alice, bob, mod] = await signUpMany("Alice", "Bob", "Mod");
    const moderator = await makeModerator(mod);
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", {
      body: { title: "Open mic" },
    });
    const chatId = room.body.chat.id;
    await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });

    const removed = await api(moderator, "DELETE", `/rooms/${chatId}/members/${bob.uid}`);
    const rejoin = await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const bans = await api<{ bans: { uid: string; bannedBy: string }[] }>(moderator, "GET", `/rooms/${chatId}/bans`);
    const unbanned = await api(moderator, "DELETE", `/rooms/${chatId}/bans/${bob.uid}`);

    expect(removed).toMatchObject({ status: 200, body: { memberCount: 1 } });
    expect(rejoin.status).toBe(403);
    expect(bans.body.bans).toEqual([expect.objectContaining({ uid: bob.uid, bannedBy: moderator.uid })]);
    expect(unbanned.status).toBe(200);
    expect(await auditOf(moderator.uid)).toEqual(
      expect.arrayContaining([
        { moderator: moderator.uid, action: "remove-member", chatId, uid: bob.uid },
        { moderator: moderator.uid, action: "unban-member", chatId, uid: bob.uid },
      ]),
    );
  });

  it("when a moderator rotates a room's invite, then the old code stops working and the rotation is audited; the host's is not", async () => {
    const [alice, bob, mod] = await signUpMany("Alice", "Bob", "Mod");
    const moderator = await makeModerator(mod);
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Leaked" } });
    const chatId = room.body.chat.id;

    const rotated = await api<{ inviteCode: string }>(moderator, "POST", `/rooms/${chatId}/invite/rotate`);
    const byHost = await api<{ inviteCode: string }>(alice, "POST", `/rooms/${chatId}/invite/rotate`);
    const withOld = await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });

    expect(rotated.status).toBe(200);
    expect(byHost.status).toBe(200);
    expect(withOld.status).toBe(404);
    expect(await auditOf(moderator.uid)).toEqual([{ moderator: moderator.uid, action: "rotate-invite", chatId }]);
    expect(await auditOf(alice.uid)).toEqual([]);
  });

  it("when called through the web SDK, then the callables answer as the REST routes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "callable spam");
    const asAlice = await clientFor(alice);
    try {
      const made = await asAlice.call<{ report: ReportBody; created: boolean }>("reportMessage", {
        chatId,
        number: 1,
        reason: "spam",
      });
      expect(made).toMatchObject({ created: true, report: { chatId, number: 1 } });
      expect(await callFailure(asAlice.call("listReports", {}))).toMatchObject({ code: "functions/permission-denied" });
      expect(await callFailure(asAlice.call("resolveReport", { reportId: made.report.id }))).toMatchObject({
        code: "functions/permission-denied",
      });
    } finally {
      await asAlice.close();
    }
  });
});
