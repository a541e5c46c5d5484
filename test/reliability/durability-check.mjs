// Run inside a second emulator suite started from an export (test/reliability/durability.test.ts):
// reads every chat, message, count and file named in the expectation file and reports mismatches.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";

const expected = JSON.parse(readFileSync(process.argv[2], "utf8"));
/** JSON with object keys sorted: maps come back from an import in any key order. */
const canonical = (value) =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
const app = initializeApp({ projectId: process.env.GCLOUD_PROJECT, storageBucket: expected.bucket });
const db = getFirestore(app);
const bucket = getStorage(app).bucket();
const problems = [];
for (const chat of expected.chats) {
  const snap = await db.doc(`chats/${chat.id}`).get();
  const data = snap.data();
  if (!data) {
    problems.push(`chat ${chat.id} is missing`);
    continue;
  }
  for (const key of ["messageCount", "unread", "lastRead", "lastMessage", "members"]) {
    if (canonical(data[key]) !== canonical(chat[key])) problems.push(`chat ${chat.id}.${key} differs: ${canonical(data[key])}`);
  }
  const messages = await db.collection(`chats/${chat.id}/messages`).orderBy("number").get();
  const seen = messages.docs.map((doc) => [doc.get("number"), doc.get("type"), doc.get("text")]);
  if (JSON.stringify(seen) !== JSON.stringify(chat.messages)) problems.push(`chat ${chat.id} messages differ`);
}
for (const file of expected.files) {
  const [exists] = await bucket.file(file.path).exists();
  if (!exists) {
    problems.push(`object ${file.path} is missing`);
    continue;
  }
  const [bytes] = await bucket.file(file.path).download();
  if (createHash("sha256").update(bytes).digest("hex") !== file.sha256) problems.push(`object ${file.path} differs`);
}
const users = await db.collection("users").count().get();
if (users.data().count < expected.users) problems.push(`only ${users.data().count} users, expected ${expected.users}`);
console.log(`DURABILITY ${JSON.stringify({ chats: expected.chats.length, files: expected.files.length, problems })}`);
process.exit(problems.length === 0 ? 0 : 1);
