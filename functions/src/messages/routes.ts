import { Router } from "express";
import { callerUid } from "../api/authenticate.js";
import { chatIdParam } from "../chats/schemas.js";
import { config } from "../config.js";
import { fileCopier } from "../files/copy-message-file.js";
import { objectDeleter } from "../files/delete-objects.js";
import { logs } from "../logs.js";
import { bucket, db } from "../shared/firebase.js";
import { parseInput } from "../shared/validation.js";
import { deleteMessage } from "./delete-message.js";
import { editMessage } from "./edit-message.js";
import { forwardMessage } from "./forward-message.js";
import { getMessage } from "./get-message.js";
import { hideMessage } from "./hide-message.js";
import { listMessages } from "./list-messages.js";
import { markRead } from "./mark-read.js";
import {
  editMessageBody,
  forwardMessageBody,
  listMessagesQuery,
  markReadBody,
  messageParams,
  sendMessageBody,
} from "./schemas.js";
import { sendMessage } from "./send-message.js";

/**
 * `POST /chats/{chatId}/messages` `{text, clientMessageId?, replyTo?}` → 201 `{message}` (200 on a retry);
 * `GET /chats/{chatId}/messages?limit&before&after` → `{messages, hasMore}`;
 * `GET /chats/{chatId}/messages/{number}` → `{message}`;
 * `PATCH /chats/{chatId}/messages/{number}` `{text}` → `{message}` (edit);
 * `DELETE /chats/{chatId}/messages/{number}` → `{message}` (the tombstone);
 * `POST /chats/{chatId}/messages/{number}/hide` → `{chatId, number, hidden}`;
 * `POST /chats/{chatId}/messages/{number}/forward` `{toChatId, clientMessageId?}` → 201 `{message}`;
 * `POST /chats/{chatId}/read` `{upTo?}` → `{chatId, lastRead, unreadCount}`.
 */
export function messagesRoutes(): Router {
  const router = Router();
  router.post("/chats/:chatId/messages", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    const body = parseInput(sendMessageBody, req.body);
    const result = await sendMessage(db(), new Date(), callerUid(res), chatId, { type: "text", ...body });
    logs.messageSent(chatId, result.message.number, result.attempts, result.created);
    res.set("x-parley-send-attempts", String(result.attempts));
    res.status(result.created ? 201 : 200).json({ message: result.message });
  });
  router.get("/chats/:chatId/messages", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    const query = parseInput(listMessagesQuery, req.query, "query");
    res.json(await listMessages(db(), callerUid(res), chatId, query, config().messagesToLoad));
  });
  router.get("/chats/:chatId/messages/:number", async (req, res) => {
    const { chatId, number } = parseInput(messageParams, req.params, "path");
    res.json({ message: await getMessage(db(), callerUid(res), chatId, number) });
  });
  router.patch("/chats/:chatId/messages/:number", async (req, res) => {
    const { chatId, number } = parseInput(messageParams, req.params, "path");
    const body = parseInput(editMessageBody, req.body);
    const message = await editMessage(db(), new Date(), callerUid(res), chatId, number, body, config().editWindowSeconds);
    res.json({ message });
  });
  router.delete("/chats/:chatId/messages/:number", async (req, res) => {
    const { chatId, number } = parseInput(messageParams, req.params, "path");
    res.json({ message: await deleteMessage(db(), objectDeleter(bucket()), new Date(), callerUid(res), chatId, number) });
  });
  router.post("/chats/:chatId/messages/:number/hide", async (req, res) => {
    const { chatId, number } = parseInput(messageParams, req.params, "path");
    res.json(await hideMessage(db(), callerUid(res), chatId, number));
  });
  router.post("/chats/:chatId/messages/:number/forward", async (req, res) => {
    const { chatId, number } = parseInput(messageParams, req.params, "path");
    const body = parseInput(forwardMessageBody, req.body);
    const result = await forwardMessage(db(), fileCopier(bucket()), new Date(), callerUid(res), chatId, number, body);
    logs.messageSent(body.toChatId, result.message.number, result.attempts, result.created);
    res.set("x-parley-send-attempts", String(result.attempts));
    res.status(result.created ? 201 : 200).json({ message: result.message });
  });
  router.post("/chats/:chatId/read", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    res.json(await markRead(db(), callerUid(res), chatId, parseInput(markReadBody, req.body ?? {})));
  });
  return router;
}
