import { authedCallable } from "../api/callable.js";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { getMessage as readMessage } from "./get-message.js";
import { listMessages as listMessagesPage } from "./list-messages.js";
import { markRead as markChatRead } from "./mark-read.js";
import { getMessageCall, listMessagesCall, markReadCall, sendMessageCall } from "./schemas.js";
import { sendMessage as send } from "./send-message.js";

/** Callable `sendMessage({chatId, text, clientMessageId?})` → `{message, created}`. */
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
