// The built-in before-send hook (`PROFANITY_FILTER`): obscenity's English dataset with its
// recommended transformers, so variants are caught too (leetspeak "sh1t", repeated letters,
// look-alike characters) while words that merely contain one ("Scunthorpe", "assassin") are not.
import { asteriskCensorStrategy, englishDataset, englishRecommendedTransformers, RegExpMatcher, TextCensor } from "obscenity";
import { once } from "../shared/lazy.js";
import type { BeforeSendAnswer, BeforeSendHook, BeforeSendRequest } from "./before-send.js";

/** What the filter does with a message that has profanity: mask each match with `*`, or refuse the message. */
export type ProfanityMode = "mask" | "reject";

/** The reason a refused message's sender reads. */
export const PROFANITY_REFUSAL = "This message contains words that are not allowed here.";

/** Built on first use: the dataset's patterns compile once per instance. */
const matcher = once(() => new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers }));
const censor = once(() => new TextCensor().setStrategy(asteriskCensorStrategy()));

/** `text` with each profane match replaced by as many `*`; `text` itself when there is none. */
export function maskProfanity(text: string): string {
  const matches = matcher().getAllMatches(text, true);
  return matches.length === 0 ? text : censor().applyTo(text, matches);
}

/** Whether `text` has profanity in it. */
export function hasProfanity(text: string): boolean {
  return matcher().hasMatch(text);
}

/** The filter's answer for `request`: its text and a poll's options, masked or refused (`mode`), or allowed. */
export function profanityAnswer(request: BeforeSendRequest, mode: ProfanityMode): BeforeSendAnswer {
  const texts = [request.text, ...(request.pollOptions ?? [])];
  if (!texts.some(hasProfanity)) return { action: "allow" };
  if (mode === "reject") return { action: "reject", reason: PROFANITY_REFUSAL };
  return {
    action: "rewrite",
    text: maskProfanity(request.text),
    ...(request.pollOptions && { pollOptions: request.pollOptions.map(maskProfanity) }),
  };
}

/** The built-in hook: local, so it never fails (it fails open, for the record). */
export function profanityHook(mode: ProfanityMode): BeforeSendHook {
  return { name: "profanity", ask: (request) => Promise.resolve(profanityAnswer(request, mode)), failClosed: false };
}
