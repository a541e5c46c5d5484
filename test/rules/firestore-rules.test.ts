import { readFileSync } from "node:fs";
import { assertFails, assertSucceeds, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rulesTestEnvironment } from "../helpers/rules.js";

// Its own demo project, so clearFirestore() never touches the API tests' data.
const projectId = "demo-parley-rules";
let env: RulesTestEnvironment;

const alice = "alice-uid";
const bob = "bob-uid";
const eve = "eve-uid";
const chatId = `${alice}_${bob}`;
const at = Timestamp.fromMillis(1_700_000_000_000);

beforeAll(async () => {
  env = await rulesTestEnvironment(projectId);
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = modular(context.firestore());
    for (const uid of [alice, bob, eve]) {
      await setDoc(doc(db, "users", uid), { displayName: uid, photoURL: null, createdAt: at });
      await setDoc(doc(db, "user-emails", `hash-of-${uid}`), { uid });
    }
    await setDoc(doc(db, "chats", chatId), {
      type: "direct",
      members: [alice, bob],
      messageCount: 1,
      lastMessage: { number: 1, from: alice, type: "text", preview: "hi" },
      lastMessageAt: at,
      unread: { [alice]: 0, [bob]: 1 },
      lastRead: { [alice]: 0, [bob]: 0 },
      started: true,
      status: "active",
      createdAt: at,
      updatedAt: at,
    });
    await setDoc(doc(db, "chats", chatId, "messages", "0000000001"), {
      number: 1,
      from: alice,
      type: "text",
      text: "hi",
      clientMessageId: null,
      createdAt: at,
    });
    await setDoc(doc(db, "chats", chatId, "client-messages", "key"), { number: 1, createdAt: at });
    await setDoc(doc(db, "chats", chatId, "hidden", bob), { numbers: [1] });
    await setDoc(doc(db, "chats", chatId, "typing", bob), { uid: bob, until: at, writtenAt: at });
    for (const uid of [alice, eve]) await setDoc(doc(db, "presence", uid), { uid, online: true, lastSeen: at, onlineUntil: at });
    await setDoc(doc(db, "chats", chatId, "reactions", `${bob}_0000000001_1f44d`), {
      uid: bob,
      number: 1,
      emoji: "👍",
      createdAt: at,
    });
    for (const uid of [alice, bob]) {
      await setDoc(doc(db, "chats", chatId, "votes", `${uid}_0000000001`), { uid, number: 1, options: [0], updatedAt: at });
    }
    await setDoc(doc(db, "chats", chatId, "open-polls", "0000000001"), { number: 1 });
    await setDoc(doc(db, "chats", `${alice}_${eve}`), { type: "direct", members: [alice, eve], messageCount: 0 });
    await setDoc(doc(db, "chats", `${alice}_${eve}`, "votes", `${eve}_0000000001`), {
      uid: eve,
      number: 1,
      options: [1],
      updatedAt: at,
    });
    await setDoc(doc(db, "chats", `${alice}_${eve}`, "hidden", bob), { numbers: [1] });
    await setDoc(doc(db, "users", bob, "devices", "hash"), { token: "t", platform: "ios", createdAt: at, updatedAt: at });
    await setDoc(doc(db, "device-tokens", "hash"), { uid: bob, updatedAt: at });
    await setDoc(doc(db, "invites", "code"), { chatId, createdAt: at });
    await setDoc(doc(db, "mail", "m1"), { to: `${bob}@example.com`, message: { subject: "s", text: "t", html: "h" } });
    await setDoc(doc(db, "ended-chats", chatId), { chatId, endedAt: at, endedBy: alice });
    await setDoc(doc(db, "push-events", "event"), { chatId, number: 1, createdAt: at, expiresAt: at });
    await setDoc(doc(db, "chats", chatId, "rosters", "0"), { chatId, shard: 0, members: { [alice]: {}, [bob]: {} } });
    await setDoc(doc(db, "push-outbox", "event-0"), {
      eventId: "event",
      chatId,
      number: 1,
      uid: bob,
      message: {},
      createdAt: at,
    });
    await setDoc(doc(db, "users-external-event", bob), {
      notifyNewMessage: true,
      lastEvent: { chatId, number: 1, at },
    });
  });
});

