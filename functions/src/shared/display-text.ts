/**
 * C0 and C1 controls, the bidi controls that reorder what is shown around them
 * (`invoice\u202Egpj.exe` displays as `invoiceexe.jpg`), and the invisible zero-width space,
 * word joiner and byte-order mark ("Alice\u200B" shows as "Alice"). The zero-width joiner and
 * non-joiner stay: emoji sequences and several scripts need them.
 */
export const UNSAFE_DISPLAY_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/**
 * Text that names something to other users (a display name, a room title, a file name): NFC,
 * without {@link UNSAFE_DISPLAY_CHARACTERS}, runs of whitespace made one space, trimmed.
 */
export function cleanDisplayText(text: string): string {
  return text.normalize("NFC").replace(UNSAFE_DISPLAY_CHARACTERS, "").replace(/\s+/g, " ").trim();
}
