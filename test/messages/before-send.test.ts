import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, objectNames } from "../helpers/admin.js";
import { createChat } from "../helpers/api.js";
import { loopback, testPort } from "../helpers/emulators.js";
import { serveApi, type ServedFunction } from "../helpers/framework.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

// The before-send hook on the production runtime: `api` served by the Functions Framework with
// the hook's params pointing at a receiver in this process on the loopback (127.0.0.1 on the
// hook's allow-list). The receiver answers by the text it gets: "reject..." rejects, "rewrite..."
// rewrites to upper case, "slow..." answers after 1.5 s (past the 1 s limit), anything else allows.
// Every other test file runs with no hook (functions/.env), the default.

const secret = "test-hook-secret";
const heard: { body: Record<string, unknown>; signature: string | undefined; raw: string }[] = [];

function answerTo(text: string): { delayMs: number; answer: unknown } {
  if (text.startsWith("reject")) return { delayMs: 0, answer: { action: "reject", reason: "Not in this chat, please." } };
  if (text.startsWith("rewrite")) return { delayMs: 0, answer: { action: "rewrite", text: text.toUpperCase() } };
  if (text.startsWith("slow")) return { delayMs: 1_500, answer: { action: "allow" } };
  return { delayMs: 0, answer: { action: "allow" } };
}

let receiver: Server;
let open: ServedFunction;
let closed: ServedFunction;
beforeAll(async () => {
  receiver = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      heard.push({ body, raw, signature: request.headers["x-parley-signature"] as string | undefined });
      const { delayMs, answer } = answerTo(String(body.text));
      setTimeout(() => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)), delayMs);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, loopback, resolve));
  const hook = {
    BEFORE_SEND_HOOK_URL: `http://${loopback}:${(receiver.address() as AddressInfo).port}/hook`,
    BEFORE_SEND_HOOK_SECRET: secret,
    BEFORE_SEND_HOOK_ALLOWED_IPS: loopback,
  };
  const base = testPort(8440);
  [open, closed] = await Promise.all([
    serveApi(base, hook),
    serveApi(base + 1, { ...hook, BEFORE_SEND_HOOK_FAILURE: "closed", PROFANITY_FILTER: "mask" }),
  ]);
}, 120_000);
afterAll(() => {
  open?.stop();
  closed?.stop();
  receiver?.close();
});