afterAll(async () => env.cleanup());

// rules-unit-testing types its Firestore as the compat API; at run time it is the modular one.
const modular = (db: unknown) => db as Firestore;
const as = (uid: string | null): Firestore =>
  modular(uid === null ? env.unauthenticatedContext().firestore() : env.authenticatedContext(uid).firestore());

const rulesSource = readFileSync("firestore.rules", "utf8").split("\n");

/** The line of firestore.rules holding `allow` inside the block that starts with `match`. */
function ruleLine(match: string, allow: string): number {
  const start = rulesSource.findIndex((line) => line.includes(match));
  const offset = rulesSource.slice(start).findIndex((line) => line.includes(allow));
  if (start < 0 || offset < 0) throw new Error(`no rule "${allow}" under "${match}"`);
  return start + offset + 1;
}

/** Why a request must be denied: a rule that evaluates to false (or fails), or no rule at all. */
type Denial = { rule: [match: string, allow: string] } | "no rule";

/**
 * Asserts the exact denial: PERMISSION_DENIED, and the emulator's reason names the expected
 * rule line, or says that no allow statement matches.
 */
async function denied(operation: Promise<unknown>, why: Denial) {
  const error = (await assertFails(operation)) as { code: string; message: string };
  expect(error.code).toBe("permission-denied");
  if (why === "no rule") {
    expect(error.message).toContain("No matching allow statements");
  } else {
    expect(error.message).toMatch(new RegExp(`for '(get|list|create|update)' @ L${ruleLine(...why.rule)}\\b`));
  }
}

const usersRead: Denial = { rule: ["match /users/{uid}", "allow read"] };
const chatsGet: Denial = { rule: ["match /chats/{chatId}", "allow get"] };
const chatsList: Denial = { rule: ["match /chats/{chatId}", "allow list"] };
const messagesRead: Denial = { rule: ["match /messages/{messageId}", "allow read"] };
const reactionsRead: Denial = { rule: ["match /reactions/{reactionId}", "allow read"] };
const votesRead: Denial = { rule: ["match /votes/{voteId}", "allow read"] };
const typingRead: Denial = { rule: ["match /typing/{uid}", "allow read"] };
const presenceGet: Denial = { rule: ["match /presence/{uid}", "allow get"] };
const hiddenRead: Denial = { rule: ["match /hidden/{uid}", "allow read"] };
const eventsRead: Denial = { rule: ["match /users-external-event/{uid}", "allow read"] };
const eventsUpdate: Denial = { rule: ["match /users-external-event/{uid}", "allow update"] };
const exportGet: Denial = { rule: ["match /personal-exports/{uid}", "allow get"] };

describe("users/{uid}", () => {
  it("allows a signed-in user to read any profile; denies a signed-out one", async () => {
    await assertSucceeds(getDoc(doc(as(eve), "users", alice)));
    await denied(getDoc(doc(as(null), "users", alice)), usersRead);
  });

  it("denies every client write to a profile, their own included: PATCH /v1/me writes it", async () => {
    await denied(updateDoc(doc(as(alice), "users", alice), { displayName: "Alice A." }), "no rule");
    await denied(updateDoc(doc(as(alice), "users", alice), { displayName: "Alice\u200B" }), "no rule");
    await denied(updateDoc(doc(as(eve), "users", alice), { displayName: "Hacked" }), "no rule");
  });

  it("denies every client any access to user-emails, their own included", async () => {
    await denied(getDoc(doc(as(alice), "user-emails", `hash-of-${alice}`)), "no rule");
    await denied(getDocs(collection(as(alice), "user-emails")), "no rule");
    await denied(setDoc(doc(as(alice), "user-emails", "hash-of-new"), { uid: alice }), "no rule");
  });

  it("denies every client any access to account-deletions, their own job included", async () => {
    await denied(getDoc(doc(as(alice), "account-deletions", `hash-of-${alice}`)), "no rule");
    await denied(getDocs(collection(as(alice), "account-deletions")), "no rule");
    await denied(setDoc(doc(as(alice), "account-deletions", `hash-of-${alice}`), { state: "done" }), "no rule");
  });

  it("denies creating and deleting profiles from a client", async () => {
    await denied(setDoc(doc(as(eve), "users", "new-uid"), { displayName: "x" }), "no rule");
    await denied(setDoc(doc(as("new-uid"), "users", "new-uid"), { displayName: "x" }), "no rule");
    await denied(deleteDoc(doc(as(alice), "users", alice)), "no rule");
  });
});

