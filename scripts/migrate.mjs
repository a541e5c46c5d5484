// Moves data made by earlier versions of Parley to the current layout, each step idempotent and
// resumable (run it again after any stop): rooms to per-member docs
// (functions/src/rooms/migrate-members.ts), then e-mail addresses out of the public profiles
// (functions/src/users/migrate-emails.ts) and the user-emails docs of unverified addresses, then
// search words on older messages
// (functions/src/messages/migrate-words.ts), then the chat-list field `inbox` on 1:1 chats made
// before message requests (functions/src/chats/migrate-inbox.ts), then blocks and mutes off the
// shared 1:1 chat docs (functions/src/chats/migrate-private-state.ts). Run it before the new
// functions take traffic.
//
// `after-deploy`, once the new functions serve all traffic: one name for an ended chat
// (`status: "ended"`, `endedAt`; no `active`, no `completedAt`) and `chat-completions` records
// moved to `ended-chats` (functions/src/chats/migrate-ended-chats.ts). Not before: functions of
// 0.1.0 take a chat without `active` for an ended one. The new functions read both
// shapes, so nothing waits on it.
//
//   npm run build
//   GCLOUD_PROJECT=<project> node scripts/migrate.mjs            # production (ADC)
//   FIRESTORE_EMULATOR_HOST=127.0.0.1:8080 FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:9099 \
//     GCLOUD_PROJECT=demo-parley node scripts/migrate.mjs
//   GCLOUD_PROJECT=<project> node scripts/migrate.mjs after-deploy
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { migrateRoomMembers } = require("../functions/lib/rooms/migrate-members.js");
const { migrateUserEmails, pruneUnverifiedEmails } = require("../functions/lib/users/migrate-emails.js");
const { verifiedEmails } = require("../functions/lib/users/verified-emails.js");
const { migrateSearchWords } = require("../functions/lib/messages/migrate-words.js");
const { migrateInbox } = require("../functions/lib/chats/migrate-inbox.js");
const { migratePrivateState } = require("../functions/lib/chats/migrate-private-state.js");
const { migrateEndedChats } = require("../functions/lib/chats/migrate-ended-chats.js");

const projectId = process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT;
if (!projectId) {
  console.error("Set GCLOUD_PROJECT to the Firebase project id.");
  process.exit(1);
}
const app = initializeApp({ projectId });
const db = getFirestore(app);
if (process.argv[2] === "after-deploy") {
  console.log(JSON.stringify({ endedChats: await migrateEndedChats(db) }));
  process.exit(0);
}
console.log(
  JSON.stringify({
    rooms: await migrateRoomMembers(db),
    emails: await migrateUserEmails(db, (uids) => verifiedEmails(getAuth(app), uids)),
    unverifiedEmails: await pruneUnverifiedEmails(db, (uids) => verifiedEmails(getAuth(app), uids)),
    searchWords: await migrateSearchWords(db),
    inbox: await migrateInbox(db),
    privateState: await migratePrivateState(db),
  }),
);
