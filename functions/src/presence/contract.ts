import { z } from "zod";
import { chatIdParam } from "../chats/schemas.js";
import { defineOperations } from "../shared/operation.js";
import { pageInput } from "../shared/schemas.js";
import { heartbeatBody, typingBody, updateSettingsBody } from "./schemas.js";
import { chatPresence, heartbeatState, privacySettings, typingState } from "./views.js";

/** Who is typing, who is online. */
export const presenceContract = defineOperations({
  setTyping: {
    method: "post",
    path: "/chats/:chatId/typing",
    tag: "Presence",
    summary: "Say you are typing (shows 5 s) or stopped; at most one write per user and chat every 3 s",
    params: chatIdParam,
    body: typingBody,
    responses: { 200: { description: "Whether this call wrote the indicator", schema: typingState } },
    errors: ["permission-denied", "not-found", "failed-precondition"],
  },
  heartbeat: {
    method: "post",
    path: "/presence",
    tag: "Presence",
    summary: "Heartbeat: online for 90 s (send one every 60 s), or `online: false` when leaving",
    body: heartbeatBody,
    responses: { 200: { description: "Your presence", schema: heartbeatState } },
    errors: [],
  },
  listChatPresence: {
    method: "get",
    path: "/chats/:chatId/presence",
    tag: "Presence",
    summary: "Online and last seen of a chat's members (a room's a page at a time)",
    params: chatIdParam,
    query: pageInput,
    responses: { 200: { description: "The members' presence", schema: chatPresence } },
    errors: ["not-found"],
  },
  getSettings: {
    method: "get",
    path: "/me/settings",
    tag: "Presence",
    summary: "Your privacy settings: who sees your presence, and read receipts",
    responses: { 200: { description: "Your settings", schema: z.object({ settings: privacySettings }) } },
    errors: [],
  },
  updateSettings: {
    method: "patch",
    path: "/me/settings",
    tag: "Presence",
    summary:
      "Choose who sees your presence (`contacts`, who shares a chat with you, the default; or `nobody`) and whether you send and see read receipts (default `true`)",
    body: updateSettingsBody,
    responses: { 200: { description: "Your settings", schema: z.object({ settings: privacySettings }) } },
    errors: ["resource-exhausted"],
  },
});
