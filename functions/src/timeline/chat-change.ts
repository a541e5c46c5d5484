import { FieldPath, FieldValue, Timestamp, type Firestore, type WriteBatch } from "firebase-admin/firestore";
import { refs, type ChatCompletionDoc } from "../shared/model.js";

/**
 * A change to a chat, committed in the same batch as the system message that tells it, so that
 * members never see one without the other. Each field names what it changes on `chats/{chatId}`.
 */
export interface ChatChange {
  /** The member list afterwards. */
  members?: string[];
  /** A room's new host (`null`: none left). */
  host?: string | null;
  /** A member who joined: nothing unread, read position at `lastRead` (their join message). */
  joined?: { uid: string; lastRead: number };
  /** A member who left or was removed: their unread count, read position and mute go. */
  left?: string;
  /**
   * Ends the chat: `status: "completed"`, `active: false`, `completedAt`, and the
   * `chat-completions/{chatId}` record whose creation starts the history export.
   */
  ended?: { by: string | null };
}

/**
 * The `[field, value]` pairs of `change` for an update of `chats/{chatId}` at `now`. Adds the
 * completion record to `batch` when the change ends the chat.
 */
export function chatChangeUpdates(
  db: Firestore,
  batch: WriteBatch,
  chatId: string,
  now: Date,
  change: ChatChange,
): [string | FieldPath, unknown][] {
  const updates: [string | FieldPath, unknown][] = [];
  if (change.members) updates.push(["members", change.members]);
  if (change.host !== undefined) updates.push(["host", change.host]);
  if (change.joined) {
    updates.push([new FieldPath("unread", change.joined.uid), 0]);
    updates.push([new FieldPath("lastRead", change.joined.uid), change.joined.lastRead]);
  }
  if (change.left !== undefined) {
    for (const map of ["unread", "lastRead", "mutedUntil"]) updates.push([new FieldPath(map, change.left), FieldValue.delete()]);
  }
  if (change.ended) {
    const completedAt = Timestamp.fromDate(now);
    updates.push(["status", "completed"], ["active", false], ["completedAt", completedAt]);
    const record: ChatCompletionDoc = { chatId, completedAt, endedBy: change.ended.by };
    batch.create(refs.chatCompletion(db, chatId), record);
  }
  return updates;
}
