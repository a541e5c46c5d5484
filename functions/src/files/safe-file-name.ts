/** Longest safe name, in UTF-8 bytes (Cloud Storage allows 1024 for the whole object name). */
export const MAX_SAFE_NAME_BYTES = 200;

import { UNSAFE_DISPLAY_CHARACTERS } from "../shared/display-text.js";

/**
 * A file name that is safe as the last segment of a Cloud Storage object name: no path
 * separators, no control or bidi characters, no `..`, no leading dot, at most
 * {@link MAX_SAFE_NAME_BYTES} UTF-8 bytes (the extension is kept when the name is cut), never
 * empty (`"file"`). `"../../etc/passwd"` becomes `"etc_passwd"`.
 */
export function safeFileName(original: string): string {
  let name = original
    .normalize("NFC")
    .replace(UNSAFE_DISPLAY_CHARACTERS, "")
    .replace(/[/\\]+/g, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/\s+/g, " ")
    .replace(/^[\s._]+|[\s.]+$/g, "");
  name = truncateKeepingExtension(name, MAX_SAFE_NAME_BYTES);
  return name === "" ? "file" : name;
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  const stem = Array.from(name.slice(0, name.length - extension.length));
  while (stem.length > 0 && Buffer.byteLength(stem.join("") + extension) > maxBytes) stem.pop();
  return stem.join("") + extension;
}
