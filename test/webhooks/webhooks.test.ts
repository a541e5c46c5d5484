import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { erasureId } from "../../functions/src/accounts/erase-account.js";
import type { MessageDoc, WebhookDeliveryDoc, WebhookEventType } from "../../functions/src/shared/model.js";
import { publishEvents, type WebhookSettings } from "../../functions/src/webhooks/deliveries.js";
import { eventOfMessageUpdate, eventOfNewMessage, type WebhookPayload } from "../../functions/src/webhooks/events.js";
import { retryDeliveries } from "../../functions/src/webhooks/retry-deliveries.js";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifySignature } from "../../functions/src/shared/signature.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { makeModerator, makeWebhookAdmin, signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// A local receiver on 127.0.0.1, the one address the emulator project lets webhooks reach
// (functions/.env.demo-parley: WEBHOOK_ALLOWED_IPS=127.0.0.1), and a "private" one on 127.0.0.2,
// not on the list, which counts connections: the guard must refuse it before connecting. No
// traffic leaves the loopback range. The emulator reads the signing secret from
// functions/.secret.local (committed, a demo value); the tests read the same file.

const secret = /^WEBHOOK_SIGNING_SECRET=(.*)$/m.exec(readFileSync("functions/.secret.local", "utf8"))?.[1] ?? "";
const settings: WebhookSettings = { secret, allowedIps: ["127.0.0.1"], cacheMs: 0 };

interface Hit {
  path: string;
  body: string;
  signature: string | undefined;
  eventId: string | undefined;
  payload: WebhookPayload;
}

interface Receiver {
  base: string;
  hits: Hit[];
  /** Statuses to answer on a path before 200s, in order. */
  failures: Map<string, number[]>;
  connections: () => number;
  close: () => Promise<void>;
}

async function receiver(host: string): Promise<Receiver> {
  const hits: Hit[] = [];
  const failures = new Map<string, number[]>();
  let connections = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = request.url ?? "";
      const header = (name: string) => request.headers[name] as string | undefined;
      hits.push({ path, body, signature: header(SIGNATURE_HEADER), eventId: header(EVENT_ID_HEADER), payload: JSON.parse(body) });
      response.writeHead(failures.get(path)?.shift() ?? 200).end();
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { base: `http://${host}:${port}`, hits, failures, connections: () => connections, close };
}

let local: Receiver;
let privateHost: Receiver;
const registered: string[] = [];

beforeAll(async () => {
  [local, privateHost] = await Promise.all([receiver("127.0.0.1"), receiver("127.0.0.2")]);
});

afterEach(async () => {
  // Webhooks go (no later test's events reach them), and so do their deliveries.
  await Promise.all(
    registered.splice(0).map(async (id) => {
      await adminDb().doc(`webhooks/${id}`).delete();
      const left = await adminDb().collection("webhook-deliveries").where("webhookId", "==", id).get();
      await Promise.all(left.docs.map((doc) => doc.ref.delete()));
    }),
  );
});

afterAll(async () => {
  await Promise.all([local.close(), privateHost.close()]);
});

/** Registers a webhook as an operator would (a `webhooks/` doc); returns its id and path on the receiver. */
async function register(events: WebhookEventType[], base = local.base) {
  const ref = adminDb().collection("webhooks").doc();
  const path = `/hook/${ref.id}`;
  await ref.set({ url: `${base}${path}`, events });
  registered.push(ref.id);
  return { id: ref.id, path };
}

const hitsOn = (path: string) => local.hits.filter((hit) => hit.path === path);
/** The hits on `path` once there are `count` of them (the triggers run after the writes). */
const hitsWhen = (path: string, count: number) =>
  eventually(() => {
    const hits = hitsOn(path);
    expect(hits).toHaveLength(count);
    return Promise.resolve(hits);
  });
const textOf = (hit: Hit) => (hit.payload.data.message as { text: string }).text;
const deliveriesOf = async (webhookId: string) =>
  (await adminDb().collection("webhook-deliveries").where("webhookId", "==", webhookId).get()).docs.map(
    (doc) => doc.data() as WebhookDeliveryDoc,
  );

