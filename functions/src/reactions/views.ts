import { z } from "zod";

/**
 * A message's reactions after the caller added or removed one: `reacted` says whether the
 * caller now has `emoji` on it; `reactions` are the counts as this change left them (listeners
 * of the message doc see every later change).
 */
export const reactionState = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    number: z.number().int().meta({ description: "The message" }),
    emoji: z.string().meta({ description: 'The emoji, as stored ("❤" becomes "❤️")' }),
    reacted: z.boolean().meta({ description: "The caller now has this emoji on the message" }),
    reactions: z.record(z.string(), z.number().int()).meta({ description: "emoji -> count, as this change left them" }),
  })
  .meta({ id: "ReactionState", description: "A message's reactions after the caller added or removed one" });
export type ReactionState = z.infer<typeof reactionState>;
