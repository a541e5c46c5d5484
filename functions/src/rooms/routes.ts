import { Router } from "express";
import { callerUid } from "../api/authenticate.js";
import { config } from "../config.js";
import { db } from "../shared/firebase.js";
import { parseInput } from "../shared/validation.js";
import { createRoom } from "./create-room.js";
import { joinRoom } from "./join-room.js";
import { leaveRoom, removeRoomMember } from "./leave-room.js";
import { rotateInvite } from "./rotate-invite.js";
import { createRoomBody, joinRoomBody, roomIdParam, roomMemberParams } from "./schemas.js";

/**
 * `POST /rooms` `{title}` → 201 `{chat, inviteCode, joinUri}`;
 * `POST /rooms/join` `{inviteCode}` → 200 `{chat, joined}`;
 * `POST /rooms/{chatId}/leave` → `{chatId, members, host, status}`;
 * `POST /rooms/{chatId}/invite/rotate` → `{chatId, inviteCode, joinUri}` (host);
 * `DELETE /rooms/{chatId}/members/{uid}` → `{chatId, members, host, status}` (host).
 */
export function roomsRoutes(): Router {
  const router = Router();
  router.post("/rooms", async (req, res) => {
    const body = parseInput(createRoomBody, req.body);
    res.status(201).json(await createRoom(db(), new Date(), callerUid(res), body, config().appUrl));
  });
  router.post("/rooms/join", async (req, res) => {
    const { inviteCode } = parseInput(joinRoomBody, req.body);
    res.json(await joinRoom(db(), new Date(), callerUid(res), inviteCode, config().maxRoomMembers));
  });
  router.post("/rooms/:chatId/leave", async (req, res) => {
    const { chatId } = parseInput(roomIdParam, req.params, "path");
    res.json(await leaveRoom(db(), new Date(), callerUid(res), chatId));
  });
  router.post("/rooms/:chatId/invite/rotate", async (req, res) => {
    const { chatId } = parseInput(roomIdParam, req.params, "path");
    res.json(await rotateInvite(db(), new Date(), callerUid(res), chatId, config().appUrl));
  });
  router.delete("/rooms/:chatId/members/:uid", async (req, res) => {
    const { chatId, uid } = parseInput(roomMemberParams, req.params, "path");
    res.json(await removeRoomMember(db(), new Date(), callerUid(res), chatId, uid));
  });
  return router;
}
