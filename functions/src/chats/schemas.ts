import { z } from "zod";
import { chatDocId, pageInput, uid } from "../shared/schemas.js";

/** `POST /v1/chats` and the `createChat` callable. */
export const createChatBody = z
  .strictObject({ memberUid: uid.meta({ description: "The other member's uid" }) })
  .meta({ id: "CreateChatBody", description: "Whom to open a 1:1 chat with" });
export type CreateChatBody = z.infer<typeof createChatBody>;

/** Path parameter `{chatId}`. */
export const chatIdParam = z.strictObject({ chatId: chatDocId.meta({ description: "The chat's id" }) });

/** `POST /v1/chats/{chatId}/mute` and the `muteChat` callable (minus `chatId`). */
export const muteChatBody = z
  .strictObject({
    until: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2030-01-01T08:00:00Z" })
      .optional()
      .meta({ description: "End of the mute: an ISO 8601 date-time with offset, in the future; left out: until unmuted" }),
  })
  .meta({ id: "MuteChatBody", description: "How long to mute a chat's push notifications" });
export type MuteChatBody = z.infer<typeof muteChatBody>;

/**
 * `GET /v1/chats?limit&cursor&with&filter` and the `listChats` callable: `with` is another
 * user's e-mail address, or (better in a URL, which request logs keep) its SHA-256 hex of the
 * trimmed, lower-cased address; the client library sends the hash. `filter`: `chats` (the
 * default: your chat list, pinned first, archived chats left out), `requests` (message requests
 * sent to you, not yet answered) or `archived` (the chats you archived).
 */
export const listChatsQuery = pageInput.extend({
  filter: z
    .enum(["chats", "requests", "archived"], "must be chats, requests or archived")
    .optional()
    .meta({
      description:
        "`chats` (the default): your chat list, pinned chats first, without the chats you archived; " +
        "`requests`: message requests sent to you, not yet answered; `archived`: only the chats you archived",
    }),
  with: z
    .union([z.email(), z.string().regex(/^[0-9a-f]{64}$/)], "must be an e-mail address or its SHA-256 hex")
    .optional()
    .meta({
      description:
        "Only the chats shared with the user who has this verified e-mail address: the SHA-256 hex of the trimmed, " +
        "lower-cased address (or the address itself, which request logs then keep)",
    }),
});
export type ListChatsQuery = z.infer<typeof listChatsQuery>;
