import { chargeQuota, config, limited } from "../config.js";
import { auth, db } from "../shared/firebase.js";
import { findAuthUser } from "../users/find-auth-user.js";
import type { Implementations } from "../shared/handler.js";
import type { roomsContract } from "./contract.js";
import { listRoomBans, unbanRoomMember } from "./bans.js";
import { createRoom } from "./create-room.js";
import { joinRoom } from "./join-room.js";
import { leaveRoom, removeRoomMember } from "./leave-room.js";
import { listRoomMembers } from "./list-members.js";
import { rotateInvite } from "./rotate-invite.js";

const findUser = (uid: string) => findAuthUser(auth(), uid);

/** The handlers of {@link roomsContract}. */
export const roomsHandlers: Implementations<typeof roomsContract> = {
  createRoom: {
    run: async (caller, input) => {
      await chargeQuota(caller, "creations", 1);
      const options = { now: caller.now, callerUid: caller.uid, input, appUrl: config().appUrl, findUser };
      return { status: 201, body: await createRoom(db(), options) };
    },
  },
  joinRoom: {
    run: limited("membership", async ({ uid, now }, { inviteCode }) => ({
      status: 200,
      body: await joinRoom(db(), { now, callerUid: uid, inviteCode, maxMembers: config().maxRoomMembers, findUser }),
    })),
  },
  leaveRoom: {
    run: limited("membership", async ({ uid, now }, { chatId }) => ({
      status: 200,
      body: await leaveRoom(db(), { now, callerUid: uid, chatId, findUser }),
    })),
  },
  rotateRoomInvite: {
    run: limited("membership", async (caller, { chatId }) => ({
      status: 200,
      body: await rotateInvite(db(), { now: caller.now, caller, chatId, appUrl: config().appUrl }),
    })),
  },
  listRoomMembers: {
    run: async ({ uid }, { chatId, ...page }) => ({ status: 200, body: await listRoomMembers(db(), uid, chatId, page) }),
  },
  removeRoomMember: {
    run: limited("membership", async (caller, input) => ({
      status: 200,
      body: await removeRoomMember(db(), { now: caller.now, caller, chatId: input.chatId, memberUid: input.uid, findUser }),
    })),
  },
  listRoomBans: {
    run: async (caller, { chatId, ...page }) => ({ status: 200, body: await listRoomBans(db(), caller, chatId, page) }),
  },
  unbanRoomMember: {
    run: limited("membership", async (caller, input) => ({
      status: 200,
      body: await unbanRoomMember(db(), { now: caller.now, actor: caller, chatId: input.chatId, uid: input.uid }),
    })),
  },
};