describe("chats/{chatId}", () => {
  it("allows members to read the chat and query their chats; denies non-members and signed-out users", async () => {
    await assertSucceeds(getDoc(doc(as(bob), "chats", chatId)));
    await assertSucceeds(getDocs(query(collection(as(alice), "chats"), where("members", "array-contains", alice))));
    await denied(getDoc(doc(as(eve), "chats", chatId)), chatsGet);
    await denied(getDocs(collection(as(eve), "chats")), chatsList);
    await denied(getDoc(doc(as(null), "chats", chatId)), chatsGet);
  });

  it("allows querying one's chat list by inbox and the message requests sent to oneself; denies others' requests", async () => {
    const requestId = `${bob}_${eve}`;
    await env.withSecurityRulesDisabled(async (context) => {
      await setDoc(doc(modular(context.firestore()), "chats", requestId), {
        type: "direct",
        members: [bob, eve],
        inbox: [eve],
        request: { from: eve, to: bob, state: "pending" },
        lastMessageAt: at,
      });
    });
    const requestsTo = (db: Firestore, uid: string) =>
      query(collection(db, "chats"), where("request.to", "==", uid), where("request.state", "==", "pending"));
    const mine = await assertSucceeds(getDocs(requestsTo(as(bob), bob)));
    expect(mine.docs.map((snap) => snap.id)).toEqual([requestId]);
    await assertSucceeds(getDocs(query(collection(as(eve), "chats"), where("inbox", "array-contains", eve))));
    await denied(getDocs(requestsTo(as(alice), bob)), chatsList);
    await denied(getDocs(query(collection(as(alice), "chats"), where("inbox", "array-contains", eve))), chatsList);
  });

  it("denies every client write to a chat, even by its members", async () => {
    await denied(setDoc(doc(as(alice), "chats", `${alice}_${eve}`), { members: [alice, eve], type: "direct" }), "no rule");
    await denied(updateDoc(doc(as(alice), "chats", chatId), { messageCount: 99 }), "no rule");
    await denied(updateDoc(doc(as(bob), "chats", chatId), { [`unread.${bob}`]: 0 }), "no rule");
    await denied(deleteDoc(doc(as(alice), "chats", chatId)), "no rule");
  });
});

describe("chats/{chatId}/messages/{messageId}", () => {
  it("allows members to read messages; denies non-members and signed-out users", async () => {
    await assertSucceeds(getDocs(collection(as(bob), "chats", chatId, "messages")));
    await assertSucceeds(getDoc(doc(as(alice), "chats", chatId, "messages", "0000000001")));
    await denied(getDocs(collection(as(eve), "chats", chatId, "messages")), messagesRead);
    await denied(getDoc(doc(as(null), "chats", chatId, "messages", "0000000001")), messagesRead);
  });

  it("denies every client write to messages, even by members", async () => {
    const message = { number: 2, from: alice, type: "text", text: "forged", clientMessageId: null, createdAt: serverTimestamp() };
    await denied(setDoc(doc(as(alice), "chats", chatId, "messages", "0000000002"), message), "no rule");
    await denied(updateDoc(doc(as(alice), "chats", chatId, "messages", "0000000001"), { text: "edited" }), "no rule");
    await denied(deleteDoc(doc(as(alice), "chats", chatId, "messages", "0000000001")), "no rule");
  });

  it("denies reading the idempotency keys, even to members", async () => {
    await denied(getDoc(doc(as(alice), "chats", chatId, "client-messages", "key")), "no rule");
  });
});

