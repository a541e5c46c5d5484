import { readFileSync } from "node:fs";
import { assertFails, assertSucceeds, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { collection, deleteDoc, doc, getDoc, getDocs, setDoc, Timestamp, updateDoc, type Firestore } from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rulesTestEnvironment } from "../helpers/rules.js";

// Its own demo project, so clearFirestore() never touches the other tests' data.
const projectId = "demo-parley-rules-edits";
let env: RulesTestEnvironment;

const alice = "alice-uid";
const bob = "bob-uid";
const eve = "eve-uid";
const hank = "hank-uid";
const chatId = `${alice}_${bob}`;
const roomId = "room1";
const at = Timestamp.fromMillis(1_700_000_000_000);
const edit = { number: 1, version: 1, text: "as sent", editedAt: at };

beforeAll(async () => {
  env = await rulesTestEnvironment(projectId);
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = modular(context.firestore());
    await setDoc(doc(db, "chats", chatId), { type: "direct", members: [alice, bob], messageCount: 1, status: "active" });
    await setDoc(doc(db, "chats", roomId), { type: "room", host: hank, memberCount: 1, messageCount: 1, status: "active" });
    await setDoc(doc(db, "chats", roomId, "members", hank), { uid: hank, chatId: roomId, role: "host", lastRead: 0 });
    for (const id of [chatId, roomId]) {
      await setDoc(doc(db, "chats", id, "messages", "0000000001"), { number: 1, text: "edited", editCount: 1 });
      await setDoc(doc(db, "chats", id, "messages", "0000000001", "edits", "1"), edit);
    }
    await setDoc(doc(db, "user-settings", alice), { mutedUsers: { [eve]: at } });
  });
});

afterAll(async () => env.cleanup());

// rules-unit-testing types its Firestore as the compat API; at run time it is the modular one.
const modular = (db: unknown) => db as Firestore;
const as = (uid: string | null): Firestore =>
  modular(uid === null ? env.unauthenticatedContext().firestore() : env.authenticatedContext(uid).firestore());
const editsIn = (db: Firestore, id: string) => collection(db, "chats", id, "messages", "0000000001", "edits");

const rulesSource = readFileSync("firestore.rules", "utf8").split("\n");
const editsStart = rulesSource.findIndex((line) => line.includes("match /edits/{version}"));
const editsReadLine = editsStart + rulesSource.slice(editsStart).findIndex((line) => line.includes("allow read")) + 1;

/** PERMISSION_DENIED by the edits' read rule (`why: "rule"`) or by no rule at all. */
async function denied(operation: Promise<unknown>, why: "rule" | "no rule") {
  const error = (await assertFails(operation)) as { code: string; message: string };
  expect(error.code).toBe("permission-denied");
  if (why === "no rule") expect(error.message).toContain("No matching allow statements");
  else expect(error.message).toMatch(new RegExp(`for '(get|list)' @ L${editsReadLine}\\b`));
}

describe("chats/{chatId}/messages/{messageId}/edits/{version}", () => {
  it("allows the members of a 1:1 chat and of a room to read a message's edit history", async () => {
    const mine = await assertSucceeds(getDocs(editsIn(as(bob), chatId)));
    expect(mine.docs.map((snap) => snap.get("text"))).toEqual(["as sent"]);
    await assertSucceeds(getDoc(doc(editsIn(as(alice), chatId), "1")));
    await assertSucceeds(getDocs(editsIn(as(hank), roomId)));
  });

  it("denies non-members and signed-out users, in a 1:1 chat and in a room", async () => {
    await denied(getDocs(editsIn(as(eve), chatId)), "rule");
    await denied(getDoc(doc(editsIn(as(bob), roomId), "1")), "rule");
    await denied(getDocs(editsIn(as(null), chatId)), "rule");
  });

  it("denies every client write to the history, even a member's", async () => {
    await denied(setDoc(doc(editsIn(as(alice), chatId), "2"), { ...edit, version: 2 }), "no rule");
    await denied(updateDoc(doc(editsIn(as(alice), chatId), "1"), { text: "rewritten" }), "no rule");
    await denied(deleteDoc(doc(editsIn(as(hank), roomId), "1")), "no rule");
  });
});

describe("user-settings/{uid}.mutedUsers", () => {
  it("allows a user to read whom they muted; denies everyone else, the muted user included, and every client write", async () => {
    const own = await assertSucceeds(getDoc(doc(as(alice), "user-settings", alice)));
    expect(Object.keys(own.get("mutedUsers") as object)).toEqual([eve]);
    await assertFails(getDoc(doc(as(eve), "user-settings", alice)));
    await assertFails(getDoc(doc(as(null), "user-settings", alice)));
    await denied(updateDoc(doc(as(alice), "user-settings", alice), { mutedUsers: {} }), "no rule");
  });
});
