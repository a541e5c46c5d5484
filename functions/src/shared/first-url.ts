/**
 * The first `http(s)://` URL of `text` (trailing punctuation such as `.`, `,` or `)` left out),
 * or `undefined` for none.
 */
export function firstUrl(text: string): string | undefined {
  const match = /\bhttps?:\/\/[^\s<>"']+/i.exec(text);
  return match?.[0].replace(/[.,;:!?)\]}]+$/, "");
}
