import {
  FieldPath,
  type CollectionReference,
  type DocumentReference,
  type DocumentSnapshot,
  type Query,
  type QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import { AppError } from "./errors.js";
import type { Page } from "./schemas.js";

/** The page {@link paginate} runs: its size, where it starts, and how its docs are shown. */
export interface PageOptions<T, D> {
  /** Docs per page. */
  limit: number;
  /** The cursor's doc, or `undefined` for the first page. */
  cursorRef: DocumentReference<D> | undefined;
  /** Decides whether the cursor doc may be used by this caller. */
  accepts: (cursor: DocumentSnapshot<D>) => boolean;
  /** A doc of the page as the caller is shown it. */
  view: (snap: QueryDocumentSnapshot<D>) => T;
  /**
   * Leaves docs out of the page (a filter the query can't express); the page is filled by
   * reading further, and the cursor is the last doc kept. Default: keeps all.
   */
  keep?: (snap: QueryDocumentSnapshot<D>) => boolean;
}

/**
 * Runs one page of `query`. The cursor is the id of the last doc of the previous page; that doc
 * is read (one extra read) so Firestore can resume after it in whatever order `query` has.
 * @throws AppError `invalid-argument` when the cursor doc is missing or not acceptable.
 */
export async function paginate<T, D>(query: Query<D>, options: PageOptions<T, D>): Promise<Page<T>> {
  const { limit, cursorRef, accepts, view, keep = () => true } = options;
  let pageQuery = query.limit(limit + 1);
  if (cursorRef) {
    const cursor = await cursorRef.get();
    if (!cursor.exists || !accepts(cursor)) {
      throw new AppError("invalid-argument", "cursor: is not a cursor of this listing");
    }
    pageQuery = pageQuery.startAfter(cursor);
  }
  // One more than the page tells whether there is a next page.
  const kept: QueryDocumentSnapshot<D>[] = [];
  while (kept.length <= limit) {
    const docs = (await pageQuery.get()).docs;
    kept.push(...docs.filter(keep));
    if (docs.length <= limit) break;
    pageQuery = pageQuery.startAfter(docs[docs.length - 1]);
  }
  const items = kept.slice(0, limit);
  return {
    items: items.map(view),
    nextCursor: kept.length > limit ? items[items.length - 1].id : null,
  };
}

/**
 * One page of `collection`'s docs in id order: `limit` of them after id `cursor` (the last id of
 * the previous page), and the cursor of the next page (`null` on the last). Reads `limit + 1`
 * docs (one more tells whether a next page exists); ids make pages stable while docs come and go.
 */
export async function pageByDocId<D>(
  collection: CollectionReference<D>,
  limit: number,
  cursor: string | undefined,
): Promise<{ docs: QueryDocumentSnapshot<D>[]; nextCursor: string | null }> {
  let query = collection.orderBy(FieldPath.documentId()).limit(limit + 1);
  if (cursor !== undefined) query = query.startAfter(cursor);
  const docs = (await query.get()).docs;
  const page = docs.slice(0, limit);
  return { docs: page, nextCursor: docs.length > limit ? page[page.length - 1].id : null };
}
