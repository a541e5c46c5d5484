import { z } from "zod";
import { defineOperations } from "../shared/operation.js";
import { blockedUidParam, blockUserBody, listBlocksQuery, listUsersQuery, mutedUidParam, updateProfileBody } from "./schemas.js";
import { blockPage, blockView, emailRegistered, mutedUsers, unblocked, userMute, userPage, userView } from "./views.js";

const block = z.object({ block: blockView });

/** The user directory's operations, and blocks. */
export const usersContract = defineOperations({
  listUsers: {
    method: "get",
    path: "/users",
    tag: "Users",
    summary: "List users by display name; `q` matches a name prefix",
    query: listUsersQuery,
    responses: { 200: { description: "A page of users", schema: userPage } },
    errors: [],
  },
  blockUser: {
    method: "post",
    path: "/blocks",
    tag: "Users",
    summary: "Block a user: no 1:1 chat or message from them, no push from them in rooms (201 new, 200 already)",
    body: blockUserBody,
    responses: {
      201: { description: "The block, made", schema: block },
      200: { description: "The block, as it was", schema: block },
    },
    errors: ["not-found", "resource-exhausted"],
  },
  unblockUser: {
    method: "delete",
    path: "/blocks/:uid",
    tag: "Users",
    summary: "Lift your block of a user",
    params: blockedUidParam,
    responses: { 200: { description: "The block is lifted", schema: unblocked } },
    errors: ["not-found", "resource-exhausted"],
  },
  muteUser: {
    method: "post",
    path: "/users/:uid/mute",
    tag: "Users",
    summary: "Mute a user: their messages in rooms push nothing to you; not a block (at most 100; again: as it was)",
    params: mutedUidParam,
    responses: { 200: { description: "They are muted", schema: userMute } },
    errors: ["not-found", "failed-precondition", "resource-exhausted"],
  },
  unmuteUser: {
    method: "post",
    path: "/users/:uid/unmute",
    tag: "Users",
    summary: "Unmute a user (not muted: nothing changes)",
    params: mutedUidParam,
    responses: { 200: { description: "They are not muted", schema: userMute } },
    errors: ["resource-exhausted"],
  },
  listMutedUsers: {
    method: "get",
    path: "/users/muted",
    tag: "Users",
    summary: "List the users you muted, newest first",
    responses: { 200: { description: "The users you muted", schema: mutedUsers } },
    errors: [],
  },
  updateProfile: {
    method: "patch",
    path: "/me",
    tag: "Users",
    summary: "Change your display name (cleaned: NFC, no invisible or reordering characters, 1-100 characters) or photo URL",
    body: updateProfileBody,
    responses: { 200: { description: "Your profile", schema: z.object({ user: userView }) } },
    errors: ["resource-exhausted"],
  },
  registerEmail: {
    method: "post",
    path: "/me/email",
    tag: "Users",
    summary:
      "Make your verified e-mail address find you (`GET /chats?with=`); call once after verifying it (sign-up does it for addresses verified then)",
    responses: { 200: { description: "Your address finds you", schema: emailRegistered } },
    errors: ["failed-precondition", "resource-exhausted"],
  },
  listBlocks: {
    method: "get",
    path: "/blocks",
    tag: "Users",
    summary: "List the users you blocked, by uid",
    query: listBlocksQuery,
    responses: { 200: { description: "A page of blocks", schema: blockPage } },
    errors: [],
  },
});