describe("chats/{chatId}/reactions/{reactionId}", () => {
  it("allows members to read every member's reactions; denies non-members and signed-out users", async () => {
    await assertSucceeds(getDocs(collection(as(alice), "chats", chatId, "reactions")));
    await assertSucceeds(getDoc(doc(as(bob), "chats", chatId, "reactions", `${bob}_0000000001_1f44d`)));
    await denied(getDocs(collection(as(eve), "chats", chatId, "reactions")), reactionsRead);
    await denied(getDoc(doc(as(null), "chats", chatId, "reactions", `${bob}_0000000001_1f44d`)), reactionsRead);
  });

  it("denies every client write to reactions, even a member's own", async () => {
    const own = doc(as(alice), "chats", chatId, "reactions", `${alice}_0000000001_1f44d`);
    await denied(setDoc(own, { uid: alice, number: 1, emoji: "👍", createdAt: at }), "no rule");
    await denied(deleteDoc(doc(as(bob), "chats", chatId, "reactions", `${bob}_0000000001_1f44d`)), "no rule");
  });
});

describe("chats/{chatId}/votes/{voteId}", () => {
  it("allows a member to read their own votes, alone or by `where uid ==`; denies others' votes", async () => {
    await assertSucceeds(getDoc(doc(as(bob), "chats", chatId, "votes", `${bob}_0000000001`)));
    const own = await assertSucceeds(getDocs(query(collection(as(bob), "chats", chatId, "votes"), where("uid", "==", bob))));
    expect(own.docs.map((vote) => vote.id)).toEqual([`${bob}_0000000001`]);
    // Another member's vote, all votes, a non-member, signed out.
    await denied(getDoc(doc(as(alice), "chats", chatId, "votes", `${bob}_0000000001`)), votesRead);
    await denied(getDocs(collection(as(alice), "chats", chatId, "votes")), votesRead);
    await denied(getDocs(query(collection(as(alice), "chats", chatId, "votes"), where("uid", "==", bob))), votesRead);
    await denied(getDoc(doc(as(eve), "chats", chatId, "votes", `${bob}_0000000001`)), votesRead);
    await denied(getDoc(doc(as(null), "chats", chatId, "votes", `${bob}_0000000001`)), votesRead);
  });

  it("denies a user their own vote in a chat they are no longer in", async () => {
    await env.withSecurityRulesDisabled(async (context) => {
      await setDoc(doc(modular(context.firestore()), "chats", `${alice}_${eve}`), {
        type: "direct",
        members: [alice],
        messageCount: 0,
      });
    });
    await denied(getDoc(doc(as(eve), "chats", `${alice}_${eve}`, "votes", `${eve}_0000000001`)), votesRead);
  });

  it("denies every client write to votes and every read of open-polls", async () => {
    await denied(setDoc(doc(as(bob), "chats", chatId, "votes", `${bob}_0000000001`), { uid: bob, options: [1] }), "no rule");
    await denied(deleteDoc(doc(as(bob), "chats", chatId, "votes", `${bob}_0000000001`)), "no rule");
    await denied(getDoc(doc(as(alice), "chats", chatId, "open-polls", "0000000001")), "no rule");
    await denied(deleteDoc(doc(as(alice), "chats", chatId, "open-polls", "0000000001")), "no rule");
  });
});

describe("chats/{chatId}/typing/{uid}", () => {
  it("allows members to read who is typing; denies non-members and every client write", async () => {
    await assertSucceeds(getDocs(collection(as(alice), "chats", chatId, "typing")));
    await assertSucceeds(getDoc(doc(as(bob), "chats", chatId, "typing", bob)));
    await denied(getDocs(collection(as(eve), "chats", chatId, "typing")), typingRead);
    await denied(getDoc(doc(as(null), "chats", chatId, "typing", bob)), typingRead);
    await denied(setDoc(doc(as(alice), "chats", chatId, "typing", alice), { uid: alice, until: at, writtenAt: at }), "no rule");
  });
});

describe("presence/{uid}", () => {
  it("allows the user and the other member of a 1:1 chat they wrote in; denies everyone else, lists and writes", async () => {
    await assertSucceeds(getDoc(doc(as(alice), "presence", alice)));
    await assertSucceeds(getDoc(doc(as(bob), "presence", alice)));
    // Eve has not written in her chat with Alice (a stranger may open a chat with anyone).
    await denied(getDoc(doc(as(alice), "presence", eve)), presenceGet);
    await env.withSecurityRulesDisabled(async (context) => {
      await setDoc(doc(modular(context.firestore()), "chats", `${alice}_${eve}`), { wrote: [eve] }, { merge: true });
    });
    await assertSucceeds(getDoc(doc(as(alice), "presence", eve)));
    await denied(getDoc(doc(as(bob), "presence", eve)), presenceGet);
    await denied(getDoc(doc(as(null), "presence", alice)), presenceGet);
    await denied(getDocs(collection(as(alice), "presence")), "no rule");
    await denied(
      setDoc(doc(as(alice), "presence", alice), { uid: alice, online: true, lastSeen: at, onlineUntil: at }),
      "no rule",
    );
  });
});

