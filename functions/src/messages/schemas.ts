import { z } from "zod";
import { cleanDisplayText } from "../shared/display-text.js";
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

/** Longest poll question and option, in characters once cleaned; fewest and most options. */
export const POLL_LIMITS = { question: 300, option: 100, minOptions: 2, maxOptions: 10 } as const;

/** Display text of 1 to `max` characters once cleaned as display names are (`cleanDisplayText`). */
function pollText(max: number) {
  return z
    .string()
    .max(max * 4, `must be at most ${max} characters`)
    .refine((text) => cleanDisplayText(text).length > 0, { message: "must not be empty" })
    .refine((text) => Array.from(cleanDisplayText(text)).length <= max, { message: `must be at most ${max} characters` });
}

/** A poll to send: its question and options are cleaned as display names are when stored. */
export const pollInput = z
  .strictObject({
    question: pollText(POLL_LIMITS.question).meta({
      description: "The question: 1-300 characters, cleaned as display names are",
    }),
    options: z
      .array(pollText(POLL_LIMITS.option).meta({ description: "An option: 1-100 characters, cleaned as display names are" }))
      .min(POLL_LIMITS.minOptions, `must have at least ${POLL_LIMITS.minOptions} options`)
      .max(POLL_LIMITS.maxOptions, `must have at most ${POLL_LIMITS.maxOptions} options`)
      .refine((options) => new Set(options.map((option) => cleanDisplayText(option))).size === options.length, {
        message: "must all be different",
      })
      .meta({ description: "The options, 2-10, all different; votes name them by index from 0" }),
    multiple: z.boolean().optional().meta({ description: "Members may vote for several options (default: one)" }),
    anonymous: z.boolean().optional().meta({ description: "No one sees who voted for what (default: voters are shown)" }),
  })
  .meta({ description: "A poll: a question and 2-10 options, single or multiple choice, optionally anonymous" });
export type PollInput = z.infer<typeof pollInput>;

/** `POST /v1/chats/{chatId}/messages` and the `sendMessage` callable (minus `chatId`). */
const sendMessageFields = {
  text: nonEmptyText.optional().meta({ description: "The text: 1-10,000 characters, not only whitespace (not with `poll`)" }),
  poll: pollInput.optional().meta({ description: "Send a poll instead of a text (its question is the message's text)" }),
  clientMessageId: clientMessageId
    .optional()
    .meta({ description: "Your id for this send (1-128 characters): a retry with the same id answers the first message" }),
  replyTo: z
    .number()
    .int("must be an integer")
    .min(1, "must be at least 1")
    .optional()
    .meta({ description: "Quote message `replyTo` of the same chat" }),
  mentions: z
    .array(uid)
    .max(MAX_MENTIONS, `must name at most ${MAX_MENTIONS} members`)
    .transform((uids) => [...new Set(uids)])
    .optional()
    .meta({
      description: "Members the message mentions, at most 50 uids (each must be a member; rooms push to them even when muted)",
    }),
  threadOf: messageNumber.optional().meta({
    description: "Reply in the thread of message `threadOf` (a message of the chat's channel, not a system message or a reply)",
  }),
  showInChannel: z
    .boolean()
    .optional()
    .meta({ description: "With `threadOf`: also send the reply to the chat as a message (it counts as unread as any)" }),
};
export const sendMessageBody = z
  .strictObject(sendMessageFields)
  .superRefine((body, ctx) => {
    // A plain message is the usual send: without either, what is missing is its text.
    if (body.text === undefined && body.poll === undefined)
      ctx.addIssue({ code: "custom", path: ["text"], message: "is required" });
    else if (body.text !== undefined && body.poll !== undefined)
      ctx.addIssue({ code: "custom", message: "send either text or poll" });
    if (body.threadOf !== undefined && body.poll !== undefined)
      ctx.addIssue({ code: "custom", path: ["threadOf"], message: "a poll can't be a thread reply" });
    if (body.showInChannel !== undefined && body.threadOf === undefined)
      ctx.addIssue({ code: "custom", path: ["showInChannel"], message: "needs threadOf" });
  })
  .meta({ id: "SendMessageBody", description: "A text message or a poll to send" });
export type SendMessageBody = z.infer<typeof sendMessageBody>;

/** How many amplitudes a voice message's waveform holds. */
export const WAVEFORM_LENGTH = 64;

/** 64 integers, comma-separated, optionally in brackets (a JSON array reads the same). */
const waveformSyntax = new RegExp(`^\\[?\\s*\\d{1,3}(\\s*,\\s*\\d{1,3}){${WAVEFORM_LENGTH - 1}}\\s*\\]?$`);

/**
 * The values of a form's `waveform` field that {@link sendFileFields} accepted: 64 integers
 * 0-255. `"[0, 12, 255, ...]"` and `"0,12,255,..."` read the same.
 */
export function waveformValues(field: string): number[] {
  return field
    .replace(/[[\]\s]/g, "")
    .split(",")
    .map(Number);
}

/**
 * A voice message's waveform as a form field: {@link WAVEFORM_LENGTH} amplitudes 0-255 over the
 * recording, as a comma list or a JSON array.
 */
