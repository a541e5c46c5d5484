import { z } from "zod";
import { chatDocId, pageSize, uid } from "../shared/schemas.js";

/** Longest text message, in characters (UTF-16 code units, as JavaScript counts them). */
export const MAX_TEXT_LENGTH = 10_000;

const messageText = z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`);

/** Most members one message may mention. */
export const MAX_MENTIONS = 50;

/** A sender's id for one send, making retries safe (see `sendMessage`). */
export const clientMessageId = z.string().min(1, "must not be empty").max(128, "must be at most 128 characters");

const nonEmptyText = messageText.refine((text) => text.trim().length > 0, { message: "must not be empty" });
const messageNumber = z.coerce.number<number>().int("must be an integer").min(1, "must be at least 1");

/** `POST /v1/chats/{chatId}/messages` and the `sendMessage` callable (minus `chatId`). */
const sendMessageFields = {
  text: nonEmptyText,
  clientMessageId: clientMessageId.optional(),
  /** Quote message `replyTo` of the same chat. */
  replyTo: z.number().int("must be an integer").min(1, "must be at least 1").optional(),
  /** Members the message mentions (each must be a member; they get a push even when muted). */
  mentions: z
    .array(uid)
    .max(MAX_MENTIONS, `must name at most ${MAX_MENTIONS} members`)
    .transform((uids) => [...new Set(uids)])
    .optional(),
};
export const sendMessageBody = z.strictObject(sendMessageFields);
export type SendMessageBody = z.infer<typeof sendMessageBody>;

/**
 * The form fields of a multipart `POST /v1/chats/{chatId}/messages` beside its one `file` part:
 * an optional caption and `clientMessageId`. Files have no callable: callables carry JSON only.
 */
export const sendFileFields = z.strictObject({
  text: messageText.optional(),
  clientMessageId: clientMessageId.optional(),
  replyTo: messageNumber.optional(),
});
export type SendFileFields = z.infer<typeof sendFileFields>;

/** Path parameters `{chatId}/messages/{number}`. */
export const messageParams = z.strictObject({ chatId: chatDocId, number: messageNumber });

/** `POST /v1/chats/{chatId}/pins {number}` and the `pinMessage` callable (minus `chatId`). */
export const pinMessageBody = z.strictObject({ number: messageNumber });

/**
 * `GET /v1/chats/{chatId}/messages` query and the `listMessages` callable (minus `chatId`):
 * the latest `limit` messages, or the page older than `before`, or the messages newer than `after`.
 */
const listMessagesFields = {
  limit: pageSize.optional(),
  /** Search: messages holding every word of `q` (case and accents ignored), newest first. */
  q: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
  before: messageNumber.optional(),
  after: z.coerce.number<number>().int("must be an integer").min(0, "must be at least 0").optional(),
};
const beforeOrAfter = {
  check: (query: { before?: number; after?: number }) => query.before === undefined || query.after === undefined,
  message: "use either before or after, not both",
};
const searchGoesBack = {
  check: (query: { q?: string; after?: number }) => query.q === undefined || query.after === undefined,
  message: "a search pages back with before, not after",
};
export const listMessagesQuery = z
  .strictObject(listMessagesFields)
  .refine(beforeOrAfter.check, beforeOrAfter.message)
  .refine(searchGoesBack.check, searchGoesBack.message);
export type ListMessagesQuery = z.infer<typeof listMessagesQuery>;

/** `POST /v1/chats/{chatId}/read` and the `markRead` callable (minus `chatId`). */
const markReadFields = {
  upTo: z.number().int("must be an integer").min(0, "must be at least 0").optional(),
};
export const markReadBody = z.strictObject(markReadFields);
export type MarkReadBody = z.infer<typeof markReadBody>;

/** `POST /v1/chats/{chatId}/messages/{number}/forward` (minus the path). */
const forwardFields = { toChatId: chatDocId, clientMessageId: clientMessageId.optional() };
export const forwardMessageBody = z.strictObject(forwardFields);
export type ForwardMessageBody = z.infer<typeof forwardMessageBody>;

/** `PATCH /v1/chats/{chatId}/messages/{number}`: the new text. */
const editFields = { text: nonEmptyText };
export const editMessageBody = z.strictObject(editFields);
export type EditMessageBody = z.infer<typeof editMessageBody>;
