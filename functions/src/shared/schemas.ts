import { z } from "zod";

/** Largest page any listing returns. */
export const MAX_PAGE_SIZE = 100;

/**
 * A Firestore document id as it may appear in a URL: 1-512 characters, no `/`, not `.`/`..`
 * and not of the reserved `__name__` form.
 */
export const documentId = z
  .string()
  .min(1, "must not be empty")
  .max(512, "must be at most 512 characters")
  .refine((id) => !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id), {
    message: "is not a valid id",
  });

/** A Firebase Auth uid (1-128 characters) that is also a valid Firestore doc id (`users/{uid}`). */
export const uid = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .refine((id) => !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id), {
    message: "is not a valid uid",
  });

/** A page size (1-100) from a query string or a callable payload. */
export const pageSize = z.coerce
  .number<number>()
  .int("must be an integer")
  .min(1, "must be at least 1")
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);

/** Cursor pagination input: `limit` (1-100) and the opaque `cursor` of the previous page. */
export const pageInput = z.strictObject({
  limit: pageSize.optional(),
  cursor: documentId.optional(),
});
export type PageInput = z.infer<typeof pageInput>;

/** A page of results and the cursor of the next page (`null` on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
