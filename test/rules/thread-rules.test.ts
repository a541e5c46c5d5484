import { assertFails, assertSucceeds, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { collection, deleteDoc, doc, getDoc, getDocs, setDoc, Timestamp, updateDoc, type Firestore } from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rulesTestEnvironment } from "../helpers/rules.js";

// Its own demo project, so clearFirestore() never touches the other tests' data.
const projectId = "demo-parley-rules-threads";
let env: RulesTestEnvironment;

const alice = "alice-uid";
const bob = "bob-uid";
const eve = "eve-uid";
const hank = "hank-uid";
const chatId = `${alice}_${bob}`;
const roomId = "room1";
const at = Timestamp.fromMillis(1_700_000_000_000);
const parent = "0000000001";
const thread = { parent: 1, replyCount: 1, lastReplyAt: at, repliers: [bob], participants: [alice, bob], read: { [bob]: 1 } };
const reply = { number: 1, from: bob, type: "text", text: "in the thread", clientMessageId: null, createdAt: at, threadOf: 1 };

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
      await setDoc(doc(db, "chats", id, "threads", parent), thread);
      await setDoc(doc(db, "chats", id, "threads", parent, "replies", "0000000001"), reply);
    }
  });
});

afterAll(async () => env.cleanup());

// rules-unit-testing types its Firestore as the compat API; at run time it is the modular one.
const modular = (db: unknown) => db as Firestore;
const as = (uid: string | null): Firestore =>
  modular(uid === null ? env.unauthenticatedContext().firestore() : env.authenticatedContext(uid).firestore());
const threadOf = (db: Firestore, id: string) => doc(db, "chats", id, "threads", parent);
const repliesIn = (db: Firestore, id: string) => collection(db, "chats", id, "threads", parent, "replies");

describe("chats/{chatId}/threads/{messageId} and its replies", () => {
  it("allows the members of a 1:1 chat and of a room to read a thread and its replies", async () => {
    const replies = await assertSucceeds(getDocs(repliesIn(as(alice), chatId)));
    expect(replies.docs.map((snap) => snap.get("text"))).toEqual(["in the thread"]);
    const threadDoc = await assertSucceeds(getDoc(threadOf(as(bob), chatId)));
    expect(threadDoc.get("replyCount")).toBe(1);
    await assertSucceeds(getDoc(threadOf(as(hank), roomId)));
    await assertSucceeds(getDocs(repliesIn(as(hank), roomId)));
  });

  it("denies non-members and signed-out users, in a 1:1 chat and in a room", async () => {
    await assertFails(getDocs(repliesIn(as(eve), chatId)));
    await assertFails(getDoc(threadOf(as(eve), chatId)));
    await assertFails(getDocs(repliesIn(as(bob), roomId)));
    await assertFails(getDoc(threadOf(as(bob), roomId)));
    await assertFails(getDocs(repliesIn(as(null), chatId)));
  });

  it("denies every client write to threads and replies, even a member's", async () => {
    await assertFails(setDoc(doc(repliesIn(as(alice), chatId), "0000000002"), { ...reply, number: 2, from: alice }));
    await assertFails(updateDoc(threadOf(as(alice), chatId), { read: { [alice]: 1 } }));
    await assertFails(updateDoc(threadOf(as(hank), roomId), { replyCount: 0 }));
    await assertFails(deleteDoc(doc(repliesIn(as(bob), chatId), "0000000001")));
    await assertFails(setDoc(doc(as(hank), "chats", roomId, "threads", "0000000002"), thread));
  });
});
