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

/**
 * Runs one page of `query`. The cursor is the id of the last doc of the previous page; that doc
 * is read (one extra read) so Firestore can resume after it in whatever order `query` has.
 * @param cursorRef the cursor's doc, or `undefined` for the first page.
 * @param accepts decides whether the cursor doc may be used by this caller.
 * @param keep leaves docs out of the page (a filter the query can't express); the page is
 *   filled by reading further, and the cursor is the last doc kept.
 * @throws AppError `invalid-argument` when the cursor doc is missing or not acceptable.
 */
export async function paginate<T, D>(
  query: Query<D>,
  limit: number,
  cursorRef: DocumentReference<D> | undefined,
  accepts: (cursor: DocumentSnapshot<D>) => boolean,
  view: (snap: QueryDocumentSnapshot<D>) => T,
  keep: (snap: QueryDocumentSnapshot<D>) => boolean = () => true,
): Promise<Page<T>> {
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
