import { z } from "zod";
import { messageParams } from "../messages/schemas.js";

/** U+FE0F: asks for an emoji's colourful presentation ("❤" → "❤️"). */
const EMOJI_PRESENTATION = "\uFE0F";

// Built on first use: the `v` flag (Unicode sets, for the RGI_Emoji property of strings) is
// newer than some browsers that load the declarations.
let rgiEmoji: RegExp | undefined;
let graphemes: Intl.Segmenter | undefined;

/**
 * `input` as a reaction's emoji: exactly one grapheme that is a recommended-for-interchange emoji
 * (Unicode's RGI set: skin tones, flags, families and keycaps included). A text-style symbol
 * that has an emoji form ("❤", "☺") becomes that form, so both spellings count as one reaction.
 * `null` for anything else: letters, two emoji, an empty string.
 */
export function toReactionEmoji(input: string): string | null {
  rgiEmoji ??= new RegExp("^\\p{RGI_Emoji}$", "v");
  graphemes ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  if ([...graphemes.segment(input)].length !== 1) return null;
  if (rgiEmoji.test(input)) return input;
  const presented = input + EMOJI_PRESENTATION;
  return rgiEmoji.test(presented) ? presented : null;
}

/** One emoji (one grapheme of Unicode's RGI emoji set), as {@link toReactionEmoji} normalises it. */
export const reactionEmoji = z
  .string()
  .max(64, "must be one emoji")
  .transform((input, ctx) => {
    const emoji = toReactionEmoji(input);
    if (emoji === null) {
      ctx.addIssue({ code: "custom", message: "must be one emoji" });
      return z.NEVER;
    }
    return emoji;
  });

/** Path parameters `{chatId}/messages/{number}/reactions/{emoji}`. */
export const reactionParams = messageParams.extend({
  emoji: reactionEmoji.meta({ description: "One emoji of Unicode's RGI set, URL-encoded" }),
});
export type ReactionParams = z.infer<typeof reactionParams>;
