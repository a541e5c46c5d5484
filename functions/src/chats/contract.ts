import { z } from "zod";
import { defineOperations } from "../shared/operation.js";
import { chatIdParam, createChatBody, listChatsQuery, muteChatBody } from "./schemas.js";
import { chatView, muteState } from "./views.js";

const chat = z.object({ chat: chatView });

/** 1:1 chats and what every chat has: reading, listing, ending, muting, pinning and archiving. */
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
    summary:
      "List your chats, pinned first, then newest message first (`filter=requests`: message requests to you; " +
      "`filter=archived`: your archived chats)",
    query: listChatsQuery,
    responses: {
      200: {
        description: "A page of chats, and how many message requests wait for your answer",
        schema: z
          .object({
            chats: z.array(chatView).meta({ description: "The chats (or requests), newest message first" }),
            nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; `null` on the last" }),
            requestCount: z.number().int().meta({ description: "How many message requests to you wait for your answer" }),
          })
          .meta({ id: "ChatPage", description: "A page of chats" }),
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
    errors: ["not-found"],
  },
  endChat: {
    method: "post",
    path: "/chats/:chatId/end",
    tag: "Chats",
    summary: "End a chat: read-only, exported, members mailed",
    params: chatIdParam,
    responses: { 200: { description: "The completed chat", schema: chat } },
    errors: ["permission-denied", "not-found", "aborted", "resource-exhausted"],
  },
  acceptRequest: {
    method: "post",
    path: "/chats/:chatId/accept",
    tag: "Chats",
    summary: "Accept a message request sent to you: it joins your chat list",
    params: chatIdParam,
    responses: { 200: { description: "The chat, no longer a request", schema: chat } },
    errors: ["not-found", "failed-precondition", "aborted", "resource-exhausted"],
  },
  declineRequest: {
    method: "post",
    path: "/chats/:chatId/decline",
    tag: "Chats",
    summary: "Decline a message request sent to you: hidden, and its sender may send no more",
    params: chatIdParam,
    responses: { 200: { description: "The declined request", schema: chat } },
    errors: ["not-found", "failed-precondition", "aborted", "resource-exhausted"],
  },
  muteChat: {
    method: "post",
    path: "/chats/:chatId/mute",
    tag: "Chats",
    summary: "Mute push notifications of a chat",
    params: chatIdParam,
    body: muteChatBody,
    responses: { 200: { description: "The mute state", schema: muteState } },
    errors: ["not-found", "aborted", "resource-exhausted"],
  },
  unmuteChat: {
    method: "post",
    path: "/chats/:chatId/unmute",
    tag: "Chats",
    summary: "Unmute a chat",
    params: chatIdParam,
    responses: { 200: { description: "The mute state", schema: muteState } },
    errors: ["not-found", "aborted", "resource-exhausted"],
  },
  pinChat: {
    method: "post",
    path: "/chats/:chatId/pin",
    tag: "Chats",
    summary: "Pin a chat to the top of your chat list (un-archives it; at most `MAX_PINNED_CHATS`, default 5)",
    params: chatIdParam,
    responses: { 200: { description: "The chat, pinned", schema: chat } },
    errors: ["not-found", "failed-precondition", "resource-exhausted"],
  },
  unpinChat: {
    method: "post",
    path: "/chats/:chatId/unpin",
    tag: "Chats",
    summary: "Unpin a chat from the top of your chat list",
    params: chatIdParam,
    responses: { 200: { description: "The chat, not pinned", schema: chat } },
    errors: ["not-found", "resource-exhausted"],
  },
  archiveChat: {
    method: "post",
    path: "/chats/:chatId/archive",
    tag: "Chats",
    summary: "Archive a chat: out of your chat list until a message arrives while you have not muted it (unpins it)",
    params: chatIdParam,
    responses: { 200: { description: "The chat, archived", schema: chat } },
    errors: ["not-found", "resource-exhausted"],
  },
  unarchiveChat: {
    method: "post",
    path: "/chats/:chatId/unarchive",
    tag: "Chats",
    summary: "Bring an archived chat back to your chat list",
    params: chatIdParam,
    responses: { 200: { description: "The chat, not archived", schema: chat } },
    errors: ["not-found", "resource-exhausted"],
  },
});
