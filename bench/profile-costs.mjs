#!/usr/bin/env node
// What making sure of a profile costs (functions/src/users/ensure-profile.ts): each operation that
// needs a `users/{uid}` it may find missing, counted with the profile present and with it missing
// (an Auth user whose user-created trigger never ran). Document reads and writes are counted by
// bench/counting-firestore.mjs; Auth lookups by wrapping the lookup the domain functions get.
// Run inside the emulators (npm run bench runs it): node scripts/emulators.mjs exec "node bench/profile-costs.mjs"
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { runAlone } from "./counting-firestore.mjs";

const require = createRequire(import.meta.url);
const { createDirectChat } = require("../functions/lib/chats/create-chat.js");
const { blockUser } = require("../functions/lib/users/blocks.js");
const { listUsers } = require("../functions/lib/users/list-users.js");
const { createRoom } = require("../functions/lib/rooms/create-room.js");
const { joinRoom } = require("../functions/lib/rooms/join-room.js");
const { createUserProfile } = require("../functions/lib/users/create-user-profile.js");
const { findAuthUser } = require("../functions/lib/users/find-auth-user.js");

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const app = getApps()[0] ?? initializeApp({ projectId });
const admin = getFirestore(app);
const auth = getAuth(app);

/** A new Auth user; with `profile`, their profile as the trigger makes it (not counted). */
async function authUser(profile) {
  const name = `Cost ${randomUUID().slice(0, 8)}`;
  const user = await auth.createUser({ email: `${name.replace(" ", "-").toLowerCase()}@bench.example.com`, displayName: name });
  if (profile) await createUserProfile(admin, new Date(), (await findAuthUser(auth, user.uid)) ?? { uid: user.uid });
  return { uid: user.uid, name };
}

/**
 * Each profile-checking operation with the profiles it needs present, then missing. Background
 * triggers must be off (the missing profiles would otherwise be made by the trigger).
 * @param costOf runs a function and answers the reads and writes it made.
 */
export async function profileCosts(costOf) {
  let lookups = 0;
  const findUser = (uid) => (lookups++, findAuthUser(auth, uid));
  const measure = async (run) => {
    lookups = 0;
    const cost = await costOf(run);
    return { ...cost, authLookups: lookups };
  };
  const both = async (operation) => ({
    present: await measure(await operation(true)),
    missing: await measure(await operation(false)),
  });
  const appUrl = "http://127.0.0.1:5000";
  return {
    // A new 1:1 chat; "missing": neither member has a profile.
    createChat: await both(async (present) => {
      const [a, b] = [await authUser(present), await authUser(present)];
      return () => createDirectChat(admin, { now: new Date(), callerUid: a.uid, input: { memberUid: b.uid }, findUser });
    }),
    blockUser: await both(async (present) => {
      const [a, b] = [await authUser(true), await authUser(present)];
      return () => blockUser(admin, { now: new Date(), callerUid: a.uid, uid: b.uid, findUser });
    }),
    // A first page of the directory matching only the caller.
    listUsersFirstPage: await both(async (present) => {
      const a = await authUser(present);
      return () => listUsers(admin, { now: new Date(), viewer: { uid: a.uid }, input: { q: a.name }, findUser });
    }),
    createRoom: await both(async (present) => {
      const a = await authUser(present);
      return () => createRoom(admin, { now: new Date(), callerUid: a.uid, input: { title: "Cost" }, appUrl, findUser });
    }),
    joinRoom: await both(async (present) => {
      const [host, joiner] = [await authUser(true), await authUser(present)];
      const room = await createRoom(admin, { now: new Date(), callerUid: host.uid, input: { title: "Cost" }, appUrl, findUser });
      return () =>
        joinRoom(admin, { now: new Date(), callerUid: joiner.uid, inviteCode: room.inviteCode, maxMembers: 10_000, findUser });
    }),
  };
}

await runAlone(import.meta.url, admin, profileCosts, {
  rows: (result) =>
    Object.entries(result).flatMap(([operation, { present, missing }]) => [
      { operation, profile: "present", ...present },
      { operation, profile: "missing", ...missing },
    ]),
  quiet: true,
});
