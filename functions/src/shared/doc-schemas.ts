import { z } from "zod";

// The parts of the doc shapes (docs.ts) that API views return as they are stored, as zod
// schemas. Kept apart so that code reading and writing docs (triggers, jobs) never loads zod.

export const messageType = z.enum(["text", "file", "image", "voice", "system", "poll"]).meta({ description: "A message's type" });
export type MessageType = z.infer<typeof messageType>;

/**
 * The chat's preview of its newest message. `preview` holds at most 100 characters; once the
 * message is deleted for everyone it reads "Message deleted" and `deleted` is true.
 */
export const lastMessage = z
  .object({
    number: z.number().int().meta({ description: "The newest message's number" }),
    from: z.string().nullable().meta({ description: "Its sender's uid; `null` for a system message" }),
    type: messageType.meta({ description: "Its type" }),
    preview: z
      .string()
      .meta({ description: 'Its text, or what it is ("Photo", "Voice message (0:12)", a file name), in at most 100 characters' }),
    deleted: z
      .boolean()
      .optional()
      .meta({ description: '`true` once it was deleted for everyone (`preview` is then "Message deleted")' }),
  })
  .meta({ description: 'The chat\'s preview of its newest message ("Message deleted" once that is deleted for everyone)' });
export type LastMessage = z.infer<typeof lastMessage>;

/**
 * What a message refers to. A reply quotes a message of the same chat and keeps a `preview`
 * of it (at most 100 characters; "Message deleted" once that message is deleted for everyone).
 * A forward names the message it copied. `from` and `messageType` are the referenced message's.
 */
export const messageReference = z
  .object({
    type: z
      .enum(["reply", "forward"])
      .meta({ description: "`reply`: this message quotes another; `forward`: it is a copy of another" }),
    chatId: z.string().meta({ description: "The chat of the referenced message (a reply's own chat)" }),
    number: z.number().int().meta({ description: "The referenced message's number in that chat" }),
    from: z.string().nullable().meta({ description: "The referenced message's sender; `null` for a system message" }),
    messageType: messageType.meta({ description: "The referenced message's type" }),
    preview: z.string().optional().meta({
      description:
        'Replies: the quoted message in one line (its text, "Photo", "Voice message (0:12)" or the file name; at most 100 characters)',
    }),
    deleted: z.boolean().optional().meta({ description: "Replies: `true` once the quoted message was deleted for everyone" }),
  })
  .meta({ description: "What a message refers to: the message a reply quotes, or the one a forward copied" });
export type MessageReference = z.infer<typeof messageReference>;

/** A chat event told by a `system` message (`from: null`). `uid` is whom it is about. */
export const systemEvent = z
  .object({
    type: z.enum(["member-left", "member-joined", "member-removed", "chat-ended"]).meta({ description: "What happened" }),
    uid: z.string().nullable().meta({ description: "Whom it is about: who left, joined, was removed or ended the chat" }),
  })
  .meta({ description: "A chat event told by a `system` message (`from: null`)" });
export type SystemEvent = z.infer<typeof systemEvent>;