async function call(served: ServedFunction, user: TestUser, method: string, path: string, body?: unknown) {
  const response = await fetch(`${served.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${user.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

/** A JSON answer of the API: a message, or an error. */
interface Answer {
  message?: { text: string };
  error?: { code: string; message: string };
}

/** What the receiver heard about chat `chatId`. */
const heardIn = (chatId: string) => heard.filter((entry) => entry.body.chatId === chatId);

async function messagesOf(chatId: string) {
  const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
  const messages = await adminDb().collection(`chats/${chatId}/messages`).get();
  const keys = await adminDb().collection(`chats/${chatId}/client-messages`).get();
  return { count: chat?.messageCount as number, texts: messages.docs.map((doc) => doc.data().text as string), keys: keys.size };
}

describe("the before-send hook (fails open)", () => {
  it("when the hook allows a send, then it is stored, and the hook got the message as signed JSON before it was", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sent = await call(open, alice, "POST", `/chats/${chatId}/messages`, { text: "hello Bob", clientMessageId: "m1" });
    const retried = await call(open, alice, "POST", `/chats/${chatId}/messages`, { text: "hello Bob", clientMessageId: "m1" });

    expect([sent.status, retried.status]).toEqual([201, 200]);
    expect(await messagesOf(chatId)).toEqual({ count: 1, texts: ["hello Bob"], keys: 1 });
    const [asked, ...more] = heardIn(chatId);
    expect(more).toEqual([]); // the retry found its message without asking again
    expect(asked.body).toEqual({ kind: "new", chatId, from: alice.uid, type: "text", text: "hello Bob" });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(asked.signature ?? "") ?? [];
    expect(v1).toBe(createHmac("sha256", secret).update(`${t}.${asked.raw}`).digest("hex"));
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
  });

  it("when the hook rejects a send, then 403 permission-denied with its reason, and nothing is stored, retries included", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await call(open, alice, "POST", `/chats/${chatId}/messages`, { text: "first" });

    const body = { text: "reject me", clientMessageId: "r1" };
    const refused = await call(open, alice, "POST", `/chats/${chatId}/messages`, body);
    const again = await call(open, alice, "POST", `/chats/${chatId}/messages`, body);

    expect(refused).toEqual({
      status: 403,
      body: { error: { code: "permission-denied", message: "Not in this chat, please." } },
    });
    expect(again.status).toBe(403);
    expect(await messagesOf(chatId)).toEqual({ count: 1, texts: ["first"], keys: 0 });
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat?.lastMessage?.number).toBe(1);
  });

  it("when the hook rewrites, then the stored text is its text, for sends, captions and thread replies", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sent = await call(open, alice, "POST", `/chats/${chatId}/messages`, { text: "rewrite this" });
    const form = new FormData();
    form.append("text", "rewrite caption");
    form.append("file", new Blob([new Uint8Array(64)], { type: "application/octet-stream" }), "notes.bin");
    const upload = await fetch(`${open.base}/chats/${chatId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}` },
      body: form,
    });
    const reply = await call(open, bob, "POST", `/chats/${chatId}/messages`, { text: "rewrite reply", threadOf: 1 });

    expect([sent.status, upload.status, reply.status]).toEqual([201, 201, 201]);
    expect(sent.body.message?.text).toBe("REWRITE THIS");
    expect(await messagesOf(chatId)).toMatchObject({ count: 2, texts: ["REWRITE THIS", "REWRITE CAPTION"] });
    const replies = await adminDb().collection(`chats/${chatId}/threads/0000000001/replies`).get();
    expect(replies.docs.map((doc) => doc.data().text)).toEqual(["REWRITE REPLY"]);
    const file = heardIn(chatId).find((entry) => entry.body.type === "file");
    expect(file?.body).toMatchObject({ kind: "new", text: "rewrite caption", file: { name: "notes.bin", size: 64 } });
    expect(heardIn(chatId).find((entry) => entry.body.threadOf === 1)?.body.from).toBe(bob.uid);
  });

  it("when the hook rejects an edit, a thread reply, a caption or a forward, then 403 and nothing of it is stored", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const other = await createChat(alice, (await signUpMany("Carol"))[0]);
    await call(open, alice, "POST", `/chats/${chatId}/messages`, { text: "fine" });
    await call(open, alice, "POST", `/chats/${chatId}/messages`, { text: "to forward" });

    const edit = await call(open, alice, "PATCH", `/chats/${chatId}/messages/1`, { text: "reject this edit" });
    const reply = await call(open, bob, "POST", `/chats/${chatId}/messages`, { text: "reject reply", threadOf: 1 });
    const form = new FormData();
    form.append("text", "reject caption");
    form.append("file", new Blob([new Uint8Array(64)], { type: "application/octet-stream" }), "notes.bin");
    const upload = await fetch(`${open.base}/chats/${chatId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}` },
      body: form,
    });
    await adminDb().doc(`chats/${chatId}/messages/0000000002`).update({ text: "reject when forwarded" });
    const forward = await call(open, alice, "POST", `/chats/${chatId}/messages/2/forward`, { toChatId: other });

    expect([edit.status, reply.status, upload.status, forward.status]).toEqual([403, 403, 403, 403]);
    expect(await messagesOf(chatId)).toMatchObject({ count: 2, texts: ["fine", "reject when forwarded"] });
    expect((await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data()?.editCount).toBeUndefined();
    expect((await adminDb().collection(`chats/${chatId}/threads/0000000001/replies`).get()).size).toBe(0);
    expect(await objectNames(`chats/${chatId}/`)).toEqual([]);
    expect((await messagesOf(other)).count).toBe(0);
    expect(heardIn(chatId).find((entry) => entry.body.kind === "edit")?.body).toMatchObject({ number: 1, type: "text" });
  });

  it("when the hook takes over 1 s, then the send is stored as sent (fail open)", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sent = await call(open, alice, "POST", `/chats/${chatId}/messages`, { text: "slow but fine" });

    expect(sent.status).toBe(201);
    expect(await messagesOf(chatId)).toEqual({ count: 1, texts: ["slow but fine"], keys: 0 });
  });

  it("when a stranger sends to a chat, then 404 as always, and the hook never hears of it", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);

    const sent = await call(open, mallory, "POST", `/chats/${chatId}/messages`, { text: "reject me" });

    expect(sent.status).toBe(404);
    expect(heardIn(chatId)).toEqual([]);
  });
});

describe("the before-send hook (fails closed) after the built-in profanity filter", () => {
  it("when the hook takes over 1 s, then 503 unavailable and nothing is stored", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sent = await call(closed, alice, "POST", `/chats/${chatId}/messages`, { text: "slow and refused" });

    expect(sent.status).toBe(503);
    expect(sent.body.error?.code).toBe("unavailable");
    expect(await messagesOf(chatId)).toEqual({ count: 0, texts: [], keys: 0 });
  });

  it("when a message has profanity, then it is stored masked, and the hook hears the masked text", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sent = await call(closed, alice, "POST", `/chats/${chatId}/messages`, { text: "what the fuck, Bob" });
    const edited = await call(closed, alice, "PATCH", `/chats/${chatId}/messages/1`, { text: "oh sh1t, sorry" });

    expect([sent.status, edited.status]).toEqual([201, 200]);
    expect(sent.body.message?.text).toBe("what the ****, Bob");
    expect(await messagesOf(chatId)).toMatchObject({ count: 1, texts: ["oh ****, sorry"] });
    expect(heardIn(chatId).map((entry) => entry.body.text)).toEqual(["what the ****, Bob", "oh ****, sorry"]);
  });
});
