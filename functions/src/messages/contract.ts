import { z } from "zod";
import { chatIdParam } from "../chats/schemas.js";
import { defineOperations } from "../shared/operation.js";
import {
  editMessageBody,
  forwardMessageBody,
  listMessagesQuery,
  markReadBody,
  messageParams,
  pinMessageBody,
  sendFileFields,
  sendMessageBody,
} from "./schemas.js";
import { hiddenMessage, messagePage, messageView, pinnedMessages, readState, receipts } from "./views.js";

const message = z.object({ message: messageView });
const writes = ["permission-denied", "not-found", "failed-precondition", "aborted"] as const;
/** A send's: a write's, and a rate limit or quota (429). */
const sends = [...writes, "resource-exhausted"] as const;

/** Messages: sending (text and files), listing, actions, read state, and file downloads. */
export const messagesContract = defineOperations({
  sendMessage: {
    method: "post",
    path: "/chats/:chatId/messages",
    tag: "Messages",
    summary: "Send a text (JSON) or a file or image (multipart/form-data)",
    params: chatIdParam,
    body: sendMessageBody,
    upload: sendFileFields,
    responses: {
      201: { description: "The message, sent", schema: message },
      200: { description: "The message a retry with the same `clientMessageId` sent before", schema: message },
    },
    errors: sends,
  },
  listMessages: {
    method: "get",
    path: "/chats/:chatId/messages",
    tag: "Messages",
    summary: "List messages: latest, `before` a number, or `after` one",
    params: chatIdParam,
    query: listMessagesQuery,
    responses: { 200: { description: "Messages in number order", schema: messagePage } },
    errors: ["permission-denied", "not-found"],
  },
  getMessage: {
    method: "get",
    path: "/chats/:chatId/messages/:number",
    tag: "Messages",
    summary: "Read one message",
    params: messageParams,
    responses: { 200: { description: "The message", schema: message } },
    errors: ["permission-denied", "not-found"],
  },
  editMessage: {
    method: "patch",
    path: "/chats/:chatId/messages/:number",
    tag: "Messages",
    summary: "Edit your text message within EDIT_WINDOW_SECONDS",
    params: messageParams,
    body: editMessageBody,
    responses: { 200: { description: "The edited message", schema: message } },
    errors: writes,
  },
  deleteMessage: {
    method: "delete",
    path: "/chats/:chatId/messages/:number",
    tag: "Messages",
    summary: "Delete your message for everyone (a tombstone)",
    params: messageParams,
    responses: { 200: { description: "The tombstone", schema: message } },
    errors: writes,
  },
  pinMessage: {
    method: "post",
    path: "/chats/:chatId/pins",
    tag: "Messages",
    summary: "Pin a message (any member of a 1:1 chat, a room's host; at most 10)",
    params: chatIdParam,
    body: pinMessageBody,
    responses: { 200: { description: "The chat's pins", schema: pinnedMessages } },
    errors: ["permission-denied", "not-found", "failed-precondition"],
  },
  unpinMessage: {
    method: "delete",
    path: "/chats/:chatId/pins/:number",
    tag: "Messages",
    summary: "Unpin a message",
    params: messageParams,
    responses: { 200: { description: "The chat's pins", schema: pinnedMessages } },
    errors: ["permission-denied", "not-found"],
  },
  listReceipts: {
    method: "get",
    path: "/chats/:chatId/messages/:number/receipts",
    tag: "Messages",
    summary: "Who read a message (rooms larger than RECEIPTS_MAX_MEMBERS: how many)",
    params: messageParams,
    responses: { 200: { description: "The message's readers", schema: receipts } },
    errors: ["permission-denied", "not-found"],
  },
  hideMessage: {
    method: "post",
    path: "/chats/:chatId/messages/:number/hide",
    tag: "Messages",
    summary: "Delete a message for yourself",
    params: messageParams,
    responses: { 200: { description: "Hidden", schema: hiddenMessage } },
    errors: ["permission-denied", "not-found"],
  },
  forwardMessage: {
    method: "post",
    path: "/chats/:chatId/messages/:number/forward",
    tag: "Messages",
    summary: "Forward a message to another chat you are in",
    params: messageParams,
    body: forwardMessageBody,
    responses: {
      201: { description: "The new message in the target chat", schema: message },
      200: { description: "The message a retry with the same `clientMessageId` forwarded before", schema: message },
    },
    errors: sends,
  },
  markRead: {
    method: "post",
    path: "/chats/:chatId/read",
    tag: "Messages",
    summary: "Mark messages read up to a number (default: all)",
    params: chatIdParam,
    body: markReadBody,
    responses: { 200: { description: "Your read state", schema: readState } },
    errors: ["permission-denied", "not-found"],
  },
  downloadFile: {
    method: "get",
    path: "/chats/:chatId/messages/:number/file",
    tag: "Files",
    summary: "Download a message's file (Range supported)",
    params: messageParams,
    download: { description: "The file's bytes, with its own Content-Type" },
    errors: ["permission-denied", "not-found", "range-not-satisfiable"],
  },
  downloadThumbnail: {
    method: "get",
    path: "/chats/:chatId/messages/:number/thumbnail",
    tag: "Files",
    summary: "Download an image message's thumbnail",
    params: messageParams,
    download: { description: "The thumbnail (image/jpeg or image/png)" },
    errors: ["permission-denied", "not-found", "range-not-satisfiable"],
  },
});
