import { z } from "zod";
import { messageParams, POLL_LIMITS } from "../messages/schemas.js";

/** Path parameters `{chatId}/messages/{number}/votes/{option}`. */
export const voteParams = messageParams.extend({
  option: z.coerce
    .number<number>()
    .int("must be an integer")
    .min(0, "must be at least 0")
    .max(POLL_LIMITS.maxOptions - 1, `must be at most ${POLL_LIMITS.maxOptions - 1}`)
    .meta({ description: "The option's index in the poll, from 0" }),
});
export type VoteParams = z.infer<typeof voteParams>;
