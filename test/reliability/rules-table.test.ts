import { assertFails, assertSucceeds, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  setLogLevel,
  Timestamp,
  updateDoc,
  where,
  type Firestore,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, it } from "vitest";
import { rulesTestEnvironment } from "../helpers/rules.js";

// Every collection × operation × role, with the verdict firestore.rules must give. A room
// (`room`, host hank, member bob; rita was removed) and a 1:1 chat (alice, bob) are the fixtures.
const projectId = "demo-parley-rules-table";
const roles = { member: "bob", host: "hank", "non-member": "eve", "removed member": "rita", "signed out": null } as const;
type Role = keyof typeof roles;
type Operation = "get" | "list" | "create" | "update" | "delete";
const at = Timestamp.fromMillis(1_700_000_000_000);
let env: RulesTestEnvironment;

const chatDoc = (members: string[], extra: object = {}) => ({
  type: "direct",
  members,
  messageCount: 1,
  lastMessage: null,
  lastMessageAt: at,
  unread: {},
  lastRead: {},
  started: true,
  status: "active",
  createdAt: at,
  updatedAt: at,
  ...extra,
});

beforeAll(async () => {
  // Denials are the point here; the SDK would log each one.
  setLogLevel("silent");
  env = await rulesTestEnvironment(projectId);
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore() as unknown as Firestore;
    const people = ["alice", "bob", "hank", "eve", "rita"];
    for (const uid of people) {
      await setDoc(doc(db, "users", uid), { displayName: uid, photoURL: null, createdAt: at });
      await setDoc(doc(db, "user-emails", `hash-${uid}`), { uid });
      await setDoc(doc(db, "rate-limits", uid), { creations: { windowStart: 0, used: 5 } });
      await setDoc(doc(db, "user-settings", uid), { presence: "contacts", updatedAt: at });
      await setDoc(doc(db, "blocks", `${uid}_alice`), { blocker: uid, blocked: "alice", createdAt: at });
      await setDoc(doc(db, "users-external-event", uid), { notifyNewMessage: true, lastEvent: null });
      await setDoc(doc(db, "users", uid, "devices", "token-hash"), { token: "t", platform: "ios", createdAt: at, updatedAt: at });
      await setDoc(doc(db, "chats", "room", "hidden", uid), { numbers: [1] });
    }
    const { members: _none, unread: _u, lastRead: _l, ...room } = chatDoc([], { type: "room", title: "Room", host: "hank" });
    await setDoc(doc(db, "chats", "room"), { ...room, inviteCode: "code", memberCount: 2 });
    for (const [uid, role] of [
      ["hank", "host"],
      ["bob", "member"],
    ]) {
      await setDoc(doc(db, "chats", "room", "members", uid), { uid, chatId: "room", role, joinedAt: at, lastRead: 0 });
    }
    await setDoc(doc(db, "chats", "alice_bob"), chatDoc(["alice", "bob"]));
    await setDoc(doc(db, "blocks", "alice_bob"), { blocker: "alice", blocked: "bob", createdAt: at });
    await setDoc(doc(db, "reports", "r"), { chatId: "room", number: 1, reporter: "bob", status: "open", createdAt: at });
    await setDoc(doc(db, "moderation-audit", "a"), { moderator: "hank", action: "resolve-report", chatId: "room", at });
    const message = { number: 1, from: "hank", type: "text", text: "hi", clientMessageId: null, createdAt: at };
    await setDoc(doc(db, "chats", "room", "messages", "0000000001"), message);
    await setDoc(doc(db, "chats", "room", "client-messages", "key"), { number: 1, createdAt: at });
    await setDoc(doc(db, "device-tokens", "token-hash"), { uid: "bob", updatedAt: at });
    await setDoc(doc(db, "invites", "code"), { chatId: "room", createdAt: at });
    await setDoc(doc(db, "mail", "m"), { to: "bob@example.com", message: { subject: "s", text: "t", html: "h" } });
    await setDoc(doc(db, "push-events", "e"), { chatId: "room", number: 1, createdAt: at, expiresAt: at });
    await setDoc(doc(db, "push-outbox", "e-0"), {
      eventId: "e",
      chatId: "room",
      number: 1,
      uid: "bob",
      message: {},
      createdAt: at,
    });
    await setDoc(doc(db, "ended-chats", "room"), { chatId: "room", endedAt: at, endedBy: "hank" });
  });
});
afterAll(async () => env.cleanup());

