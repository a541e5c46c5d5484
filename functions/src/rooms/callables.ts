import { authedCallable } from "../api/callable.js";
import { config } from "../config.js";
import { db } from "../shared/firebase.js";
import { createRoom as create } from "./create-room.js";
import { joinRoom as join } from "./join-room.js";
import { leaveRoom as leave, removeRoomMember as remove } from "./leave-room.js";
import { rotateInvite } from "./rotate-invite.js";
import { createRoomBody, joinRoomBody, roomIdParam, roomMemberParams } from "./schemas.js";

/** Callable `createRoom({title})` → `{chat, inviteCode, joinUri}`, as `POST /v1/rooms`. */
export const createRoom = authedCallable("createRoom", createRoomBody, (uid, input) =>
  create(db(), new Date(), uid, input, config().appUrl),
);

/** Callable `joinRoom({inviteCode})` → `{chat, joined}`, as `POST /v1/rooms/join`. */
export const joinRoom = authedCallable("joinRoom", joinRoomBody, (uid, { inviteCode }) =>
  join(db(), new Date(), uid, inviteCode, config().maxRoomMembers),
);

/** Callable `leaveRoom({chatId})`, as `POST /v1/rooms/{chatId}/leave`. */
export const leaveRoom = authedCallable("leaveRoom", roomIdParam, (uid, { chatId }) => leave(db(), new Date(), uid, chatId));

/** Callable `rotateRoomInvite({chatId})` → `{chatId, inviteCode, joinUri}`, as `POST /v1/rooms/{chatId}/invite/rotate`. */
export const rotateRoomInvite = authedCallable("rotateRoomInvite", roomIdParam, (uid, { chatId }) =>
  rotateInvite(db(), new Date(), uid, chatId, config().appUrl),
);

/** Callable `removeRoomMember({chatId, uid})`, as `DELETE /v1/rooms/{chatId}/members/{uid}`. */
export const removeRoomMember = authedCallable("removeRoomMember", roomMemberParams, (uid, input) =>
  remove(db(), new Date(), uid, input.chatId, input.uid),
);