const waveformField = z
  .string()
  .regex(waveformSyntax, `must be ${WAVEFORM_LENGTH} integers 0-255, comma-separated`)
  .refine((field) => waveformValues(field).every((value) => value <= 255), "must be integers 0-255");

/**
 * The form fields of a multipart `POST /v1/chats/{chatId}/messages` beside its one `file` part:
 * an optional caption and `clientMessageId`, and for audio (a voice message) its `waveform`.
 * Files have no callable: callables carry JSON only.
 */
export const sendFileFields = z.strictObject({
  text: messageText.optional().meta({ description: "A caption, at most 10,000 characters" }),
  clientMessageId: clientMessageId
    .optional()
    .meta({ description: "Your id for this send (1-128 characters): a retry with the same id answers the first message" }),
  replyTo: messageNumber.optional().meta({ description: "Quote message `replyTo` of the same chat" }),
  waveform: waveformField.optional().meta({
    description:
      "Audio files (voice messages) only: 64 amplitudes 0-255 over the recording, as a comma list or a JSON array, for players to draw",
  }),
});
export type SendFileFields = z.infer<typeof sendFileFields>;

/** Path parameters `{chatId}/messages/{number}`. */
export const messageParams = z.strictObject({
  chatId: chatDocId.meta({ description: "The chat's id" }),
  number: messageNumber.meta({ description: "The message's number in the chat" }),
});

/** `POST /v1/chats/{chatId}/pins {number}` and the `pinMessage` callable (minus `chatId`). */
export const pinMessageBody = z
  .strictObject({ number: messageNumber.meta({ description: "The number of the message to pin" }) })
  .meta({ id: "PinMessageBody", description: "The message to pin" });

/**
 * `GET /v1/chats/{chatId}/messages` query and the `listMessages` callable (minus `chatId`):
 * the latest `limit` messages, or the page older than `before`, or the messages newer than `after`.
 */
const listMessagesFields = {
  limit: pageSize.optional().meta({ description: "How many messages, 1-100 (default `MESSAGES_TO_LOAD`)" }),
  q: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(200, "must be at most 200 characters")
    .optional()
    .meta({ description: "Search: the messages holding every word of `q` (case and accents ignored), newest first" }),
  before: messageNumber.optional().meta({ description: "The messages just older than this number (the next page back)" }),
  after: z.coerce
    .number<number>()
    .int("must be an integer")
    .min(0, "must be at least 0")
    .optional()
    .meta({ description: "The first messages newer than this number (catching up); not with `before` or `q`" }),
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
  upTo: z.number().int("must be an integer").min(0, "must be at least 0").optional().meta({
    description: "Read up to this message number (at most the newest; a read position never moves back); left out: all",
  }),
};
export const markReadBody = z.strictObject(markReadFields).meta({ id: "MarkReadBody", description: "How far to mark read" });
export type MarkReadBody = z.infer<typeof markReadBody>;

/** `POST /v1/chats/{chatId}/delivered` and the `markDelivered` callable (minus `chatId`). */
const markDeliveredFields = {
  upTo: z.number().int("must be an integer").min(1, "must be at least 1").meta({
    description:
      "The highest message number that arrived on your device (past the newest counts as the newest; a position never moves back)",
  }),
};
export const markDeliveredBody = z
  .strictObject(markDeliveredFields)
  .meta({ id: "MarkDeliveredBody", description: "How far messages arrived" });
export type MarkDeliveredBody = z.infer<typeof markDeliveredBody>;

/** `POST /v1/chats/{chatId}/messages/{number}/forward` (minus the path). */
const forwardFields = {
  toChatId: chatDocId.meta({ description: "The chat to forward into (you must be a member)" }),
  clientMessageId: clientMessageId
    .optional()
    .meta({ description: "Your id for this send (1-128 characters): a retry with the same id answers the first message" }),
};
export const forwardMessageBody = z
  .strictObject(forwardFields)
  .meta({ id: "ForwardMessageBody", description: "Where to forward a message" });
export type ForwardMessageBody = z.infer<typeof forwardMessageBody>;

/** `PATCH /v1/chats/{chatId}/messages/{number}`: the new text. */
const editFields = { text: nonEmptyText.meta({ description: "The new text: 1-10,000 characters, not only whitespace" }) };
export const editMessageBody = z.strictObject(editFields).meta({ id: "EditMessageBody", description: "A message's new text" });
export type EditMessageBody = z.infer<typeof editMessageBody>;

/**
 * `GET /v1/chats/{chatId}/messages/{number}/thread` query and the `listThread` callable (minus
 * the path): the latest `limit` replies, or the page older than `before`, or newer than `after`.
 */
const listThreadFields = {
  limit: pageSize.optional().meta({ description: "How many replies, 1-100 (default `MESSAGES_TO_LOAD`)" }),
  before: messageNumber.optional().meta({ description: "The replies just older than this reply number (the next page back)" }),
  after: z.coerce
    .number<number>()
    .int("must be an integer")
    .min(0, "must be at least 0")
    .optional()
    .meta({ description: "The replies just newer than this reply number (0: from the first)" }),
};
export const listThreadQuery = z.strictObject(listThreadFields).refine(beforeOrAfter.check, beforeOrAfter.message);
export type ListThreadQuery = z.infer<typeof listThreadQuery>;
