#!/usr/bin/env node
// What polls cost (functions/src/polls/, and sendMessage with a poll): each operation's document
// reads and writes, counted by bench/counting-firestore.mjs, in a 1:1 chat (by its opener) and in
// a room (by a member who joined; a room reads the member doc, +1 read).
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/poll-costs.mjs"
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
const { getMessage } = require("../functions/lib/messages/get-message.js");
const { votePoll, unvotePoll } = require("../functions/lib/polls/vote-poll.js");
const { closePoll } = require("../functions/lib/polls/close-poll.js");
const { createUserProfile } = require("../functions/lib/users/create-user-profile.js");
const { findAuthUser } = require("../functions/lib/users/find-auth-user.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);
const auth = getAuth(app);
const findUser = (uid) => findAuthUser(auth, uid);

/** A new Auth user with the profile the user-created trigger makes (not counted). */
async function user() {
  const created = await auth.createUser({ email: `poll-${randomUUID().slice(0, 8)}@bench.example.com`, displayName: "Poll" });
  await createUserProfile(admin, new Date(), (await findAuthUser(auth, created.uid)) ?? { uid: created.uid });
  return created.uid;
}

/** The poll operations, one after another, by `voter` in chat `chatId` (whose member `sender` sends). */
async function pollOperations(costOf, { chatId, sender, voter }) {
  const poll = { question: "Where to?", options: ["North", "South", "East"] };
  let number = 0;
  const send = await costOf(async () => {
    const sent = await sendMessage(admin, {
      now: new Date(),
      senderUid: sender,
      chatId,
      draft: { type: "poll", text: "", poll },
    });
    number = sent.message.number;
  });
  const vote = (option) => () => votePoll(admin, new Date(), { uid: voter, chatId, number, option });
  return {
    sendPoll: send,
    voteFirst: await costOf(vote(0)),
    voteAgain: await costOf(vote(0)),
    voteMoves: await costOf(vote(1)),
    unvoteLast: await costOf(() => unvotePoll(admin, new Date(), { uid: voter, chatId, number, option: 1 })),
    unvoteNone: await costOf(() => unvotePoll(admin, new Date(), { uid: voter, chatId, number, option: 1 })),
    getPollWithVotes: await (async () => {
      await vote(2)();
      return costOf(() => getMessage(admin, voter, chatId, number));
    })(),
    closePoll: await costOf(() => closePoll(admin, new Date(), { uid: sender, chatId, number })),
    voteClosed: await costOf(() => vote(0)().catch(() => undefined)),
  };
}

/**
 * Each poll operation's reads and writes, in a 1:1 chat and in a room. Background triggers
 * should be off (the message trigger's reads would otherwise mix in; they are not counted here
 * anyway: they run in the Functions emulator).
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function pollCosts(costOf) {
  const [alice, bob, carol] = [await user(), await user(), await user()];
  const direct = await createDirectChat(admin, { now: new Date(), callerUid: alice, input: { memberUid: bob }, findUser });
  const appUrl = "http://127.0.0.1:5000";
  const room = await createRoom(admin, { now: new Date(), callerUid: alice, input: { title: "Polls" }, appUrl, findUser });
  await joinRoom(admin, { now: new Date(), callerUid: carol, inviteCode: room.inviteCode, maxMembers: 10_000, findUser });
  return {
    // The opener votes in their own poll: the other member has not accepted the chat.
    direct: await pollOperations(costOf, { chatId: direct.chat.id, sender: alice, voter: alice }),
    room: await pollOperations(costOf, { chatId: room.chat.id, sender: alice, voter: carol }),
  };
}

await runAlone(import.meta.url, admin, pollCosts, {
  rows: (result) =>
    Object.entries(result).flatMap(([chat, operations]) =>
      Object.entries(operations).map(([operation, cost]) => ({ chat, operation, ...cost })),
    ),
  quiet: true,
});