describe("presence/{uid}: privacy", () => {
  const setAs = (data: Record<string, unknown>, path: string[]) =>
    env.withSecurityRulesDisabled(async (context) => {
      const [collectionName, ...rest] = path;
      await setDoc(doc(modular(context.firestore()), collectionName, ...rest), data, { merge: true });
    });

  it("denies the other member when the chat is blocked or ended, or when the user chose nobody; the user still reads their own", async () => {
    await setAs({ blocked: true }, ["chats", chatId]);
    await denied(getDoc(doc(as(bob), "presence", alice)), presenceGet);
    // A chat blocked by a version that kept the blockers on the chat doc.
    await setAs({ blocked: false, blockedBy: [alice] }, ["chats", chatId]);
    await denied(getDoc(doc(as(bob), "presence", alice)), presenceGet);
    await setAs({ blockedBy: [], status: "ended" }, ["chats", chatId]);
    await denied(getDoc(doc(as(bob), "presence", alice)), presenceGet);
    // Chats ended by versions that called it "completed", or only set `active: false`.
    await setAs({ status: "completed" }, ["chats", chatId]);
    await denied(getDoc(doc(as(bob), "presence", alice)), presenceGet);
    await setAs({ status: "active", active: false }, ["chats", chatId]);
    await denied(getDoc(doc(as(bob), "presence", alice)), presenceGet);
    await setAs({ active: true }, ["chats", chatId]);
    await setAs({ status: "active" }, ["chats", chatId]);
    await assertSucceeds(getDoc(doc(as(bob), "presence", alice)));
    await setAs({ visibility: "nobody" }, ["presence", alice]);
    await denied(getDoc(doc(as(bob), "presence", alice)), presenceGet);
    await assertSucceeds(getDoc(doc(as(alice), "presence", alice)));
    // A user never seen (no presence doc) reads as such to the other member.
    await assertSucceeds(getDoc(doc(as(alice), "presence", bob)));
  });

  it("lets a user read their own privacy settings and no one write them", async () => {
    await setAs({ presence: "nobody", updatedAt: at }, ["user-settings", alice]);
    await assertSucceeds(getDoc(doc(as(alice), "user-settings", alice)));
    await denied(getDoc(doc(as(bob), "user-settings", alice)), { rule: ["match /user-settings/{uid}", "allow read"] });
    await denied(setDoc(doc(as(alice), "user-settings", alice), { presence: "contacts" }), "no rule");
  });
});

describe("pinned and archived chats (user-settings/{uid}, chats/{roomId}/members/{uid})", () => {
  const roomId = "pinroom";
  const seed = () =>
    env.withSecurityRulesDisabled(async (context) => {
      const db = modular(context.firestore());
      await setDoc(doc(db, "user-settings", alice), { direct: { [chatId]: { pinnedAt: at } } });
      await setDoc(doc(db, "chats", roomId), { type: "room", title: "Pins", host: alice, memberCount: 2, messageCount: 0 });
      for (const uid of [alice, bob]) {
        await setDoc(doc(db, "chats", roomId, "members", uid), {
          uid,
          chatId: roomId,
          role: "member",
          lastRead: 0,
          joinedAt: at,
          archivedAt: at,
        });
      }
    });
  const memberGet: Denial = { rule: ["match /{path=**}/members/{memberUid}", "allow get"] };

  it("when a user reads their own pins and archives, then the rules allow it; another user is denied", async () => {
    await seed();
    await assertSucceeds(getDoc(doc(as(alice), "user-settings", alice)));
    await assertSucceeds(getDoc(doc(as(alice), "chats", roomId, "members", alice)));
    await assertSucceeds(getDocs(query(collectionGroup(as(alice), "members"), where("uid", "==", alice))));
    await denied(getDoc(doc(as(bob), "user-settings", alice)), { rule: ["match /user-settings/{uid}", "allow read"] });
    await denied(getDoc(doc(as(bob), "chats", roomId, "members", alice)), memberGet);
  });

  it("when a user writes a pin or an archive directly, then the rules deny it, their own included", async () => {
    await seed();
    const settings = doc(as(alice), "user-settings", alice);
    await denied(setDoc(settings, { direct: { [chatId]: { archivedAt: at } } }, { merge: true }), "no rule");
    await denied(updateDoc(settings, { [`direct.${chatId}.pinnedAt`]: serverTimestamp() }), "no rule");
    const member = doc(as(alice), "chats", roomId, "members", alice);
    await denied(updateDoc(member, { pinnedAt: serverTimestamp() }), "no rule");
    await denied(updateDoc(member, { archivedAt: null }), "no rule");
    await denied(setDoc(doc(as(alice), "chats", roomId, "members", bob), { pinnedAt: at }, { merge: true }), "no rule");
  });
});

