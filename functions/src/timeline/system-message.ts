import type { Firestore } from "firebase-admin/firestore";
import { chatNotFound } from "./chat-access.js";
import { exists, type ChatDoc, type SnapshotsOf, type SystemEvent } from "../shared/model.js";
import { appendMessage, type AppendedMessage, type AppendReads, type AppendRequest } from "./append-message.js";
import type { ChatChange } from "./chat-change.js";

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
export function postSystemMessage(
  db: Firestore,
  now: Date,
  chatId: string,
  event: SystemEvent,
  text: string,
  change?: (chat: ChatDoc) => ChatChange | null,
): Promise<AppendedMessage | null>;
/** As above, `change` given the `reads` too, each snapshot typed by its reference. */
export function postSystemMessage<const R extends AppendReads>(
  db: Firestore,
  now: Date,
  chatId: string,
  event: SystemEvent,
  text: string,
  change: (chat: ChatDoc, reads: SnapshotsOf<R>) => ChatChange | null,
  reads: R,
): Promise<AppendedMessage | null>;
export async function postSystemMessage<const R extends AppendReads>(
  db: Firestore,
  now: Date,
  chatId: string,
  event: SystemEvent,
  text: string,
  change: (chat: ChatDoc, reads: SnapshotsOf<R>) => ChatChange | null = () => ({}),
  reads?: R,
): Promise<AppendedMessage | null> {
  // The append hands `prepare` the snapshots of `reads` in their order, so as `R` types them;
  // without `reads` (the first overload), `change` takes none.
  const request: AppendRequest = {
    now,
    reads: reads ?? [],
    alone: true,
    prepare(chatSnap, snaps: SnapshotsOf<R>) {
      if (!exists(chatSnap)) throw chatNotFound();
      const chatChange = change(chatSnap.data(), snaps);
      if (!chatChange) return null;
      return { from: null, content: { type: "system", text, event }, change: chatChange, quiet: event.uid };
    },
  };
  const outcome = await appendMessage(db, chatId, request);
  return outcome && "appended" in outcome ? outcome.appended : null;
}
