#!/usr/bin/env node
// What deleting an account costs (functions/src/accounts/): starting the job, and running it to
// the end for a user with 0 and with 50 messages in a 1:1 chat (each page reads the job, the
// profile and the page, and writes the page with the job's progress; every sweep runs at least
// one query, empty or not). Document reads and writes are counted by bench/counting-firestore.mjs.
// Run inside the emulators (npm run bench runs it):
// node scripts/emulators.mjs exec "node bench/account-deletion-costs.mjs"
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { createDirectChat } = require("../functions/lib/chats/create-chat.js");
const { sendMessage } = require("../functions/lib/messages/send-message.js");
const { createUserProfile } = require("../functions/lib/users/create-user-profile.js");
const { findAuthUser } = require("../functions/lib/users/find-auth-user.js");
const { startErasure, runErasurePage } = require("../functions/lib/accounts/erase-account.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);
const auth = getAuth(app);
const findUser = (uid) => findAuthUser(auth, uid);

/** A new Auth user with their profile (not counted). */
async function user() {
  const name = `Erase ${randomUUID().slice(0, 8)}`;
  const created = await auth.createUser({
    email: `${name.replace(" ", "-").toLowerCase()}@bench.example.com`,
    displayName: name,
  });
  await createUserProfile(admin, new Date(), (await findUser(created.uid)) ?? { uid: created.uid });
  return created.uid;
}

/** A user who sent `messages` messages in a 1:1 chat (not counted). */
async function userWith(messages) {
  const [uid, other] = [await user(), await user()];
  const { chat } = await createDirectChat(admin, { now: new Date(), callerUid: uid, input: { memberUid: other }, findUser });
  for (let i = 0; i < messages; i++) {
    await sendMessage(admin, { now: new Date(), senderUid: uid, chatId: chat.id, draft: { type: "text", text: `m${i}` } });
    if (i === 0)
      await sendMessage(admin, { now: new Date(), senderUid: other, chatId: chat.id, draft: { type: "text", text: "ok" } });
  }
  return uid;
}

/**
 * Starting an account's erasure, and running it to the end (pages of 200) for 0 and 50
 * messages. Background triggers must be off (the job's trigger would run it meanwhile).
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function accountDeletionCosts(costOf) {
  const result = {};
  for (const messages of [0, 50]) {
    const uid = await userWith(messages);
    let id = "";
    result[`start (${messages} messages)`] = await costOf(async () => {
      ({ id } = await startErasure(admin, { now: new Date(), uid, requestedBy: "self", messages: "anonymise" }));
    });
    let pages = 0;
    const run = await costOf(async () => {
      const options = { now: new Date(), pageSize: 200, bucket: getStorage(app).bucket(`${projectId}.appspot.com`) };
      while ((await runErasurePage(admin, id, options)) === "more") pages++;
    });
    result[`run to the end (${messages} messages)`] = { ...run, pages: pages + 1 };
  }
  return result;
}

await runAlone(import.meta.url, admin, accountDeletionCosts, {
  rows: (result) => Object.entries(result).map(([operation, cost]) => ({ operation, ...cost })),
  quiet: true,
});
