import {
  extendZodWithOpenApi,
  OpenApiGeneratorV31,
  OpenAPIRegistry,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { chatView } from "../chats/chat-view.js";
import { muteState } from "../chats/mute-chat.js";
import { chatIdParam, createChatBody, listChatsQuery, muteChatBody } from "../chats/schemas.js";
import { deviceView } from "../devices/register-device.js";
import { deviceTokenParam, registerDeviceBody } from "../devices/schemas.js";
import { messagePage } from "../messages/list-messages.js";
import { readState } from "../messages/mark-read.js";
import { messageView } from "../messages/message-view.js";
import {
  editMessageBody,
  forwardMessageBody,
  listMessagesQuery,
  markReadBody,
  messageParams,
  sendFileFields,
  sendMessageBody,
} from "../messages/schemas.js";
import { newRoom } from "../rooms/create-room.js";
import { membershipResult } from "../rooms/leave-room.js";
import { createRoomBody, joinRoomBody, roomIdParam, roomMemberParams } from "../rooms/schemas.js";
import { listUsersQuery } from "../users/schemas.js";
import { userView } from "../users/user-view.js";
import { errorBody } from "./http-errors.js";

extendZodWithOpenApi(z);

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const binary = z.string().openapi({ type: "string", format: "binary" });

const errorText: Record<number, string> = {
  400: "Invalid input: the message names each field (`invalid-argument`).",
  401: "No, malformed, expired or foreign ID token (`unauthenticated`).",
  403: "Not a member, not the sender or not the host (`permission-denied`).",
  404: "Unknown chat, message, user, room or invite (`not-found`).",
  409: "Chat ended, message deleted, edit window passed, room full, or a lost race (`failed-precondition`, `aborted`).",
  413: "Body over MAX_JSON_BODY_BYTES, or file over MAX_UPLOAD_BYTES (`payload-too-large`).",
  416: "The Range lies outside the file (`range-not-satisfiable`).",
};

interface Operation {
  method: RouteConfig["method"];
  /** Express path under /v1, e.g. `/chats/:chatId`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  multipart?: z.ZodType;
  ok: [status: number, description: string, schema?: z.ZodType];
  errors: number[];
  download?: boolean;
}

const message = z.object({ message: messageView });
const chat = z.object({ chat: chatView });

/** Every REST operation, as the Express routes define them (a test checks the two agree). */
export const operations: Operation[] = [
  { method: "get", path: "/users", operationId: "listUsers", tag: "Users", summary: "List users by display name; `q` matches a name prefix", query: listUsersQuery, ok: [200, "A page of users", z.object({ users: z.array(userView), nextCursor: z.string().nullable() })], errors: [400] },
  { method: "post", path: "/chats", operationId: "createChat", tag: "Chats", summary: "Open the 1:1 chat with a user (201 new, 200 existing)", body: createChatBody, ok: [201, "The chat", chat], errors: [400, 404, 409] },
  { method: "get", path: "/chats", operationId: "listChats", tag: "Chats", summary: "List your chats, newest message first; `with` filters by e-mail", query: listChatsQuery, ok: [200, "A page of chats", z.object({ chats: z.array(chatView), nextCursor: z.string().nullable() })], errors: [400] },
  { method: "get", path: "/chats/:chatId", operationId: "getChat", tag: "Chats", summary: "Read a chat", params: chatIdParam, ok: [200, "The chat", chat], errors: [403, 404] },
  { method: "post", path: "/chats/:chatId/end", operationId: "endChat", tag: "Chats", summary: "End a chat: read-only, exported, members mailed", params: chatIdParam, ok: [200, "The completed chat", chat], errors: [403, 404] },
  { method: "post", path: "/chats/:chatId/mute", operationId: "muteChat", tag: "Chats", summary: "Mute push notifications of a chat", params: chatIdParam, body: muteChatBody, ok: [200, "The mute state", muteState], errors: [400, 403, 404] },
  { method: "post", path: "/chats/:chatId/unmute", operationId: "unmuteChat", tag: "Chats", summary: "Unmute a chat", params: chatIdParam, ok: [200, "The mute state", muteState], errors: [403, 404] },
  { method: "get", path: "/chats/:chatId/export", operationId: "downloadExport", tag: "Chats", summary: "Download an ended chat's CSV history", params: chatIdParam, ok: [200, "The CSV"], errors: [403, 404, 416], download: true },
  { method: "post", path: "/chats/:chatId/messages", operationId: "sendMessage", tag: "Messages", summary: "Send a text (JSON) or a file or image (multipart/form-data)", params: chatIdParam, body: sendMessageBody, multipart: sendFileFields.extend({ file: binary }), ok: [201, "The message (200 with the first one on a retry)", message], errors: [400, 403, 404, 409, 413] },
  { method: "get", path: "/chats/:chatId/messages", operationId: "listMessages", tag: "Messages", summary: "List messages: latest, `before` a number, or `after` one", params: chatIdParam, query: listMessagesQuery, ok: [200, "Messages in number order", messagePage], errors: [400, 403, 404] },
  { method: "get", path: "/chats/:chatId/messages/:number", operationId: "getMessage", tag: "Messages", summary: "Read one message", params: messageParams, ok: [200, "The message", message], errors: [400, 403, 404] },
  { method: "patch", path: "/chats/:chatId/messages/:number", operationId: "editMessage", tag: "Messages", summary: "Edit your text message within EDIT_WINDOW_SECONDS", params: messageParams, body: editMessageBody, ok: [200, "The edited message", message], errors: [400, 403, 404, 409] },
  { method: "delete", path: "/chats/:chatId/messages/:number", operationId: "deleteMessage", tag: "Messages", summary: "Delete your message for everyone (a tombstone)", params: messageParams, ok: [200, "The tombstone", message], errors: [400, 403, 404, 409] },
  { method: "post", path: "/chats/:chatId/messages/:number/hide", operationId: "hideMessage", tag: "Messages", summary: "Delete a message for yourself", params: messageParams, ok: [200, "Hidden", z.object({ chatId: z.string(), number: z.number().int(), hidden: z.literal(true) })], errors: [400, 403, 404] },
  { method: "post", path: "/chats/:chatId/messages/:number/forward", operationId: "forwardMessage", tag: "Messages", summary: "Forward a message to another chat you are in", params: messageParams, body: forwardMessageBody, ok: [201, "The new message in the target chat", message], errors: [400, 403, 404, 409] },
  { method: "get", path: "/chats/:chatId/messages/:number/file", operationId: "downloadFile", tag: "Files", summary: "Download a message's file (Range supported)", params: messageParams, ok: [200, "The bytes"], errors: [400, 403, 404, 416], download: true },
  { method: "get", path: "/chats/:chatId/messages/:number/thumbnail", operationId: "downloadThumbnail", tag: "Files", summary: "Download an image message's thumbnail", params: messageParams, ok: [200, "The bytes"], errors: [400, 403, 404, 416], download: true },
  { method: "post", path: "/chats/:chatId/read", operationId: "markRead", tag: "Messages", summary: "Mark messages read up to a number (default: all)", params: chatIdParam, body: markReadBody, ok: [200, "Your read state", readState], errors: [400, 403, 404] },
  { method: "post", path: "/rooms", operationId: "createRoom", tag: "Rooms", summary: "Create a room; you are its host", body: createRoomBody, ok: [201, "The room and its invite", newRoom], errors: [400] },
  { method: "post", path: "/rooms/join", operationId: "joinRoom", tag: "Rooms", summary: "Join a room with an invite code", body: joinRoomBody, ok: [200, "The room; `joined` is false when already a member", z.object({ chat: chatView, joined: z.boolean() })], errors: [400, 404, 409] },
  { method: "post", path: "/rooms/:chatId/leave", operationId: "leaveRoom", tag: "Rooms", summary: "Leave a room", params: roomIdParam, ok: [200, "The room's members", membershipResult], errors: [403, 404] },
  { method: "post", path: "/rooms/:chatId/invite/rotate", operationId: "rotateRoomInvite", tag: "Rooms", summary: "Replace the invite code (host)", params: roomIdParam, ok: [200, "The new invite", z.object({ chatId: z.string(), inviteCode: z.string(), joinUri: z.string() })], errors: [403, 404, 409] },
  { method: "delete", path: "/rooms/:chatId/members/:uid", operationId: "removeRoomMember", tag: "Rooms", summary: "Remove a member (host)", params: roomMemberParams, ok: [200, "The room's members", membershipResult], errors: [400, 403, 404] },
  { method: "post", path: "/devices", operationId: "registerDevice", tag: "Devices", summary: "Register an FCM registration token (201 new, 200 refreshed)", body: registerDeviceBody, ok: [201, "The device", z.object({ device: deviceView })], errors: [400] },
  { method: "delete", path: "/devices/:token", operationId: "unregisterDevice", tag: "Devices", summary: "Remove one of your registration tokens", params: deviceTokenParam, ok: [200, "Removed", z.object({ removed: z.literal(true) })], errors: [404] },
];

/** `/chats/:chatId` → `/chats/{chatId}`. */
export const openApiPath = (expressPath: string) => `/v1${expressPath.replace(/:(\w+)/g, "{$1}")}`;

/**
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas it validates with.
 * The server URL is relative (`..`, from `<base>/v1/openapi.json` to `<base>`), so the document
 * is right wherever it is served: the function's URL, a Hosting rewrite, the emulator.
 */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "firebaseIdToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "Firebase ID token",
    description: "A Firebase Auth ID token of the signed-in user.",
  });
  for (const op of operations) {
    const responses: RouteConfig["responses"] = {
      [op.ok[0]]: op.download
        ? { description: op.ok[1], content: { "application/octet-stream": { schema: binary } } }
        : { description: op.ok[1], ...json(op.ok[2] as z.ZodType) },
    };
    for (const status of [...op.errors, 401]) responses[status] = { description: errorText[status], ...json(errorBody) };
    if (op.download) {
      responses[206] = { description: "The requested range", content: { "application/octet-stream": { schema: binary } } };
      responses[304] = { description: "Not modified (If-None-Match)" };
    }
    registry.registerPath({
      method: op.method,
      path: openApiPath(op.path),
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      security: [{ firebaseIdToken: [] }],
      request: {
        ...(op.params && { params: op.params }),
        ...(op.query && { query: op.query as z.ZodObject }),
        ...((op.body || op.multipart) && {
          body: {
            required: Boolean(op.body && !op.multipart),
            content: {
              ...(op.body && { "application/json": { schema: op.body } }),
              ...(op.multipart && { "multipart/form-data": { schema: op.multipart } }),
            },
          },
        }),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Parley API",
      version: "1.0.0",
      description:
        "Parley's REST API: 1:1 chats and rooms, text and file messages, reads, devices. Every call needs " +
        "`Authorization: Bearer <Firebase ID token>`. Most operations also exist as HTTPS callable functions " +
        "named by their operationId.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: "..", description: "Where this document is served from" }],
    tags: ["Users", "Chats", "Messages", "Files", "Rooms", "Devices"].map((name) => ({ name, description: `${name} operations` })),
  });
}
