import { Router } from "express";
import { auth, db } from "../shared/firebase.js";
import { findAuthUser } from "../users/find-auth-user.js";
import { callerUid } from "../api/authenticate.js";
import { parseInput } from "../shared/validation.js";
import { createDirectChat } from "./create-chat.js";
import { getChat } from "./get-chat.js";
import { listChats } from "./list-chats.js";
import { muteChat, unmuteChat } from "./mute-chat.js";
import { endChat } from "./end-chat.js";
import { chatIdParam, createChatBody, listChatsQuery, muteChatBody } from "./schemas.js";

/**
 * `POST /chats` `{memberUid}` → 201 (created) or 200 (existed) `{chat}`;
 * `GET /chats?limit&cursor&with` → `{chats, nextCursor}`; `GET /chats/{chatId}` → `{chat}`;
 * `POST /chats/{chatId}/end` → `{chat}` (completed);
 * `POST /chats/{chatId}/mute` `{until?}` and `POST /chats/{chatId}/unmute` → `{chatId, muted, mutedUntil}`.
 */
export function chatsRoutes(): Router {
  const router = Router();
  router.post("/chats", async (req, res) => {
    const result = await createDirectChat(
      db(),
      new Date(),
      callerUid(res),
      parseInput(createChatBody, req.body),
      (uid) => findAuthUser(auth(), uid),
    );
    res.status(result.created ? 201 : 200).json({ chat: result.chat });
  });
  router.get("/chats", async (req, res) => {
    const page = await listChats(db(), callerUid(res), parseInput(listChatsQuery, req.query, "query"));
    res.json({ chats: page.items, nextCursor: page.nextCursor });
  });
  router.get("/chats/:chatId", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    res.json({ chat: await getChat(db(), callerUid(res), chatId) });
  });
  router.post("/chats/:chatId/end", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    res.json({ chat: await endChat(db(), new Date(), callerUid(res), chatId) });
  });
  router.post("/chats/:chatId/mute", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    res.json(await muteChat(db(), new Date(), callerUid(res), chatId, parseInput(muteChatBody, req.body ?? {})));
  });
  router.post("/chats/:chatId/unmute", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    res.json(await unmuteChat(db(), callerUid(res), chatId));
  });
  return router;
}
