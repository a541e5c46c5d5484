import { z } from "zod";

/**
 * A message's reactions after the caller added or removed one: `reacted` says whether the
 * caller now has `emoji` on it; `reactions` are the counts as this change left them (listeners
 * of the message doc see every later change).
 */
export const reactionState = z.object({
  chatId: z.string(),
  number: z.number().int(),
  emoji: z.string(),
  reacted: z.boolean(),
  reactions: z.record(z.string(), z.number().int()),
});
export type ReactionState = z.infer<typeof reactionState>;
