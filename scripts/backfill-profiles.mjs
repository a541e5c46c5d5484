// Gives every Firebase Auth user a profile (`users/{uid}`): for a project that had users before
// Parley was deployed, or whose user-created trigger failed for good. Pages through Auth 1,000
// users at a time and creates each missing profile with the repair the API makes when a call
// finds one missing (functions/src/users/backfill-profiles.ts). Idempotent and resumable: run
// it again after any stop, or go on from the page token it printed last.
//
//   npm run build
//   GCLOUD_PROJECT=<project> node scripts/backfill-profiles.mjs [--page-token <token>]   # production (ADC)
//   FIRESTORE_EMULATOR_HOST=127.0.0.1:8080 FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:9099 \
//     GCLOUD_PROJECT=demo-parley node scripts/backfill-profiles.mjs
//
// Prints a line per page on stderr, then the totals as JSON on stdout:
// {"users":…,"created":…,"existing":…,"pages":…,"nextPageToken":null}.
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);
const { backfillProfiles } = require("../functions/lib/users/backfill-profiles.js");

const { values } = parseArgs({ options: { "page-token": { type: "string" } } });
const projectId = process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT;
if (!projectId) {
  console.error("Set GCLOUD_PROJECT to the Firebase project id.");
  process.exit(1);
}
const app = initializeApp({ projectId });
const auth = getAuth(app);
const report = await backfillProfiles(
  getFirestore(app),
  new Date(),
  (maxResults, pageToken) => auth.listUsers(maxResults, pageToken),
  {
    pageToken: values["page-token"],
    onPage: (totals) =>
      console.error(
        `page ${totals.pages}: ${totals.users} users, ${totals.created} profiles created` +
          (totals.nextPageToken ? `; to go on from here: --page-token ${totals.nextPageToken}` : "; done"),
      ),
  },
);
console.log(JSON.stringify(report));
