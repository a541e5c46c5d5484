import {
  FieldPath,
  FieldValue,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Timestamp,
  type Transaction,
  type WriteBatch,
} from "firebase-admin/firestore";
import {
  isDirectChatId,
  receiptsOff,
  refs,
  type ChatDoc,
  type DirectPrivateState,
  type UserSettingsDoc,
} from "../shared/model.js";
import { readAsMember } from "./chat-access.js";
import { isRequestTo } from "./message-requests.js";

/**
 * A member's private state of a 1:1 chat lives in their `user-settings/{uid}.direct.{chatId}`
 * ({@link DirectPrivateState}), never on the chat doc both members read: their mute, and their
 * read position while their reads are private. Rooms keep the same state in the member's own
 * doc (`chats/{roomId}/members/{uid}`), which only that member reads.
 */

/** `user-settings/{uid}` (1 read); `undefined` for a user who never changed a setting. */
export async function readUserSettings(db: Firestore, uid: string, tx?: Transaction): Promise<UserSettingsDoc | undefined> {
  const ref = refs.userSettings(db, uid);
  const snap = tx ? await tx.get(ref) : await ref.get();
  return snap.data();
}

/**
 * Whether `uid`'s reads of 1:1 chat `chat` are private: they turned read receipts off, or the
 * chat is a message request sent to them (its opener sees no "seen" until they accept).
 */
export function readsArePrivate(chat: ChatDoc, uid: string, settings: UserSettingsDoc | undefined): boolean {
  return receiptsOff(settings) || isRequestTo(chat, uid);
}

/** The fields of {@link DirectPrivateState} written through {@link privateStateWrite}. */
export type DirectStateWrite = { [K in keyof DirectPrivateState]?: DirectPrivateState[K] | FieldValue };

/**
 * The merge-set that writes `fields` into `user-settings/{uid}.direct.{chatId}` (a
 * `FieldValue.delete()` removes one), keeping every other setting and chat.
 */
export function privateStateWrite(
  db: Firestore,
  uid: string,
  chatId: string,
  fields: DirectStateWrite,
): [DocumentReference<UserSettingsDoc>, { direct: Record<string, DirectStateWrite> }] {
  return [refs.userSettings(db, uid), { direct: { [chatId]: fields } }];
}

/**
 * Adds to `batch` the write of `fields` into `user-settings/{uid}.direct.{chatId}` over the doc
 * as read in `snap`: an update on its update time, or a create when there was none. A change to
 * the doc meanwhile fails the commit with FAILED_PRECONDITION or ALREADY_EXISTS, a conflict the
 * caller retries ({@link retryOnConflict}).
 */
export function writePrivateStateOver(
  batch: WriteBatch,
  snap: DocumentSnapshot<UserSettingsDoc>,
  chatId: string,
  fields: DirectPrivateState,
): void {
  if (!snap.exists || !snap.updateTime) {
    batch.create(snap.ref, { direct: { [chatId]: fields } });
    return;
  }
  const [[key, value], ...more] = Object.entries(fields).map(([name, v]): [FieldPath, unknown] => [
    new FieldPath("direct", chatId, name),
    v,
  ]);
  batch.update(snap.ref, key, value, ...more.flat(), { lastUpdateTime: snap.updateTime });
}

/** A mute end as stored: a time, `null` (until unmuted), or a delete. */
export type MuteValue = Timestamp | null | FieldValue;

/**
 * {@link readAsMember} for a chat view: the chat, the caller's member doc in a room, and in a
 * 1:1 chat the caller's `user-settings/{uid}` (their private state of it), in one `getAll`
 * (2 reads).
 */
export async function readAsViewer(db: Firestore, chatId: string, uid: string) {
  const settingsRefs = isDirectChatId(chatId) ? [refs.userSettings(db, uid)] : [];
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, uid, ...settingsRefs);
  return { chatSnap, memberSnap, settings: more[0]?.data() };
}