describe("delivered positions (chats/{chatId}.delivered, chats/{roomId}/members/{uid}.deliveredUpTo)", () => {
  const roomId = "ticksroom";
  const seed = () =>
    env.withSecurityRulesDisabled(async (context) => {
      const db = modular(context.firestore());
      await updateDoc(doc(db, "chats", chatId), { [`delivered.${bob}`]: 1 });
      await setDoc(doc(db, "chats", roomId), { type: "room", title: "Ticks", host: alice, memberCount: 2, messageCount: 1 });
      for (const uid of [alice, bob]) {
        const member = { uid, chatId: roomId, role: "member", lastRead: 0, deliveredUpTo: 1, joinedAt: at };
        await setDoc(doc(db, "chats", roomId, "members", uid), member);
      }
    });
  const memberGet: Denial = { rule: ["match /{path=**}/members/{memberUid}", "allow get"] };

  it("when a member reads the 1:1 chat doc or their own member doc, then they see the delivered positions; others are denied", async () => {
    await seed();
    const chat = await assertSucceeds(getDoc(doc(as(alice), "chats", chatId)));
    expect(chat.get("delivered")).toEqual({ [bob]: 1 });
    const own = await assertSucceeds(getDoc(doc(as(bob), "chats", roomId, "members", bob)));
    expect(own.get("deliveredUpTo")).toBe(1);
    await denied(getDoc(doc(as(eve), "chats", chatId)), chatsGet);
    await denied(getDoc(doc(as(bob), "chats", roomId, "members", alice)), memberGet);
  });

  it("when a member writes a delivered position directly, then the rules deny it, their own included", async () => {
    await seed();
    await denied(updateDoc(doc(as(bob), "chats", chatId), { [`delivered.${bob}`]: 5 }), "no rule");
    await denied(setDoc(doc(as(alice), "chats", chatId), { delivered: { [bob]: 5 } }, { merge: true }), "no rule");
    await denied(updateDoc(doc(as(bob), "chats", roomId, "members", bob), { deliveredUpTo: 5 }), "no rule");
    await denied(updateDoc(doc(as(bob), "chats", roomId, "members", alice), { deliveredUpTo: 5 }), "no rule");
  });
});

describe("chats/{chatId}/hidden/{uid}", () => {
  it("allows a member to read their own hidden list; denies other members, non-members and ex-members", async () => {
    await assertSucceeds(getDoc(doc(as(bob), "chats", chatId, "hidden", bob)));
    await denied(getDoc(doc(as(alice), "chats", chatId, "hidden", bob)), hiddenRead);
    await denied(getDoc(doc(as(null), "chats", chatId, "hidden", bob)), hiddenRead);
    // bob's list in a chat he is not a member of (as after leaving it).
    await denied(getDoc(doc(as(bob), "chats", `${alice}_${eve}`, "hidden", bob)), hiddenRead);
  });

  it("denies every client write to it, even by its owner", async () => {
    await denied(setDoc(doc(as(bob), "chats", chatId, "hidden", bob), { numbers: [] }), "no rule");
    await denied(deleteDoc(doc(as(bob), "chats", chatId, "hidden", bob)), "no rule");
  });
});

