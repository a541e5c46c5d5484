import type { Firestore } from "firebase-admin/firestore";
import { chatNotFound } from "./chat-access.js";
import { exists, type ChatDoc, type SnapshotsOf, type SystemEvent } from "../shared/model.js";
import { appendMessage, type AppendedMessage, type AppendReads, type AppendRequest } from "./append-message.js";
import type { ChatChange } from "./chat-change.js";

/** The system message {@link postSystemMessage} posts, and what decides its chat change. */
export interface PostSystemMessageOptions<R extends AppendReads = []> {
  /** The request's time; the message is never dated before the one it follows. */
  now: Date;
  /** The chat to post in: `chats/{chatId}`. */
  chatId: string;
  /** What the message tells; `event.uid` is the member it is about. */
  event: SystemEvent;
  /** The message's text, e.g. "Ann joined". */
  text: string;
  /**
   * Decides the chat change from the chat and the `reads` as read, each snapshot typed by its
   * reference; default: none (`{}`).
   */
  change?: (chat: ChatDoc, reads: SnapshotsOf<R>) => ChatChange | null;
  /** Docs to read with the chat for `change`, `undefined` where none; default: none. */
  reads?: R;
}

/**
 * Posts a `system` message (no sender) telling members about `event`, numbered like any
 * message. Every member but `event.uid` (who joined, left, was removed or ended the chat) gets
 * it as unread. `change`, given the chat and the `reads` as read (in their order, `undefined`
 * where none), returns the chat change to commit with it,
 * or `null` when there is nothing to do (then nothing is written and `null` returned); it may
 * throw an AppError to refuse. A system message commits alone, in its place among the chat's
 * sends; a lost race re-reads and calls `change` again, so joins, leaves and sends are
 * serialised by the message number. Works on inactive chats too, so that "chat ended" can be
 * told. Reads `chats/{chatId}` and `reads`; writes as {@link appendMessage}.
 * @throws AppError `not-found` (no chat), whatever `change` throws, `aborted` as {@link appendMessage}.
 */
export async function postSystemMessage<const R extends AppendReads = []>(
  db: Firestore,
  options: PostSystemMessageOptions<R>,
): Promise<AppendedMessage | null> {
  const { now, chatId, event, text, change = () => ({}), reads } = options;
  // The append hands `prepare` the snapshots of `reads` in their order, so as `R` types them.
  const request: AppendRequest = {
    now,
    reads: reads ?? [],
    ...(event.uid ? { reader: event.uid } : {}),
    alone: true,
    prepare(chatSnap, snaps: SnapshotsOf<R>) {
      if (!exists(chatSnap)) throw chatNotFound();
      const chatChange = change(chatSnap.data(), snaps);
      if (!chatChange) return null;
      return { from: null, content: { type: "system", text, event }, change: chatChange, aboutUid: event.uid };
    },
  };
  const outcome = await appendMessage(db, chatId, request);
  return outcome && "appended" in outcome ? outcome.appended : null;
}
