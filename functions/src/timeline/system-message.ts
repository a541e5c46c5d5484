import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs, type ChatDoc, type SystemEvent } from "../shared/model.js";
import { appendWithRetry, commitAppend, type AppendedMessage } from "./append-message.js";
import type { ChatChange } from "./chat-change.js";

/**
 * Posts a `system` message (no sender) telling members about `event`, numbered like any
 * message. Every member but `event.uid` (who joined, left, was removed or ended the chat) gets
 * it as unread. `change`, given the chat as read, returns the chat change to commit with it,
 * or `null` when there is nothing to do (then nothing is written and `null` returned); it may
 * throw an AppError to refuse. Conflicting writes re-read and call `change` again, so joins,
 * leaves and sends are serialised by the message number. Works on inactive chats too, so that
 * "chat ended" can be told.
 * Reads `chats/{chatId}`; writes as {@link commitAppend}.
 * @throws AppError `not-found` (no chat), whatever `change` throws, `aborted` as {@link appendWithRetry}.
 */
export function postSystemMessage(
  db: Firestore,
  now: Date,
  chatId: string,
  event: SystemEvent,
  text: string,
  change: (chat: ChatDoc) => ChatChange | null = () => ({}),
): Promise<AppendedMessage | null> {
  return appendWithRetry(chatId, async (attempt) => {
    const chatSnap = await refs.chat(db, chatId).get();
    if (!chatSnap.exists) throw new AppError("not-found", `Chat ${chatId} does not exist.`);
    const chat = chatSnap.data() as ChatDoc;
    const chatChange = change(chat);
    if (!chatChange) return null;
    const content = { type: "system" as const, text, event };
    return commitAppend(db, now, chatId, chat, null, content, attempt, { change: chatChange, quiet: event.uid });
  });
}
