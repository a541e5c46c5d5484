import { limited } from "../config.js";
import type { Implementations } from "../shared/handler.js";
import { auth, db } from "../shared/firebase.js";
import type { usersContract } from "./contract.js";
import { blockUser, listBlocks, unblockUser } from "./blocks.js";
import { findAuthUser } from "./find-auth-user.js";
import { listUsers } from "./list-users.js";
import { listMutedUsers, muteUser, unmuteUser } from "./mutes.js";
import { registerEmail } from "./point-email.js";
import { updateProfile } from "./update-profile.js";

const findUser = (uid: string) => findAuthUser(auth(), uid);

/** The handlers of {@link usersContract}. */
export const usersHandlers: Implementations<typeof usersContract> = {
  listUsers: {
    run: async (caller, query) => {
      const page = await listUsers(db(), { now: caller.now, viewer: caller, input: query, findUser });
      return { status: 200, body: { users: page.items, nextCursor: page.nextCursor } };
    },
  },
  blockUser: {
    run: limited("settings", async ({ uid, now }, input) => {
      const { block, created } = await blockUser(db(), { now, callerUid: uid, uid: input.uid, findUser });
      return { status: created ? 201 : 200, body: { block } };
    }),
  },
  unblockUser: {
    run: limited("settings", async ({ uid }, input) => ({ status: 200, body: await unblockUser(db(), uid, input.uid) })),
  },
  muteUser: {
    run: limited("settings", async ({ uid, now }, input) => ({
      status: 200,
      body: await muteUser(db(), { now, callerUid: uid, uid: input.uid, findUser }),
    })),
  },
  unmuteUser: {
    run: limited("settings", async ({ uid }, input) => ({ status: 200, body: await unmuteUser(db(), uid, input.uid) })),
  },
  listMutedUsers: {
    run: async ({ uid }) => ({ status: 200, body: await listMutedUsers(db(), uid) }),
  },
  updateProfile: {
    run: limited("settings", async (caller, input) => ({
      status: 200,
      body: { user: await updateProfile(db(), caller, input, findUser) },
    })),
  },
  registerEmail: {
    run: limited("settings", async (caller) => ({ status: 200, body: await registerEmail(db(), caller) })),
  },
  listBlocks: {
    run: async ({ uid }, page) => ({ status: 200, body: await listBlocks(db(), uid, page) }),
  },
};
