#!/usr/bin/env node
// What edit history and muting a user cost (issue 24): an edit that keeps the replaced text, the
// listing of a message's history, a delete for everyone that takes the history with it, muting,
// unmuting and listing mutes, and the room fan-out's extra query per message (who muted the
// sender). Document reads and writes are counted by bench/counting-firestore.mjs.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/edit-history-costs.mjs"
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { createDirectChat } = require("../functions/lib/chats/create-chat.js");
const { createRoom } = require("../functions/lib/rooms/create-room.js");
const { joinRoom } = require("../functions/lib/rooms/join-room.js");
const { sendMessage } = require("../functions/lib/messages/send-message.js");
const { editMessage } = require("../functions/lib/messages/edit-message.js");
const { listMessageEdits } = require("../functions/lib/messages/edit-history.js");
const { deleteMessage } = require("../functions/lib/messages/delete-message.js");
const { muteUser, unmuteUser, listMutedUsers, mutersOf } = require("../functions/lib/users/mutes.js");
const { createUserProfile } = require("../functions/lib/users/create-user-profile.js");
const { findAuthUser } = require("../functions/lib/users/find-auth-user.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);
const auth = getAuth(app);
const noAuthLookup = () => Promise.resolve(null);
const MAX_EDITS = 20;

/** A new Auth user with their profile, as the trigger makes it (not counted). */
async function user() {
  const name = `Edits ${randomUUID().slice(0, 8)}`;
  const made = await auth.createUser({ email: `${name.replace(" ", "-").toLowerCase()}@bench.example.com`, displayName: name });
  await createUserProfile(admin, new Date(), (await findAuthUser(auth, made.uid)) ?? { uid: made.uid });
  return made.uid;
}

/** Sends `text` as `from` into `chatId` (not counted); its number. */
async function sent(chatId, from, text) {
  const result = await sendMessage(admin, { now: new Date(), senderUid: from, chatId, draft: { type: "text", text } });
  return result.message.number;
}

/** An edit of message `number` by `from` (its sender) to `text`. */
const edit = (chatId, from, number, text) => () =>
  editMessage(admin, {
    now: new Date(),
    callerUid: from,
    chatId,
    number,
    input: { text },
    editWindowSeconds: 900,
    maxEdits: MAX_EDITS,
  });

/**
 * Each operation of edit history and mutes, in a 1:1 chat and a room. Background triggers must
 * be off (the sends would otherwise fan out meanwhile).
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function editHistoryCosts(costOf) {
  const [alice, bob, carol] = [await user(), await user(), await user()];
  const input = { memberUid: bob };
  const { chat } = await createDirectChat(admin, {
    now: new Date(),
    callerUid: alice,
    input,
    findUser: noAuthLookup,
    requests: false,
  });
  const appUrl = "http://127.0.0.1:5000";
  const room = await createRoom(admin, {
    now: new Date(),
    callerUid: alice,
    input: { title: "Edits" },
    appUrl,
    findUser: noAuthLookup,
  });
  await joinRoom(admin, {
    now: new Date(),
    callerUid: bob,
    inviteCode: room.inviteCode,
    maxMembers: 10_000,
    findUser: noAuthLookup,
  });
  const direct = await sent(chat.id, alice, "first");
  const inRoom = await sent(room.chat.id, alice, "first");
  const cost = {
    // The chat's newest message: its preview follows; no reply quotes it.
    editDirect: await costOf(edit(chat.id, alice, direct, "second")),
    editRoom: await costOf(edit(room.chat.id, alice, inRoom, "second")),
  };
  await edit(chat.id, alice, direct, "third")();
  cost.listEditsOf2 = await costOf(() =>
    listMessageEdits(admin, { callerUid: bob, chatId: chat.id, number: direct, maxEdits: MAX_EDITS }),
  );
  const never = await sent(chat.id, bob, "never edited");
  cost.listEditsNone = await costOf(() =>
    listMessageEdits(admin, { callerUid: alice, chatId: chat.id, number: never, maxEdits: MAX_EDITS }),
  );
  const deleting = {
    deleteObjects: async () => undefined,
    now: new Date(),
    caller: { uid: alice },
    chatId: chat.id,
    number: direct,
  };
  cost.deleteWith2Edits = await costOf(() => deleteMessage(admin, deleting));
  cost.muteUser = await costOf(() => muteUser(admin, { now: new Date(), callerUid: alice, uid: carol, findUser: noAuthLookup }));
  cost.muteAgain = await costOf(() => muteUser(admin, { now: new Date(), callerUid: alice, uid: carol, findUser: noAuthLookup }));
  cost.listMutedUsersOf1 = await costOf(() => listMutedUsers(admin, alice));
  // The fan-out's extra query per room message: nobody muted the sender, then one user did.
  cost.fanOutMutersNone = await costOf(() => mutersOf(admin, bob));
  cost.fanOutMuters1 = await costOf(() => mutersOf(admin, carol));
  cost.unmuteUser = await costOf(() => unmuteUser(admin, alice, carol));
  return cost;
}

await runAlone(import.meta.url, admin, editHistoryCosts, { quiet: true });