describe("devices, device-tokens, push-events, push-outbox, invites, mail, ended-chats, rosters (server only)", () => {
  it("denies every client read and write, even to the owner of a device", async () => {
    await denied(getDoc(doc(as(alice), "invites", "code")), "no rule");
    await denied(setDoc(doc(as(alice), "invites", "guess"), { chatId }), "no rule");
    await denied(getDocs(collection(as(alice), "mail")), "no rule");
    await denied(setDoc(doc(as(alice), "mail", "spam"), { to: "x@example.com" }), "no rule");
    await denied(getDoc(doc(as(alice), "ended-chats", chatId)), "no rule");
    await denied(getDoc(doc(as(bob), "users", bob, "devices", "hash")), "no rule");
    await denied(getDocs(collection(as(bob), "users", bob, "devices")), "no rule");
    await denied(setDoc(doc(as(bob), "users", bob, "devices", "other"), { token: "t2", platform: "ios" }), "no rule");
    await denied(getDoc(doc(as(bob), "device-tokens", "hash")), "no rule");
    await denied(getDoc(doc(as(bob), "push-events", "event")), "no rule");
    await denied(getDocs(collection(as(bob), "push-outbox")), "no rule");
    await denied(setDoc(doc(as(bob), "push-outbox", "x"), { message: {} }), "no rule");
    // A room's roster lists its members and their mutes: not even a member reads it.
    await denied(getDoc(doc(as(bob), "chats", chatId, "rosters", "0")), "no rule");
    await denied(getDocs(collection(as(bob), "chats", chatId, "rosters")), "no rule");
    await denied(setDoc(doc(as(alice), "chats", chatId, "rosters", "1"), { members: {} }), "no rule");
  });
});

describe("users-external-event/{uid}", () => {
  it("allows the owner to read it; denies everyone else", async () => {
    await assertSucceeds(getDoc(doc(as(bob), "users-external-event", bob)));
    await denied(getDoc(doc(as(alice), "users-external-event", bob)), eventsRead);
    await denied(getDoc(doc(as(null), "users-external-event", bob)), eventsRead);
  });

  it("allows the owner to set notifyNewMessage to false and nothing else, not their badge", async () => {
    await assertSucceeds(updateDoc(doc(as(bob), "users-external-event", bob), { notifyNewMessage: false }));
    await denied(updateDoc(doc(as(bob), "users-external-event", bob), { notifyNewMessage: true }), eventsUpdate);
    await denied(updateDoc(doc(as(bob), "users-external-event", bob), { lastEvent: null }), eventsUpdate);
    // The app badge is the server's: a client can't lower or clear it.
    await denied(updateDoc(doc(as(bob), "users-external-event", bob), { unreadTotal: 0 }), eventsUpdate);
    await denied(updateDoc(doc(as(bob), "users-external-event", bob), { badge: {} }), eventsUpdate);
    await denied(updateDoc(doc(as(alice), "users-external-event", bob), { notifyNewMessage: false }), eventsUpdate);
  });

  it("denies creating or deleting it from a client", async () => {
    await denied(setDoc(doc(as(alice), "users-external-event", alice), { notifyNewMessage: false }), eventsUpdate);
    await denied(deleteDoc(doc(as(bob), "users-external-event", bob)), "no rule");
  });
});

describe("personal-exports/{uid}", () => {
  it("allows the owner to read the state of their data export; denies everyone else, listing and every write", async () => {
    await assertSucceeds(getDoc(doc(as(bob), "personal-exports", bob)));
    await denied(getDoc(doc(as(alice), "personal-exports", bob)), exportGet);
    await denied(getDoc(doc(as(null), "personal-exports", bob)), exportGet);
    await denied(getDocs(collection(as(bob), "personal-exports")), "no rule");
    await denied(setDoc(doc(as(bob), "personal-exports", bob), { status: "ready" }), "no rule");
    await denied(deleteDoc(doc(as(bob), "personal-exports", bob)), "no rule");
  });
});

describe("everything else", () => {
  it("denies reads and writes to any other collection", async () => {
    await denied(getDoc(doc(as(alice), "anything", "x")), "no rule");
    await denied(setDoc(doc(as(alice), "anything", "x"), { a: 1 }), "no rule");
  });
});
