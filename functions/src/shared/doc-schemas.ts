import { z } from "zod";

// The parts of the doc shapes (docs.ts) that API views return as they are stored, as zod
// schemas. Kept apart so that code reading and writing docs (triggers, jobs) never loads zod.

export const messageType = z.enum(["text", "file", "image", "system"]);
export type MessageType = z.infer<typeof messageType>;

/**
 * The chat's preview of its newest message. `preview` holds at most 100 characters; once the
 * message is deleted for everyone it reads "Message deleted" and `deleted` is true.
 */
export const lastMessage = z.object({
  number: z.number().int(),
  from: z.string().nullable(),
  type: messageType,
  preview: z.string(),
  deleted: z.boolean().optional(),
});
export type LastMessage = z.infer<typeof lastMessage>;

/**
 * What a message refers to. A reply quotes a message of the same chat and keeps a `preview`
 * of it (at most 100 characters; "Message deleted" once that message is deleted for everyone).
 * A forward names the message it copied. `from` and `messageType` are the referenced message's.
 */
export const messageReference = z.object({
  type: z.enum(["reply", "forward"]),
  chatId: z.string(),
  number: z.number().int(),
  from: z.string().nullable(),
  messageType,
  preview: z.string().optional(),
  deleted: z.boolean().optional(),
});
export type MessageReference = z.infer<typeof messageReference>;

/** A chat event told by a `system` message (`from: null`). `uid` is whom it is about. */
export const systemEvent = z.object({
  type: z.enum(["member-left", "member-joined", "member-removed", "chat-ended"]),
  uid: z.string().nullable(),
});
export type SystemEvent = z.infer<typeof systemEvent>;