const dbAs = (uid: string | null) =>
  (uid === null ? env.unauthenticatedContext() : env.authenticatedContext(uid)).firestore() as unknown as Firestore;

/** A path for the doc a role acts on: its own where the collection is per user. */
type Target = (self: string) => string;
interface Collection {
  name: string;
  doc: Target;
  list: (db: Firestore, self: string) => Promise<unknown>;
  data: Record<string, unknown>;
  update: Record<string, unknown>;
  allow: Partial<Record<Operation, Role[]>>;
}
const signedIn: Role[] = ["member", "host", "non-member", "removed member"];
const inRoom: Role[] = ["member", "host"];

const collections: Collection[] = [
  {
    name: "chats (room)",
    doc: () => "chats/room",
    list: (db, self) => getDocs(query(collection(db, "chats"), where("members", "array-contains", self))),
    data: chatDoc(["eve"]),
    update: { messageCount: 9 },
    allow: { get: inRoom, list: signedIn },
  },
  {
    name: "members (own)",
    doc: (self) => `chats/room/members/${self}`,
    list: (db, self) => getDocs(query(collectionGroup(db, "members"), where("uid", "==", self))),
    data: { uid: "eve", chatId: "room", role: "host", lastRead: 0 },
    update: { lastRead: 99 },
    // Your own member doc, whether it exists or not: it only tells you whether you are in the room.
    allow: { get: signedIn, list: signedIn },
  },
  {
    name: "chats (1:1)",
    doc: () => "chats/alice_bob",
    list: (db) => getDocs(collection(db, "chats")),
    data: chatDoc(["eve"]),
    update: { messageCount: 9 },
    allow: { get: ["member"] },
  },
  {
    name: "messages",
    doc: () => "chats/room/messages/0000000001",
    list: (db) => getDocs(collection(db, "chats", "room", "messages")),
    data: { text: "forged" },
    update: { text: "edited" },
    allow: { get: inRoom, list: inRoom },
  },
  {
    name: "hidden (own list)",
    doc: (self) => `chats/room/hidden/${self}`,
    list: (db) => getDocs(collection(db, "chats", "room", "hidden")),
    data: { numbers: [] },
    update: { numbers: [] },
    allow: { get: inRoom },
  },
  {
    name: "bans",
    doc: (self) => `chats/room/bans/${self}`,
    list: (db) => getDocs(collection(db, "chats", "room", "bans")),
    data: { uid: "eve" },
    update: { uid: "eve" },
    allow: {},
  },
  {
    name: "client-messages",
    doc: () => "chats/room/client-messages/key",
    list: (db) => getDocs(collection(db, "chats", "room", "client-messages")),
    data: { number: 2 },
    update: { number: 2 },
    allow: {},
  },
  {
    name: "users (other)",
    doc: () => "users/alice",
    list: (db) => getDocs(collection(db, "users")),
    data: { displayName: "x" },
    update: { displayName: "Hacked" },
    allow: { get: signedIn, list: signedIn },
  },
  {
    name: "users (own name)",
    doc: (self) => `users/${self}`,
    list: (db) => getDocs(collection(db, "users")),
    data: { displayName: "x" },
    update: { displayName: "New name" },
    allow: { get: signedIn, list: signedIn },
  },
  {
    name: "blocks (own)",
    doc: (self) => `blocks/${self}_alice`,
    list: (db, self) => getDocs(query(collection(db, "blocks"), where("blocker", "==", self))),
    data: { blocker: "eve", blocked: "alice" },
    update: { blocked: "bob" },
    allow: { get: signedIn, list: signedIn },
  },
  {
    name: "blocks (someone else's)",
    doc: () => "blocks/alice_bob",
    list: (db) => getDocs(collection(db, "blocks")),
    data: { blocker: "alice", blocked: "bob" },
    update: { blocked: "carol" },
    allow: {},
  },
  {
    name: "reports",
    doc: () => "reports/r",
    list: (db) => getDocs(collection(db, "reports")),
    data: { chatId: "room" },
    update: { status: "resolved" },
    allow: {},
  },
  {
    name: "moderation-audit",
    doc: () => "moderation-audit/a",
    list: (db) => getDocs(collection(db, "moderation-audit")),
    data: { moderator: "eve" },
    update: { action: "none" },
    allow: {},
  },
  {
    name: "rate-limits (own)",
    doc: (self) => `rate-limits/${self}`,
    list: (db) => getDocs(collection(db, "rate-limits")),
    data: { creations: { windowStart: 0, used: 0 } },
    update: { creations: { windowStart: 0, used: 0 } },
    allow: {},
  },
  {
    name: "user-settings (own)",
    doc: (self) => `user-settings/${self}`,
    list: (db) => getDocs(collection(db, "user-settings")),
    data: { presence: "contacts" },
    update: { presence: "nobody" },
    // Your own settings, whether they exist or not; only the server writes them.
    allow: { get: signedIn },
  },
  {
    name: "user-emails",
    doc: (self) => `user-emails/hash-${self}`,
    list: (db) => getDocs(collection(db, "user-emails")),
    data: { uid: "eve" },
    update: { uid: "eve" },
    allow: {},
  },
  {
    name: "users-external-event (own)",
    doc: (self) => `users-external-event/${self}`,
    list: (db) => getDocs(collection(db, "users-external-event")),
    data: { notifyNewMessage: false },
    update: { notifyNewMessage: false },
    allow: { get: signedIn, update: signedIn },
  },
  {
    name: "devices (own)",
    doc: (self) => `users/${self}/devices/token-hash`,
    list: (db, self) => getDocs(collection(db, "users", self, "devices")),
    data: { token: "t" },
    update: { platform: "web" },
    allow: {},
  },
  {
    name: "device-tokens",
    doc: () => "device-tokens/token-hash",
    list: (db) => getDocs(collection(db, "device-tokens")),
    data: { uid: "eve" },
    update: { uid: "eve" },
    allow: {},
  },
  {
    name: "invites",
    doc: () => "invites/code",
    list: (db) => getDocs(collection(db, "invites")),
    data: { chatId: "room" },
    update: { chatId: "x" },
    allow: {},
  },
  {
    name: "mail",
    doc: () => "mail/m",
    list: (db) => getDocs(collection(db, "mail")),
    data: { to: "x@example.com" },
    update: { to: "x@example.com" },
    allow: {},
  },
  {
    name: "push-events",
    doc: () => "push-events/e",
    list: (db) => getDocs(collection(db, "push-events")),
    data: { chatId: "room" },
    update: { number: 2 },
    allow: {},
  },
  {
    name: "push-outbox",
    doc: () => "push-outbox/e-0",
    list: (db) => getDocs(collection(db, "push-outbox")),
    data: { message: {} },
    update: { uid: "eve" },
    allow: {},
  },
  {
    name: "ended-chats",
    doc: () => "ended-chats/room",
    list: (db) => getDocs(collection(db, "ended-chats")),
    data: { chatId: "room" },
    update: { endedBy: "eve" },
    allow: {},
  },
];

