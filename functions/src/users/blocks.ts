import { FieldPath, FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { directChatId, getAll, refs, type BlockDoc, type UserDoc } from "../shared/model.js";
import type { PageInput } from "../shared/schemas.js";
import { requireProfile } from "./ensure-profile.js";
import type { FindAuthUser } from "./find-auth-user.js";
import type { BlockPage, BlockView, Unblocked } from "./views.js";

/** Default page size of the block list. */
export const BLOCKS_PAGE_SIZE = 50;

/** Who {@link blockUser} blocks, for whom, and when. */
export interface BlockUserOptions {
  /** The request's time: the block's `createdAt`. */
  now: Date;
  /** The blocker. */
  callerUid: string;
  /** The user to block. */
  uid: string;
  /** Makes the blocked user's missing profile from Firebase Auth. */
  findUser: FindAuthUser;
}

/**
 * The caller blocks `uid`: creates `blocks/{caller}_{uid}` and, when their 1:1 chat exists, sets
 * its `blocked` (which says nothing of who blocked whom: both members read the chat doc), so
 * sends in it are refused with no extra read on the send path. One transaction over the block, the chat and `users/{uid}` (3 reads, 1-2 writes).
 * When that profile is missing (the Auth trigger never ran), it is made from Auth (`findUser`,
 * `ensure-profile.ts`: one lookup and one batch) and the transaction runs once more (3 reads).
 * Idempotent: blocking again answers the block as it is.
 * @returns the block and whether this call made it.
 * @throws AppError `invalid-argument` (yourself), `not-found` (no such user, in Firestore or Auth).
 */
export async function blockUser(db: Firestore, options: BlockUserOptions): Promise<{ block: BlockView; created: boolean }> {
  const { now, callerUid, uid, findUser } = options;
  if (uid === callerUid) throw new AppError("invalid-argument", "uid: you cannot block yourself");
  const first = await tryBlock(db, now, callerUid, uid);
  if ("block" in first) return first;
  await requireProfile(db, { now, uid, findUser, known: first.missingProfile });
  const again = await tryBlock(db, now, callerUid, uid);
  if ("block" in again) return again;
  throw new AppError("not-found", `User ${uid} does not exist.`);
}

/**
 * {@link blockUser}'s transaction. When `users/{uid}` is missing it writes nothing and answers
 * that read, so the repair needn't read it again.
 */
async function tryBlock(
  db: Firestore,
  now: Date,
  callerUid: string,
  uid: string,
): Promise<{ block: BlockView; created: boolean } | { missingProfile: DocumentSnapshot<UserDoc> }> {
  const blockRef = refs.block(db, callerUid, uid);
  const chatRef = refs.chat(db, directChatId(callerUid, uid));
  return db.runTransaction(async (tx) => {
    const [blockSnap, chatSnap, userSnap] = await getAll(tx, blockRef, chatRef, refs.user(db, uid));
    const user = userSnap.data();
    if (!user) return { missingProfile: userSnap };
    const existing = blockSnap.data();
    if (existing) return { block: blockView(existing, user), created: false };
    const block: BlockDoc = { blocker: callerUid, blocked: uid, createdAt: Timestamp.fromDate(now) };
    tx.create(blockRef, block);
    if (chatSnap.exists) tx.update(chatRef, { blocked: true, blockedBy: FieldValue.delete() });
    return { block: blockView(block, user), created: true };
  });
}

/**
 * The caller lifts their block of `uid`: deletes `blocks/{caller}_{uid}` and, unless `uid`
 * blocks the caller too (`blocks/{uid}_{caller}`), clears their 1:1 chat's `blocked`. One
 * transaction (3 reads, 1-2 writes).
 * @throws AppError `not-found` when the caller has not blocked `uid`.
 */
export async function unblockUser(db: Firestore, callerUid: string, uid: string): Promise<Unblocked> {
  const blockRef = refs.block(db, callerUid, uid);
  const chatRef = refs.chat(db, directChatId(callerUid, uid));
  const removed = await db.runTransaction(async (tx) => {
    const [blockSnap, chatSnap, theirs] = await getAll(tx, blockRef, chatRef, refs.block(db, uid, callerUid));
    if (!blockSnap.exists) return false;
    tx.delete(blockRef);
    const blocked = theirs.exists ? true : FieldValue.delete();
    if (chatSnap.exists) tx.update(chatRef, { blocked, blockedBy: FieldValue.delete() });
    return true;
  });
  if (!removed) throw new AppError("not-found", "You have not blocked this user.");
  return { uid, blocked: false };
}

/**
 * One page of the users the caller blocked, by doc id (so by blocked uid), with their display
 * names. Reads `blocks` where `blocker ==` caller (`limit + 1` docs) and the page's profiles.
 */
export async function listBlocks(db: Firestore, callerUid: string, input: PageInput): Promise<BlockPage> {
  const limit = input.limit ?? BLOCKS_PAGE_SIZE;
  let query = refs
    .blocks(db)
    .where("blocker", "==", callerUid)
    .orderBy(FieldPath.documentId())
    .limit(limit + 1);
  if (input.cursor !== undefined) query = query.startAfter(refs.block(db, callerUid, input.cursor).id);
  const docs = (await query.get()).docs;
  const blocks = docs.slice(0, limit).map((doc) => doc.data());
  const users = blocks.length === 0 ? [] : await getAll(db, ...blocks.map(({ blocked }) => refs.user(db, blocked)));
  return {
    blocks: blocks.map((block, i) => blockView(block, users[i].data())),
    nextCursor: docs.length > limit ? blocks[blocks.length - 1].blocked : null,
  };
}

/**
 * The refusal in a 1:1 chat with a block in it. A caller known to be the blocker
 * (`youBlocked`) is told to unblock first; anyone else, that they can't message this user. A
 * send reads only the chat doc, which does not say who blocked whom, so both members get the
 * second.
 */
export function blockedError(youBlocked = false): AppError {
  return youBlocked
    ? new AppError("permission-denied", "You blocked this user; unblock them to message them.")
    : new AppError("permission-denied", "You can't message this user.");
}

/**
 * Everyone who blocked `sender`: one query of `blocks` where `blocked == sender` (a read per
 * blocker, at least one). Used by a room's fan-out, so a blocker gets no push from them.
 */
export async function blockersOf(db: Firestore, sender: string): Promise<Set<string>> {
  const snaps = await refs.blocks(db).where("blocked", "==", sender).select("blocker").get();
  // `select` gives untyped partial docs: the field is checked, not cast.
  return new Set(snaps.docs.map((doc): unknown => doc.get("blocker")).filter((uid) => typeof uid === "string"));
}

function blockView(block: BlockDoc, user: UserDoc | undefined): BlockView {
  return { uid: block.blocked, displayName: user?.displayName ?? "", createdAt: block.createdAt.toDate().toISOString() };
}