describe("webhooks", () => {
  it("when a message is sent, then a subscribed endpoint gets one signed POST and an unsubscribed one nothing", async () => {
    const hook = await register(["message.new"]);
    const other = await register(["report.created", "message.deleted"]);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    await send(alice, chatId, "hello webhooks");

    const [hit] = await hitsWhen(hook.path, 1);
    expect(hit.payload).toMatchObject({
      type: "message.new",
      chatId,
      data: { message: { text: "hello webhooks", from: alice.uid } },
    });
    expect(hit.eventId).toBe(hit.payload.id);
    expect(verifySignature({ header: hit.signature, body: hit.body, secret })).toBe(true);
    expect(verifySignature({ header: hit.signature, body: hit.body.replace("hello", "HELLO"), secret })).toBe(false);
    expect(verifySignature({ header: hit.signature, body: hit.body, secret, now: new Date(Date.now() + 600_000) })).toBe(false);
    expect(await deliveriesOf(hook.id)).toEqual([
      expect.objectContaining({ eventId: hit.payload.id, state: "delivered", attempts: 1, lastStatus: 200, nextAttemptAt: null }),
    ]);
    expect(hitsOn(other.path)).toEqual([]);
    expect(await deliveriesOf(other.id)).toEqual([]);
  });

  it("when the endpoint fails twice, then the retry runner sends it again on schedule and the third attempt delivers", async () => {
    const hook = await register(["message.new"]);
    local.failures.set(hook.path, [500, 503]);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    await send(alice, chatId, "try again");
    const [first] = await eventually(async () => {
      const [delivery] = await deliveriesOf(hook.id);
      expect(delivery).toMatchObject({ state: "pending", attempts: 1, lastStatus: 500 });
      return [delivery];
    });
    const failedAt = first.updatedAt.toMillis();
    // The first retry is due at once: the job's next run (every minute) sends it.
    expect(first.nextAttemptAt?.toMillis()).toBe(failedAt);
    expect(await retryDeliveries(adminDb(), new Date(failedAt + 1_000), settings)).toMatchObject({ pairs: 1, retrying: 1 });
    const [second] = await deliveriesOf(hook.id);
    expect(second).toMatchObject({ state: "pending", attempts: 2, lastStatus: 503 });
    expect(second.nextAttemptAt?.toMillis()).toBe(failedAt + 301_000);
    // Not due yet: nothing is sent.
    expect(await retryDeliveries(adminDb(), new Date(failedAt + 300_000), settings)).toMatchObject({ pairs: 0, delivered: 0 });
    expect(await retryDeliveries(adminDb(), new Date(failedAt + 301_000), settings)).toMatchObject({ delivered: 1 });

    expect(await deliveriesOf(hook.id)).toEqual([expect.objectContaining({ state: "delivered", attempts: 3, lastStatus: 200 })]);
    const hits = hitsOn(hook.path);
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((hit) => hit.eventId)).size).toBe(1);
    expect(new Set(hits.map((hit) => hit.body)).size).toBe(1);
  });

  it("when the endpoint keeps failing, then the fifth attempt gives up, the chat's next event goes, and a removed webhook's deliveries fail", async () => {
    const hook = await register(["message.new"]);
    local.failures.set(hook.path, [500, 500, 500, 500, 500]);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "doomed");
    await eventually(async () => expect(await deliveriesOf(hook.id)).toMatchObject([{ attempts: 1 }]));
    await send(alice, chatId, "next");
    await eventually(async () => expect(await deliveriesOf(hook.id)).toHaveLength(2));

    let now = Date.now();
    for (const attempts of [2, 3, 4]) {
      now += 3_600_000 / 4;
      expect(await retryDeliveries(adminDb(), new Date(now), settings)).toMatchObject({ retrying: 1, delivered: 0 });
      expect((await deliveriesOf(hook.id)).map((one) => one.attempts).sort()).toEqual([0, attempts]);
    }
    now += 3_600_000;
    expect(await retryDeliveries(adminDb(), new Date(now), settings)).toMatchObject({ failed: 1, delivered: 1 });

    const byText = Object.fromEntries(
      (await deliveriesOf(hook.id)).map((one) => [JSON.parse(one.payload).data.message.text, one]),
    );
    expect(byText.doomed).toMatchObject({ state: "failed", attempts: 5, lastStatus: 500, nextAttemptAt: null });
    expect(byText.next).toMatchObject({ state: "delivered", attempts: 1 });
    expect(hitsOn(hook.path).map(textOf)).toEqual(["doomed", "doomed", "doomed", "doomed", "doomed", "next"]);

    local.failures.set(hook.path, [503]);
    await send(bob, chatId, "orphan");
    await eventually(async () => expect(await deliveriesOf(hook.id)).toHaveLength(3));
    await adminDb().doc(`webhooks/${hook.id}`).delete();
    expect(await retryDeliveries(adminDb(), new Date(Date.now() + 60_000), settings)).toMatchObject({ orphaned: 1 });
    const orphan = (await deliveriesOf(hook.id)).find((one) => one.payload.includes("orphan"));
    expect(orphan).toMatchObject({ state: "failed", lastError: "webhook-removed" });
  });

  it("when an earlier event of a chat is still retrying, then later ones wait and arrive after it, in order", async () => {
    const hook = await register(["message.new"]);
    local.failures.set(hook.path, [503]);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    await send(alice, chatId, "one");
    await eventually(async () => expect(await deliveriesOf(hook.id)).toMatchObject([{ state: "pending", attempts: 1 }]));
    await send(alice, chatId, "two");
    await send(bob, chatId, "three");
    const waiting = await eventually(async () => {
      const deliveries = await deliveriesOf(hook.id);
      expect(deliveries).toHaveLength(3);
      return deliveries;
    });
    expect(waiting.map((delivery) => [delivery.state, delivery.attempts]).sort()).toEqual([
      ["pending", 0],
      ["pending", 0],
      ["pending", 1],
    ]);
    expect(hitsOn(hook.path).map(textOf)).toEqual(["one"]);

    const report = await retryDeliveries(adminDb(), new Date(Date.now() + 60_000), settings);

    expect(report).toMatchObject({ pairs: 1, delivered: 3 });
    expect(hitsOn(hook.path).map(textOf)).toEqual(["one", "one", "two", "three"]);
  });

  it("when the trigger's work runs twice on one message, then no second delivery or POST happens, with the same event id", async () => {
    const hook = await register(["message.new"]);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const { number } = await send(alice, chatId, "once");
    await hitsWhen(hook.path, 1);
    const snap = await adminDb()
      .doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`)
      .get();
    const event = eventOfNewMessage(chatId, snap.data() as MessageDoc, snap.updateTime?.toDate() ?? new Date());

    const again = await publishEvents(adminDb(), new Date(), settings, [event]);

    expect(again).toEqual({ recorded: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(hitsOn(hook.path).map((hit) => hit.eventId)).toEqual([event.id]);
    expect(await deliveriesOf(hook.id)).toHaveLength(1);
  });

  it("when an endpoint's address is loopback but not on WEBHOOK_ALLOWED_IPS, then nothing connects and the attempt records refused-address", async () => {
    const hook = await register(["message.new"], privateHost.base);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    await send(alice, chatId, "to a private address");

    await eventually(async () =>
      expect(await deliveriesOf(hook.id)).toEqual([
        expect.objectContaining({ state: "pending", attempts: 1, lastStatus: null, lastError: "refused-address" }),
      ]),
    );
    expect(privateHost.connections()).toBe(0);
  });

  /** Message `number`'s doc, as stored now. */
  const messageDoc = async (chatId: string, number: number) =>
    adminDb()
      .doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`)
      .get();

  /**
   * What `onMessageUpdated` does with the update of message `number` from `before`. That trigger
   * is deployed only with `webhooks.messageUpdates` in parley.config.json, which the test suite
   * leaves off (it would run on every update of every message of the suite).
   */
  async function publishUpdate(chatId: string, number: number, before: MessageDoc) {
    const snap = await messageDoc(chatId, number);
    const event = eventOfMessageUpdate(
      chatId,
      { before, after: snap.data() as MessageDoc },
      snap.updateTime?.toDate() ?? new Date(),
    );
    await publishEvents(adminDb(), new Date(), settings, event ? [event] : []);
  }

  it("when a message is edited, reacted to, deleted, reported and the chat ended, then each subscribed type arrives", async () => {
    const types: WebhookEventType[] = ["message.updated", "reaction.new", "message.deleted", "report.created", "chat.ended"];
    const hook = await register(types);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const { number } = await send(alice, chatId, "first draft");
    const ok = (status: number) => expect([200, 201]).toContain(status);

    const draft = (await messageDoc(chatId, number)).data() as MessageDoc;
    ok((await api(alice, "PATCH", `/chats/${chatId}/messages/${number}`, { body: { text: "second draft" } })).status);
    await publishUpdate(chatId, number, draft);
    await hitsWhen(hook.path, 1);
    ok((await api(bob, "PUT", `/chats/${chatId}/messages/${number}/reactions/${encodeURIComponent("👍")}`)).status);
    await hitsWhen(hook.path, 2);
    ok((await api(bob, "POST", `/chats/${chatId}/messages/${number}/report`, { body: { reason: "spam" } })).status);
    await hitsWhen(hook.path, 3);
    const edited = (await messageDoc(chatId, number)).data() as MessageDoc;
    ok((await api(alice, "DELETE", `/chats/${chatId}/messages/${number}`)).status);
    await publishUpdate(chatId, number, edited);
    await hitsWhen(hook.path, 4);
    ok((await api(alice, "POST", `/chats/${chatId}/end`)).status);

    const hits = await hitsWhen(hook.path, 5);
    expect(hits.map((hit) => hit.payload.type)).toEqual([
      "message.updated",
      "reaction.new",
      "report.created",
      "message.deleted",
      "chat.ended",
    ]);
    expect(hits[0].payload.data).toMatchObject({ message: { number, text: "second draft", editCount: 1 } });
    expect(hits[1].payload.data).toEqual({ number, uid: bob.uid, emoji: "👍" });
    expect(hits[2].payload.data).toMatchObject({ number, reporter: bob.uid, reason: "spam", from: alice.uid });
    expect(hits[3].payload.data).toEqual({ message: { number, from: alice.uid } });
    expect(hits[4].payload.data).toMatchObject({ endedBy: alice.uid });
    expect(hits.every((hit) => verifySignature({ header: hit.signature, body: hit.body, secret }))).toBe(true);
  });

  it("when a webhook admin registers a webhook through the API, then it is sent events, listed and removed; others, moderators too, get 403", async () => {
    const [alice, bob, plain, admin] = await signUpMany("Alice", "Bob", "Plain", "Admin");
    const moderator = await makeWebhookAdmin(admin);
    const onlyModerator = await makeModerator(plain);
    const body = { url: `${local.base}/hook/api-${moderator.uid}`, events: ["message.new"] };

    expect((await api(plain, "POST", "/webhooks", { body })).status).toBe(403);
    expect((await api(onlyModerator, "POST", "/webhooks", { body })).status).toBe(403);
    expect((await api(onlyModerator, "GET", "/webhooks")).status).toBe(403);
    expect((await api(moderator, "POST", "/webhooks", { body: { ...body, url: "ftp://example.com" } })).status).toBe(400);
    expect((await api(moderator, "POST", "/webhooks", { body: { ...body, events: ["message.sent"] } })).status).toBe(400);
    const created = await api<{ webhook: { id: string } }>(moderator, "POST", "/webhooks", { body });
    expect(created.status).toBe(201);
    const { id } = created.body.webhook;
    registered.push(id);
    expect(created.body.webhook).toEqual({ id, ...body, active: true });
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "via the api");
    await hitsWhen(`/hook/api-${moderator.uid}`, 1);

    const listed = await api<{ webhooks: { id: string }[] }>(moderator, "GET", "/webhooks");
    expect(listed.body.webhooks.map((hook) => hook.id)).toContain(id);
    expect((await api(plain, "DELETE", `/webhooks/${id}`)).status).toBe(403);
    expect((await api(moderator, "DELETE", `/webhooks/${id}`)).body).toEqual({ deleted: true });
    expect((await api(moderator, "DELETE", `/webhooks/${id}`)).body).toEqual({ deleted: false });
    const audit = await adminDb().collection("moderation-audit").where("webhookId", "==", id).get();
    expect(audit.docs.map((doc) => doc.get("action")).sort()).toEqual(["delete-webhook", "register-webhook"]);
  });

  it("when an account is deleted, then the deliveries whose payload names it are deleted with it", async () => {
    const hook = await register(["message.new"]);
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "from alice");
    await send(bob, chatId, "from bob");
    await hitsWhen(hook.path, 2);

    expect((await api(alice, "DELETE", "/me")).status).toBe(200);
    await eventually(async () => {
      const job = await adminDb()
        .doc(`account-deletions/${erasureId(alice.uid)}`)
        .get();
      expect(job.get("state")).toBe("done");
    }, 120_000);

    const left = await deliveriesOf(hook.id);
    expect(left.map((delivery) => delivery.uids)).toEqual([[bob.uid]]);
    // The 1:1 chat's id holds both uids and stays for Bob, as the chat does; the data names Bob only.
    expect(
      left.map((delivery) => JSON.stringify((JSON.parse(delivery.payload) as WebhookPayload).data).includes(alice.uid)),
    ).toEqual([false]);
  });
});
