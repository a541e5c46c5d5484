// Moves rooms made before per-member docs to the current layout (see
// functions/src/rooms/migrate-members.ts). Idempotent and resumable: run it again after any stop.
//
//   npm run build
//   GCLOUD_PROJECT=<project> node scripts/migrate-member-docs.mjs            # production (ADC)
//   FIRESTORE_EMULATOR_HOST=127.0.0.1:8080 GCLOUD_PROJECT=demo-parley node scripts/migrate-member-docs.mjs
import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { migrateRoomMembers } = require("../functions/lib/rooms/migrate-members.js");

const projectId = process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT;
if (!projectId) {
  console.error("Set GCLOUD_PROJECT to the Firebase project id.");
  process.exit(1);
}
const db = getFirestore(initializeApp({ projectId }));
const report = await migrateRoomMembers(db);
console.log(JSON.stringify(report));
