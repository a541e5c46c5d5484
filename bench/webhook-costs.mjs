#!/usr/bin/env node
// What webhooks cost (issue 26): the message trigger's webhook work per message with no webhook
// (list cached or not), with 1 and 3 webhooks subscribed (each delivered at once), with 3
// endpoints failing (a retry recorded), a retry run with nothing due, and one retrying 3. A
// local HTTP server on 127.0.0.1 is the endpoint (the emulator project allow-lists it). Document
// reads and writes are counted by bench/counting-firestore.mjs.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/webhook-costs.mjs"
import http from "node:http";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { publishEvents } = require("../functions/lib/webhooks/deliveries.js");
const { eventOfNewMessage } = require("../functions/lib/webhooks/events.js");
const { retryDeliveries } = require("../functions/lib/webhooks/retry-deliveries.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);
const settings = { secret: "bench-secret", allowedIps: ["127.0.0.1"], cacheMs: 0 };

/** The endpoint: answers `status()` to every POST. */
async function endpoint(status) {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(status()).end());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, close: () => new Promise((resolve) => server.close(resolve)) };
}

let number = 0;
/** A new message's event in its own chat (no message is written: the trigger's input is the doc). */
const nextEvent = () => {
  number += 1;
  const message = {
    number,
    from: "bench-user",
    type: "text",
    text: "hello",
    clientMessageId: null,
    createdAt: { toDate: () => new Date() },
  };
  return eventOfNewMessage(`bench-webhooks-${Date.now()}-${number}`, message, new Date());
};

/** Registers `count` webhooks on `url`; answers a remover (of them and their deliveries). */
async function register(count, url) {
  const refs = await Promise.all(
    Array.from({ length: count }, async () => {
      const ref = admin.collection("webhooks").doc();
      await ref.set({ url, events: ["message.new"] });
      return ref;
    }),
  );
  return async () => {
    for (const ref of refs) {
      const deliveries = await admin.collection("webhook-deliveries").where("webhookId", "==", ref.id).get();
      await Promise.all([ref.delete(), ...deliveries.docs.map((doc) => doc.ref.delete())]);
    }
  };
}

/**
 * The webhook work of the message trigger (`publishEvents`) and of the retry job
 * (`retryDeliveries`). Background triggers must be off (the work is done here, counted).
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function webhookCosts(costOf) {
  let failing = false;
  const local = await endpoint(() => (failing ? 503 : 200));
  const publish =
    (cacheMs = 0) =>
    () =>
      publishEvents(admin, new Date(), { ...settings, cacheMs }, [nextEvent()]);
  try {
    const cost = { noWebhookUncached: await costOf(publish()) };
    await publishEvents(admin, new Date(), { ...settings, cacheMs: 30_000 }, []);
    cost.noWebhookCached = await costOf(publish(30_000));
    cost.retryRunNothingDue = await costOf(() => retryDeliveries(admin, new Date(), settings));
    let remove = await register(1, local.url);
    cost.oneWebhookDelivered = await costOf(publish());
    await remove();
    remove = await register(3, local.url);
    cost.threeWebhooksDelivered = await costOf(publish());
    failing = true;
    cost.threeWebhooksFailing = await costOf(publish());
    failing = false;
    cost.retryRunThreeDue = await costOf(() => retryDeliveries(admin, new Date(Date.now() + 60_000), settings));
    await remove();
    return cost;
  } finally {
    await local.close();
  }
}

await runAlone(import.meta.url, admin, webhookCosts, { quiet: true });
