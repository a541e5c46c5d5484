#!/usr/bin/env node
// What link previews cost (issue 25): the trigger's work on a message with a link (a preview
// written, with its image copied to Storage), on one without a link, and in a chat with previews
// off; removing a preview; turning previews off. A local HTTP server on 127.0.0.1 plays the
// third-party site (the emulator project allow-lists that address). Document reads and writes
// are counted by bench/counting-firestore.mjs.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/link-previews-costs.mjs"
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import sharp from "sharp";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { createDirectChat } = require("../functions/lib/chats/create-chat.js");
const { sendMessage } = require("../functions/lib/messages/send-message.js");
const { previewLink } = require("../functions/lib/links/preview-link.js");
const { removeLinkPreview, setLinkPreviews } = require("../functions/lib/links/link-preview-actions.js");
const { createUserProfile } = require("../functions/lib/users/create-user-profile.js");
const { findAuthUser } = require("../functions/lib/users/find-auth-user.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);
const auth = getAuth(app);
const bucket = getStorage(app).bucket(`${projectId}.appspot.com`);
const noAuthLookup = () => Promise.resolve(null);
const allowedIps = ["127.0.0.1"];

/** A new Auth user with their profile, as the trigger makes it (not counted). */
async function user() {
  const name = `Links ${randomUUID().slice(0, 8)}`;
  const made = await auth.createUser({ email: `${name.replace(" ", "-").toLowerCase()}@bench.example.com`, displayName: name });
  await createUserProfile(admin, new Date(), (await findAuthUser(auth, made.uid)) ?? { uid: made.uid });
  return made.uid;
}

/** The local "site": a page with Open Graph tags and an image. Answers its base URL and a closer. */
async function site() {
  const image = await sharp({ create: { width: 640, height: 320, channels: 3, background: "#3366aa" } })
    .jpeg()
    .toBuffer();
  const page = '<html><head><meta property="og:title" content="Bench"><meta property="og:image" content="/i.jpg"></head></html>';
  const server = http.createServer((request, response) =>
    request.url === "/i.jpg"
      ? response.writeHead(200, { "content-type": "image/jpeg" }).end(image)
      : response.writeHead(200, { "content-type": "text/html" }).end(page),
  );
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * The trigger's reads and writes per message, and each link preview operation, in a 1:1 chat.
 * Background triggers must be off (the previews are made here, counted).
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function linkPreviewCosts(costOf) {
  const local = await site();
  const [alice, bob] = [await user(), await user()];
  const { chat } = await createDirectChat(admin, {
    now: new Date(),
    callerUid: alice,
    input: { memberUid: bob },
    findUser: noAuthLookup,
    requests: false,
  });
  const send = async (text) =>
    (await sendMessage(admin, { now: new Date(), senderUid: alice, chatId: chat.id, draft: { type: "text", text } })).message
      .number;
  const preview = (number) => () => previewLink(admin, { bucket, chatId: chat.id, number, allowedIps });
  try {
    const linked = await send(`see ${local.url}/page`);
    const cost = { triggerWithPreview: await costOf(preview(linked)) };
    cost.triggerAgain = await costOf(preview(linked));
    cost.triggerNoLink = await costOf(preview(await send("no link here")));
    cost.removeLinkPreview = await costOf(() =>
      removeLinkPreview(admin, { deleteObjects: async () => undefined, callerUid: alice, chatId: chat.id, number: linked }),
    );
    cost.setLinkPreviewsOff = await costOf(() => setLinkPreviews(admin, { callerUid: bob, chatId: chat.id, enabled: false }));
    cost.triggerPreviewsOff = await costOf(preview(await send(`again ${local.url}/page`)));
    return cost;
  } finally {
    await local.close();
  }
}

await runAlone(import.meta.url, admin, linkPreviewCosts, { quiet: true });
