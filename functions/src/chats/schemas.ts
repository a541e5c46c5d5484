import { z } from "zod";
import { documentId, pageInput, uid } from "../shared/schemas.js";

/** `POST /v1/chats` and the `createChat` callable. */
export const createChatBody = z.strictObject({ memberUid: uid });
export type CreateChatBody = z.infer<typeof createChatBody>;

/** Path parameter `{chatId}`. */
export const chatIdParam = z.strictObject({ chatId: documentId });

/** `POST /v1/chats/{chatId}/mute` and the `muteChat` callable (minus `chatId`). */
export const muteChatBody = z.strictObject({
  /** ISO 8601 date-time with offset; absent: until unmuted. */
  until: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2030-01-01T08:00:00Z" }).optional(),
});
export type MuteChatBody = z.infer<typeof muteChatBody>;

/** `GET /v1/chats?limit&cursor&with` and the `listChats` callable: `with` is an e-mail address. */
export const listChatsQuery = pageInput.extend({ with: z.email("must be an e-mail address").optional() });
export type ListChatsQuery = z.infer<typeof listChatsQuery>;
