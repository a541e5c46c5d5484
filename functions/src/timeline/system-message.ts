import type { DocumentReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { chatNotFound } from "./chat-access.js";
import type { ChatDoc, SystemEvent } from "../shared/model.js";
import { appendMessage, type AppendedMessage } from "./append-message.js";
import type { ChatChange } from "./chat-change.js";

/** The system message {@link postSystemMessage} posts, and what decides its chat change. */
export interface PostSystemMessageOptions {
  /** The request's time; the message is never dated before the one it follows. */
  now: Date;
  /** The chat to post in: `chats/{chatId}`. */
  chatId: string;
  /** What the message tells; `event.uid` is the member it is about. */
  event: SystemEvent;
  /** The message's text, e.g. "Ann joined". */
  text: string;
  /** Decides the chat change from the chat and the `reads` as read; default: none (`{}`). */
  change?: (chat: ChatDoc, reads: (DocumentSnapshot | undefined)[]) => ChatChange | null;
  /** Docs to read with the chat for `change`, `undefined` where none; default: none. */
  reads?: (DocumentReference | undefined)[];
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
export async function postSystemMessage(db: Firestore, options: PostSystemMessageOptions): Promise<AppendedMessage | null> {
  const { now, chatId, event, text, change = () => ({}), reads = [] } = options;
  const outcome = await appendMessage(db, chatId, {
    now,
    reads,
    alone: true,
    prepare: (chatSnap, snaps) => {
      if (!chatSnap.exists) throw chatNotFound();
      const chatChange = change(chatSnap.data() as ChatDoc, snaps);
      if (!chatChange) return null;
      return { from: null, content: { type: "system", text, event }, change: chatChange, aboutUid: event.uid };
    },
  });
  return outcome && "appended" in outcome ? outcome.appended : null;
}