const act: Record<Operation, (c: Collection, db: Firestore, self: string) => Promise<unknown>> = {
  get: (c, db, self) => getDoc(doc(db, c.doc(self))),
  list: (c, db, self) => c.list(db, self),
  // A create is a write to a new id next to the target.
  create: (c, db, self) => setDoc(doc(db, `${c.doc(self)}-new`), c.data),
  update: (c, db, self) => updateDoc(doc(db, c.doc(self)), c.update),
  delete: (c, db, self) => deleteDoc(doc(db, c.doc(self))),
};

const rows = collections.flatMap((c) =>
  (Object.keys(act) as Operation[]).flatMap((operation) =>
    (Object.keys(roles) as Role[]).map((role) => ({ c, operation, role, allowed: c.allow[operation]?.includes(role) ?? false })),
  ),
);

describe("security rules: collection × operation × role", () => {
  it.each(
    rows.map((row) => [`${row.c.name} · ${row.operation} · ${row.role} → ${row.allowed ? "allow" : "deny"}`, row] as const),
  )("%s", async (_name, { c, operation, role, allowed }) => {
    const uid = roles[role];
    const attempt = act[operation](c, dbAs(uid), uid ?? "bob");
    await (allowed ? assertSucceeds(attempt) : assertFails(attempt));
  });
});
