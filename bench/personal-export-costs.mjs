#!/usr/bin/env node
// What a user's data export costs (functions/src/exports/): the request, a page of their
// messages, the empty page of their replies, and the ZIP step, for a user with MESSAGES messages
// in a 1:1 chat, one room and one block. Storage objects (the parts, the ZIP) are not counted here.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/personal-export-costs.mjs"
import { seedingWriter } from "./bulk.mjs";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { backgroundTriggers, runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { requestPersonalExport } = require("../functions/lib/exports/personal-export.js");
const { buildPersonalExportStep } = require("../functions/lib/exports/build-personal-export.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId, storageBucket: `${projectId}.appspot.com` });
const admin = getFirestore(app);

/** Messages of the user's the export pages through (one page: the trigger reads 500 a step). */
const MESSAGES = 100;

/** Seeds a user with {@link MESSAGES} messages in a 1:1 chat, a room membership and a block. */
async function seedUser() {
  const [uid, other, roomId] = [randomUUID(), randomUUID(), randomUUID().replaceAll("-", "")];
  const members = [uid, other].sort();
  const chatId = members.join("_");
  const at = Timestamp.now();
  const writer = seedingWriter(admin);
  writer.set(admin.doc(`users/${uid}`), { displayName: "Cost", photoURL: null, createdAt: at });
  writer.set(admin.doc(`chats/${chatId}`), {
    type: "direct",
    members,
    inbox: members,
    status: "active",
    createdAt: at,
    messageCount: MESSAGES,
  });
  for (let number = 1; number <= MESSAGES; number++) {
    const id = String(number).padStart(10, "0");
    writer.set(admin.doc(`chats/${chatId}/messages/${id}`), {
      number,
      from: uid,
      type: "text",
      text: `message ${number}`,
      clientMessageId: null,
      createdAt: at,
    });
  }
  writer.set(admin.doc(`chats/${roomId}/members/${uid}`), { uid, chatId: roomId, role: "member", joinedAt: at, lastRead: 0 });
  writer.set(admin.doc(`blocks/${uid}_${other}`), { blocker: uid, blocked: other, createdAt: at });
  await writer.close();
  return uid;
}

/**
 * Each step of an export, in order. Background triggers must be off (the trigger would run the
 * steps itself); this turns them off and leaves them off.
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function personalExportCosts(costOf) {
  await backgroundTriggers("disable");
  const uid = await seedUser();
  const links = { apiUrl: "http://127.0.0.1/api", appUrl: "http://127.0.0.1", emails: async () => new Map() };
  const step = () =>
    buildPersonalExportStep(admin, {
      uid,
      bucket: getStorage(app).bucket(`${projectId}.appspot.com`),
      now: new Date(),
      pageSize: 500,
      links,
    });
  return {
    request: await costOf(() => requestPersonalExport(admin, uid, new Date())),
    [`messagesPage${MESSAGES}`]: await costOf(step),
    repliesPageEmpty: await costOf(step),
    archive: await costOf(step),
  };
}

await runAlone(import.meta.url, admin, personalExportCosts, { quiet: true });
