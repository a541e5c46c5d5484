/** Most distinct words of one message that search indexes (the first ones in the text). */
export const MAX_INDEXED_WORDS = 200;
/** Longest indexed word, in characters; longer ones are cut to it (a query's words too). */
export const MAX_WORD_LENGTH = 40;

/**
 * The search words of `text`: split on anything that is not a letter or a digit, lower-cased,
 * accents removed (Unicode NFKD, combining marks dropped: "Café" → "cafe"), each once, in order
 * of appearance, at most {@link MAX_INDEXED_WORDS}. Kept on a message as `words`; a search
 * finds the messages whose `words` hold every word of its query.
 */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  const folded = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (word.length === 0) continue;
    words.add([...word].slice(0, MAX_WORD_LENGTH).join(""));
    if (words.size === MAX_INDEXED_WORDS) break;
  }
  return [...words];
}
