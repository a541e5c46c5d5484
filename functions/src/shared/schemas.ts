import { z } from "zod";

/** Largest page any listing returns. */
export const MAX_PAGE_SIZE = 100;

/** Firestore's limit on a document id: 1,500 bytes of UTF-8. */
export const MAX_ID_BYTES = 1500;

/**
 * Longest uid in bytes of UTF-8: Firebase Auth allows 128 characters (UTF-16 code units), and a
 * code unit takes at most 3 bytes (a surrogate pair, 2 units, takes 4).
 */
export const MAX_UID_BYTES = 384;

/**
 * Longest chat id in bytes of UTF-8. Real ones are shorter: a room's is a 20-character auto id,
 * a 1:1 chat's two uids joined by `_` (769 bytes at most). The bound leaves room for the ids
 * built from a chat id, a message number and a uid: `{chatId}-{number}-{uid}` (reports) and
 * `export-{chatId}-{millis}-{uid}` (export mails) stay within {@link MAX_ID_BYTES}.
 */
export const MAX_CHAT_ID_BYTES = 1024;

/** Matches a lone surrogate: a string holding one has no UTF-8 form, so Firestore can't take it. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** What a string holding a lone surrogate is told. */
export const NOT_UNICODE = "must be valid Unicode (it holds a lone surrogate)";

/** Whether `text` is well-formed UTF-16 (no lone surrogate), so it has a UTF-8 form. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

const utf8 = new TextEncoder();

/** The length of `text` in bytes of UTF-8 (a lone surrogate counts 3, as its replacement U+FFFD). */
export function utf8Length(text: string): number {
  return utf8.encode(text).byteLength;
}

/** Firestore's rules for an id besides its size: no `/`, not `.` or `..`, not of the reserved `__name__` form. */
function isIdShape(id: string): boolean {
  return !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id);
}

/** An id of 1 to `maxBytes` bytes of UTF-8 that follows Firestore's other rules (see {@link isIdShape}). */
function idOf(maxBytes: number) {
  const tooLong = `must be at most ${maxBytes} bytes (UTF-8)`;
  return (
    z
      .string()
      .min(1, "must not be empty")
      // A character takes at least a byte: the cheap check first (and OpenAPI's maxLength).
      .max(maxBytes, { message: tooLong, abort: true })
      .refine(isWellFormed, { message: NOT_UNICODE, abort: true })
      .refine((id) => utf8Length(id) <= maxBytes, { message: tooLong, abort: true })
      .refine(isIdShape, { message: "is not a valid id" })
  );
}

/**
 * A Firestore document id used as it is (a report's id, a listing's cursor): 1-1,500 bytes of
 * UTF-8, no `/`, not `.`/`..` and not of the reserved `__name__` form.
 */
export const documentId = idOf(MAX_ID_BYTES);

/** A chat id (a room's or a 1:1 chat's): as {@link documentId}, at most {@link MAX_CHAT_ID_BYTES} bytes. */
export const chatDocId = idOf(MAX_CHAT_ID_BYTES);

/**
 * A Firebase Auth uid (1-128 characters, so at most {@link MAX_UID_BYTES} bytes) that is also a
 * valid Firestore doc id (`users/{uid}`).
 */
export const uid = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .refine(isWellFormed, { message: NOT_UNICODE, abort: true })
  .refine(isIdShape, { message: "is not a valid uid" });

/** A page size (1-100) from a query string or a callable payload. */
export const pageSize = z.coerce
  .number<number>()
  .int("must be an integer")
  .min(1, "must be at least 1")
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);

/** Cursor pagination input: `limit` (1-100) and the opaque `cursor` of the previous page. */
export const pageInput = z.strictObject({
  limit: pageSize.optional().meta({ description: "How many to answer, 1-100 (default: 20 chats, 50 of anything else)" }),
  cursor: documentId.optional().meta({ description: "The previous page's `nextCursor`; left out for the first page" }),
});
export type PageInput = z.infer<typeof pageInput>;

/** A page of results and the cursor of the next page (`null` on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
