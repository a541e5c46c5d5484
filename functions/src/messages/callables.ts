import { authedCallable } from "../api/callable.js";
import { config } from "../config.js";
import { fileCopier } from "../files/copy-message-file.js";
import { objectDeleter } from "../files/delete-objects.js";
import { logs } from "../logs.js";
import { bucket, db } from "../shared/firebase.js";
import { deleteMessage as deleteForEveryone } from "./delete-message.js";
import { editMessage as edit } from "./edit-message.js";
import { forwardMessage as forward } from "./forward-message.js";
import { hideMessage as hide } from "./hide-message.js";
import { getMessage as readMessage } from "./get-message.js";
import { listMessages as listMessagesPage } from "./list-messages.js";
import { markRead as markChatRead } from "./mark-read.js";
import {
  deleteMessageCall,
  editMessageCall,
  forwardMessageCall,
  getMessageCall,
  hideMessageCall,
  listMessagesCall,
  markReadCall,
  sendMessageCall,
} from "./schemas.js";
import { sendMessage as send } from "./send-message.js";

/** Callable `sendMessage({chatId, text, clientMessageId?, replyTo?})` → `{message, created}`. Files go through REST. */
export const sendMessage = authedCallable("sendMessage", sendMessageCall, async (uid, { chatId, ...body }) => {
  const result = await send(db(), new Date(), uid, chatId, { type: "text", ...body });
  logs.messageSent(chatId, result.message.number, result.attempts, result.created);
  return { message: result.message, created: result.created };
});

/** Callable `listMessages({chatId, limit?, before?, after?})` → `{messages, hasMore}`. */
export const listMessages = authedCallable("listMessages", listMessagesCall, (uid, { chatId, ...query }) =>
  listMessagesPage(db(), uid, chatId, query, config().messagesToLoad),
);

/** Callable `getMessage({chatId, number})` → `{message}`. */
export const getMessage = authedCallable("getMessage", getMessageCall, async (uid, { chatId, number }) => ({
  message: await readMessage(db(), uid, chatId, number),
}));

/** Callable `markRead({chatId, upTo?})` → `{chatId, lastRead, unreadCount}`. */
export const markRead = authedCallable("markRead", markReadCall, (uid, { chatId, ...body }) =>
  markChatRead(db(), uid, chatId, body),
);

/** Callable `forwardMessage({chatId, number, toChatId, clientMessageId?})` → `{message, created}`. */
export const forwardMessage = authedCallable("forwardMessage", forwardMessageCall, async (uid, { chatId, number, ...body }) => {
  const result = await forward(db(), fileCopier(bucket()), new Date(), uid, chatId, number, body);
  logs.messageSent(body.toChatId, result.message.number, result.attempts, result.created);
  return { message: result.message, created: result.created };
});

/** Callable `editMessage({chatId, number, text})` → `{message}`. */
export const editMessage = authedCallable("editMessage", editMessageCall, async (uid, { chatId, number, ...body }) => ({
  message: await edit(db(), new Date(), uid, chatId, number, body, config().editWindowSeconds),
}));

/** Callable `deleteMessage({chatId, number})` → `{message}` (the tombstone). */
export const deleteMessage = authedCallable("deleteMessage", deleteMessageCall, async (uid, { chatId, number }) => ({
  message: await deleteForEveryone(db(), objectDeleter(bucket()), new Date(), uid, chatId, number),
}));

/** Callable `hideMessage({chatId, number})` → `{chatId, number, hidden}`. */
export const hideMessage = authedCallable("hideMessage", hideMessageCall, (uid, { chatId, number }) =>
  hide(db(), uid, chatId, number),
);
