import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations } from "../../functions/src/contract.js";
import { tokenHash } from "../../functions/src/devices/token-hash.js";
import type { Operation } from "../../functions/src/shared/operation.js";
import { apiBase, testPort } from "../helpers/emulators.js";
import { png, upload } from "../helpers/files.js";
import { makeModerator, makeWebhookAdmin, signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// Stoplight Prism's validation proxy in front of the API, as a user of a generated client would
// put it: every request and every answer is checked against the served OpenAPI document, and
// Prism names any mismatch in an `sl-violations` header. The README shows the same command.
const prismPort = testPort(4010);
const prism = `http://127.0.0.1:${prismPort}`;
let proxy: ChildProcess;
/** `METHOD path` of every call made through Prism. */
const called: string[] = [];

interface Seen {
  status: number;
  body: Record<string, unknown>;
  violations: string | null;
}

/** Calls `path` (under /v1) through Prism as `caller`; JSON bodies, or a FormData. */
async function viaPrism(caller: TestUser | null, method: string, path: string, body?: unknown): Promise<Seen> {
  const headers: Record<string, string> = caller ? { authorization: `Bearer ${caller.token}` } : {};
  called.push(`${method} ${path.split("?")[0]}`);
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers["content-type"] = "application/json";
  const response = await fetch(`${prism}/v1${path}`, {
    method,
    headers,
    body: isForm ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = response.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: response.status, body: parsed, violations: response.headers.get("sl-violations") };
}

/** Expects `status` and no violation of the document, in the request or the answer. */
async function expectValid(seen: Promise<Seen>, status: number): Promise<Record<string, unknown>> {
  const { status: actual, body, violations } = await seen;
  expect({ status: actual, violations }).toEqual({ status, violations: null });
  return body;
}

/**
 * Expects `status` for a request the document itself forbids (no ID token): Prism reports the
 * request, and the answer must still be one the document lists.
 */
async function expectRefused(seen: Promise<Seen>, status: number): Promise<void> {
  const { status: actual, violations } = await seen;
  const locations = (JSON.parse(violations ?? "[]") as { location: string[] }[]).map((violation) => violation.location[0]);
  expect({ status: actual, locations }).toEqual({ status, locations: ["request"] });
}

beforeAll(async () => {
  const served = (await (await fetch(`${apiBase}/openapi.json`)).json()) as unknown;
  const file = join(mkdtempSync(join(tmpdir(), "parley-prism-")), "openapi.json");
  writeFileSync(file, JSON.stringify(served));
  const busy = await fetch(prism).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`Port ${prismPort} is taken: stop whatever listens there (an earlier Prism?).`);
  // Its own process group, so that stopping it stops npx's child too.
  proxy = spawn(
    "npx",
    ["prism", "proxy", file, apiBase.replace(/\/v1$/, ""), "--host", "127.0.0.1", "--port", String(prismPort)],
    {
      stdio: "ignore",
      detached: true,
    },
  );
  await eventually(async () => {
    const response = await fetch(`${prism}/v1/users`).catch(() => undefined);
    expect(response?.status).toBe(401);
  }, 60_000);
}, 90_000);

afterAll(() => {
  if (proxy?.pid) process.kill(-proxy.pid);
});

describe("the API behind Prism's validation proxy", () => {
  it("when 1:1 chats, messages and their actions are used, then no request or answer breaks the document", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");

    const opened = await expectValid(viaPrism(alice, "POST", "/chats", { memberUid: bob.uid }), 201);
    const chatId = (opened.chat as { id: string }).id;
    await expectValid(viaPrism(bob, "POST", "/chats", { memberUid: alice.uid }), 200);
    // A message request to bob: he declines it, thinks again, and accepts it.
    await expectValid(viaPrism(bob, "GET", "/chats?filter=requests"), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/decline`), 200);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/accept`), 409);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/accept`), 200);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/messages`, { text: "hi", clientMessageId: "c1" }), 201);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/messages`, { text: "hi", clientMessageId: "c1" }), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/messages`, { text: "hello", replyTo: 1 }), 201);
    const form = new FormData();
    form.append("text", "notes");
    form.append("file", new Blob(["plain text"], { type: "text/plain" }), "notes.txt");
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/messages`, form), 201);
    // Prism re-encodes binary request bodies as text, so the photo goes to the API directly; its
    // thumbnail comes back through Prism below.
    expect((await upload(bob, chatId, { bytes: await png(400, 200), filename: "p.png", type: "image/png" })).status).toBe(201);

    await expectValid(viaPrism(alice, "GET", "/chats?limit=5"), 200);
    await expectValid(viaPrism(alice, "GET", `/chats/${chatId}`), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages?limit=2`), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages?after=1`), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages/3`), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages/3/file`), 200);
    await expectValid(viaPrism(alice, "GET", `/chats/${chatId}/messages/4/thumbnail`), 200);
    await expectValid(viaPrism(alice, "PATCH", `/chats/${chatId}/messages/1`, { text: "hi!" }), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages/1/edits`), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/messages/1/hide`), 200);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/pins`, { number: 1 }), 200);
    await expectValid(viaPrism(alice, "DELETE", `/chats/${chatId}/pins/1`), 200);
    await expectValid(viaPrism(alice, "DELETE", `/chats/${chatId}/pins/1`), 404);
    await expectValid(viaPrism(alice, "DELETE", `/chats/${chatId}/messages/1/preview`), 200);
    await expectValid(viaPrism(bob, "DELETE", `/chats/${chatId}/messages/1/preview`), 403);
    await expectValid(viaPrism(alice, "GET", `/chats/${chatId}/messages/1/preview/image`), 404);
    await expectValid(viaPrism(bob, "PUT", `/chats/${chatId}/link-previews`, { enabled: false }), 200);
    const thumbsUp = `/chats/${chatId}/messages/2/reactions/${encodeURIComponent("👍")}`;
    await expectValid(viaPrism(alice, "PUT", thumbsUp), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages/2`), 200);
    await expectValid(viaPrism(alice, "DELETE", thumbsUp), 200);
    await expectValid(viaPrism(alice, "PUT", `/chats/${chatId}/messages/2/reactions/ok`), 400);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/messages`, { text: "in a thread", threadOf: 2 }), 201);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/messages`, { text: "nowhere", threadOf: 999 }), 400);
    await expectValid(viaPrism(alice, "GET", `/chats/${chatId}/messages/2/thread?limit=10`), 200);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/messages/2/thread/read`), 200);
    const sent = await expectValid(
      viaPrism(alice, "POST", `/chats/${chatId}/messages`, { poll: { question: "Lunch?", options: ["Yes", "No"] } }),
      201,
    );
    const pollPath = `/chats/${chatId}/messages/${(sent.message as { number: number }).number}`;
    await expectValid(viaPrism(bob, "PUT", `${pollPath}/votes/1`), 200);
    await expectValid(viaPrism(bob, "PUT", `${pollPath}/votes/7`), 400);
    await expectValid(viaPrism(bob, "DELETE", `${pollPath}/votes/1`), 200);
    await expectValid(viaPrism(bob, "POST", `${pollPath}/close`), 403);
    await expectValid(viaPrism(alice, "POST", `${pollPath}/close`), 200);
    await expectValid(viaPrism(bob, "PUT", `${pollPath}/votes/0`), 409);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/typing`, {}), 200);
    await expectValid(viaPrism(alice, "POST", "/presence", { online: true }), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/presence`), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/delivered`, { upTo: 2 }), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages/2/receipts`), 200);
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/messages?q=hello&limit=5`), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/messages`, { text: "@Alice", mentions: [alice.uid] }), 201);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/messages/1/report`, { reason: "testing" }), 201);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/messages/1/report`, { reason: "testing" }), 200);
    await expectValid(
      viaPrism(bob, "POST", `/chats/${chatId}/messages/1/forward`, { toChatId: chatId, clientMessageId: "f1" }),
      201,
    );
    await expectValid(
      viaPrism(bob, "POST", `/chats/${chatId}/messages/1/forward`, { toChatId: chatId, clientMessageId: "f1" }),
      200,
    );
    await expectValid(viaPrism(alice, "DELETE", `/chats/${chatId}/messages/1`), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/read`, { upTo: 2 }), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/mute`, { until: "2099-01-01T00:00:00Z" }), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/unmute`), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/pin`), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/unpin`), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/archive`), 200);
    await expectValid(viaPrism(bob, "GET", "/chats?filter=archived"), 200);
    await expectValid(viaPrism(bob, "POST", `/chats/${chatId}/unarchive`), 200);
    await expectValid(viaPrism(carol, "POST", `/chats/${chatId}/pin`), 404);
    await expectValid(viaPrism(alice, "GET", `/users?q=Bo`), 200);
    await expectValid(viaPrism(alice, "PATCH", "/me", { displayName: "Alice P." }), 200);
    await expectValid(viaPrism(alice, "PATCH", "/me", { displayName: "\u200B" }), 400);
    await expectValid(viaPrism(alice, "POST", "/me/email"), 409);
    await expectValid(viaPrism(alice, "GET", "/me/settings"), 200);
    await expectValid(viaPrism(alice, "PATCH", "/me/settings", { presence: "nobody" }), 200);
    await expectValid(viaPrism(alice, "PATCH", "/me/settings", { readReceipts: false }), 200);
    await expectRefused(viaPrism(alice, "PATCH", "/me/settings", { presence: "everyone" }), 400);

    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/messages`, { text: "" }), 400);
    await expectRefused(viaPrism(null, "GET", `/chats/${chatId}`), 401);
    await expectValid(viaPrism(carol, "GET", `/chats/${chatId}`), 404);
    await expectValid(viaPrism(alice, "GET", `/chats/${chatId}/messages/99`), 404);
    await expectValid(viaPrism(alice, "PATCH", `/chats/${chatId}/messages/2`, { text: "not mine" }), 403);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/end`), 200);
    await expectValid(viaPrism(alice, "POST", `/chats/${chatId}/messages`, { text: "too late" }), 409);
    await eventually(
      async () => expect((await viaPrism(bob, "GET", `/chats/${chatId}`)).body.chat).toHaveProperty("export.rows"),
      30_000,
    );
    await expectValid(viaPrism(bob, "GET", `/chats/${chatId}/export`), 200);
  });

  it("when rooms and devices are used, then no request or answer breaks the document", async () => {
    const [host, guest] = await signUpMany("Host", "Guest");

    const room = await expectValid(viaPrism(host, "POST", "/rooms", { title: "Walks" }), 201);
    const chatId = (room.chat as { id: string }).id;
    const rotated = await expectValid(viaPrism(host, "POST", `/rooms/${chatId}/invite/rotate`), 200);
    await expectValid(viaPrism(guest, "POST", "/rooms/join", { inviteCode: rotated.inviteCode }), 200);
    await expectValid(viaPrism(guest, "POST", "/rooms/join", { inviteCode: rotated.inviteCode }), 200);
    await expectValid(viaPrism(guest, "POST", `/rooms/${chatId}/invite/rotate`), 403);
    await expectValid(viaPrism(guest, "GET", `/rooms/${chatId}/members?limit=1`), 200);
    await expectValid(viaPrism(host, "DELETE", `/rooms/${chatId}/members/${guest.uid}`), 200);
    await expectValid(viaPrism(guest, "POST", "/rooms/join", { inviteCode: rotated.inviteCode }), 403);
    await expectValid(viaPrism(host, "GET", `/rooms/${chatId}/bans?limit=5`), 200);
    await expectValid(viaPrism(host, "DELETE", `/rooms/${chatId}/bans/${guest.uid}`), 200);
    await expectValid(viaPrism(host, "DELETE", `/rooms/${chatId}/bans/${guest.uid}`), 404);
    await expectValid(viaPrism(host, "POST", `/rooms/${chatId}/leave`), 200);

    await expectValid(viaPrism(guest, "GET", "/reports?status=open"), 403);
    await expectValid(viaPrism(guest, "POST", "/reports/some-report/resolve", {}), 403);
    const hook = { url: "http://127.0.0.1:9/prism", events: ["report.created"] };
    await expectValid(viaPrism(guest, "POST", "/webhooks", hook), 403);
    await expectValid(viaPrism(guest, "GET", "/webhooks"), 403);
    await expectValid(viaPrism(guest, "DELETE", "/webhooks/some-webhook"), 403);
    const moderator = await makeModerator(host);
    await expectValid(viaPrism(moderator, "GET", "/webhooks"), 403);
    const webhookAdmin = await makeWebhookAdmin(moderator);
    const { webhook } = await expectValid(viaPrism(webhookAdmin, "POST", "/webhooks", hook), 201);
    await expectValid(viaPrism(webhookAdmin, "GET", "/webhooks"), 200);
    await expectValid(viaPrism(webhookAdmin, "DELETE", `/webhooks/${(webhook as { id: string }).id}`), 200);
    await expectValid(viaPrism(guest, "POST", "/blocks", { uid: host.uid }), 201);
    await expectValid(viaPrism(guest, "POST", "/blocks", { uid: host.uid }), 200);
    await expectValid(viaPrism(guest, "GET", "/blocks"), 200);
    await expectValid(viaPrism(guest, "DELETE", `/blocks/${host.uid}`), 200);
    await expectValid(viaPrism(guest, "DELETE", `/blocks/${host.uid}`), 404);
    await expectValid(viaPrism(guest, "POST", `/users/${host.uid}/mute`), 200);
    await expectValid(viaPrism(guest, "POST", `/users/${guest.uid}/mute`), 400);
    await expectValid(viaPrism(guest, "GET", "/users/muted"), 200);
    await expectValid(viaPrism(guest, "POST", `/users/${host.uid}/unmute`), 200);

    await expectValid(viaPrism(guest, "POST", "/devices", { token: `t-${guest.uid}`, platform: "web" }), 201);
    await expectValid(viaPrism(guest, "POST", "/devices", { token: `t-${guest.uid}`, platform: "web" }), 200);
    await expectValid(viaPrism(guest, "DELETE", `/devices/${tokenHash(`t-${guest.uid}`)}`), 200);
    await expectValid(viaPrism(guest, "DELETE", `/devices/${tokenHash(`t-${guest.uid}`)}`), 404);

    await expectValid(viaPrism(guest, "GET", "/me/export"), 404);
    await expectValid(viaPrism(guest, "GET", "/me/export/download"), 404);
    await expectValid(viaPrism(guest, "POST", "/me/export"), 201);
    await expectValid(viaPrism(guest, "GET", "/me/export"), 200);

    await expectValid(viaPrism(guest, "DELETE", `/users/${host.uid}`), 403);
    await expectValid(viaPrism(host, "DELETE", "/me"), 200);
  });

  it("when both flows ran, then every declared operation went through Prism", () => {
    const matches = (op: Operation, call: string) =>
      new RegExp(`^${op.method.toUpperCase()} ${op.path.replace(/:\w+/g, "[^/]+")}$`).test(call);
    const missed = (Object.values(operations) as Operation[]).filter((op) => !called.some((call) => matches(op, call)));

    expect(missed.map((op) => op.name)).toEqual([]);
  });
});
