import { z } from "zod";
import { defineOperations } from "../shared/operation.js";
import { chatIdParam, createChatBody, listChatsQuery, muteChatBody } from "./schemas.js";
import { chatView, muteState } from "./views.js";

const chat = z.object({ chat: chatView });

/** 1:1 chats and what every chat has: reading, listing, ending, muting. */
export const chatsContract = defineOperations({
  createChat: {
    method: "post",
    path: "/chats",
    tag: "Chats",
    summary: "Open the 1:1 chat with a user (201 new, 200 existing)",
    body: createChatBody,
    responses: {
      201: { description: "The chat, created", schema: chat },
      200: { description: "The chat, which existed already", schema: chat },
    },
    errors: ["not-found", "permission-denied", "already-exists", "resource-exhausted"],
  },
  listChats: {
    method: "get",
    path: "/chats",
    tag: "Chats",
    summary: "List your chats, newest message first; `with` filters by e-mail",
    query: listChatsQuery,
    responses: {
      200: {
        description: "A page of chats",
        schema: z.object({ chats: z.array(chatView), nextCursor: z.string().nullable() }),
      },
    },
    errors: [],
  },
  getChat: {
    method: "get",
    path: "/chats/:chatId",
    tag: "Chats",
    summary: "Read a chat",
    params: chatIdParam,
    responses: { 200: { description: "The chat", schema: chat } },
    errors: ["permission-denied", "not-found"],
  },
  endChat: {
    method: "post",
    path: "/chats/:chatId/end",
    tag: "Chats",
    summary: "End a chat: read-only, exported, members mailed",
    params: chatIdParam,
    responses: { 200: { description: "The completed chat", schema: chat } },
    errors: ["permission-denied", "not-found", "aborted"],
  },
  muteChat: {
    method: "post",
    path: "/chats/:chatId/mute",
    tag: "Chats",
    summary: "Mute push notifications of a chat",
    params: chatIdParam,
    body: muteChatBody,
    responses: { 200: { description: "The mute state", schema: muteState } },
    errors: ["permission-denied", "not-found"],
  },
  unmuteChat: {
    method: "post",
    path: "/chats/:chatId/unmute",
    tag: "Chats",
    summary: "Unmute a chat",
    params: chatIdParam,
    responses: { 200: { description: "The mute state", schema: muteState } },
    errors: ["permission-denied", "not-found"],
  },
});
