import { defineOperations } from "../shared/operation.js";
import { pageInput } from "../shared/schemas.js";
import { createRoomBody, joinRoomBody, roomIdParam, roomMemberParams } from "./schemas.js";
import { banPage, joinedRoom, memberPage, membershipResult, newRoom, roomInvite, unbanned } from "./views.js";

/** Rooms: group chats joined by invite code, with a host. */
export const roomsContract = defineOperations({
  createRoom: {
    method: "post",
    path: "/rooms",
    tag: "Rooms",
    summary: "Create a room; you are its host",
    body: createRoomBody,
    responses: { 201: { description: "The room and its invite", schema: newRoom } },
    errors: ["failed-precondition", "resource-exhausted"],
  },
  joinRoom: {
    method: "post",
    path: "/rooms/join",
    tag: "Rooms",
    summary: "Join a room with an invite code",
    body: joinRoomBody,
    responses: { 200: { description: "The room; `joined` is false when already a member", schema: joinedRoom } },
    errors: ["not-found", "permission-denied", "failed-precondition", "aborted", "resource-exhausted"],
  },
  leaveRoom: {
    method: "post",
    path: "/rooms/:chatId/leave",
    tag: "Rooms",
    summary: "Leave a room (you may join again)",
    params: roomIdParam,
    responses: { 200: { description: "The room's members", schema: membershipResult } },
    errors: ["not-found", "aborted", "resource-exhausted"],
  },
  rotateRoomInvite: {
    method: "post",
    path: "/rooms/:chatId/invite/rotate",
    tag: "Rooms",
    summary: "Replace the invite code (host)",
    params: roomIdParam,
    responses: { 200: { description: "The new invite", schema: roomInvite } },
    errors: ["permission-denied", "not-found", "failed-precondition", "resource-exhausted"],
  },
  listRoomMembers: {
    method: "get",
    path: "/rooms/:chatId/members",
    tag: "Rooms",
    summary: "List a room's members by uid, a page at a time",
    params: roomIdParam,
    query: pageInput,
    responses: { 200: { description: "A page of members", schema: memberPage } },
    errors: ["not-found"],
  },
  removeRoomMember: {
    method: "delete",
    path: "/rooms/:chatId/members/:uid",
    tag: "Rooms",
    summary: "Remove and ban a member (host or moderator); they can't rejoin until unbanned",
    params: roomMemberParams,
    responses: { 200: { description: "The room's members", schema: membershipResult } },
    errors: ["permission-denied", "not-found", "aborted", "resource-exhausted"],
  },
  listRoomBans: {
    method: "get",
    path: "/rooms/:chatId/bans",
    tag: "Rooms",
    summary: "List the users banned from a room (host or moderator)",
    params: roomIdParam,
    query: pageInput,
    responses: { 200: { description: "A page of bans", schema: banPage } },
    errors: ["permission-denied", "not-found"],
  },
  unbanRoomMember: {
    method: "delete",
    path: "/rooms/:chatId/bans/:uid",
    tag: "Rooms",
    summary: "Lift a ban (host or moderator): the user may join again",
    params: roomMemberParams,
    responses: { 200: { description: "The ban is lifted", schema: unbanned } },
    errors: ["permission-denied", "not-found", "resource-exhausted"],
  },
});
