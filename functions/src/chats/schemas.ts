import { z } from "zod";
import { chatDocId, pageInput, uid } from "../shared/schemas.js";

/** `POST /v1/chats` and the `createChat` callable. */
export const createChatBody = z.strictObject({ memberUid: uid });
export type CreateChatBody = z.infer<typeof createChatBody>;

/** Path parameter `{chatId}`. */
export const chatIdParam = z.strictObject({ chatId: chatDocId });

/** `POST /v1/chats/{chatId}/mute` and the `muteChat` callable (minus `chatId`). */
export const muteChatBody = z.strictObject({
  /** ISO 8601 date-time with offset; absent: until unmuted. */
  until: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2030-01-01T08:00:00Z" }).optional(),
});
export type MuteChatBody = z.infer<typeof muteChatBody>;

/**
 * `GET /v1/chats?limit&cursor&with&filter` and the `listChats` callable: `with` is another
 * user's e-mail address, or (better in a URL, which request logs keep) its SHA-256 hex of the
 * trimmed, lower-cased address; the client library sends the hash. `filter`: `chats` (the
 * default: your chat list) or `requests` (message requests sent to you, not yet answered).
 */
export const listChatsQuery = pageInput.extend({
  filter: z.enum(["chats", "requests"], "must be chats or requests").optional(),
  with: z.union([z.email(), z.string().regex(/^[0-9a-f]{64}$/)], "must be an e-mail address or its SHA-256 hex").optional(),
});
export type ListChatsQuery = z.infer<typeof listChatsQuery>;
