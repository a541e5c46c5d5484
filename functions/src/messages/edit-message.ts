import { FieldValue, Firestore, Timestamp } from "firebase-admin/firestore";
import { memberRefOf, requireCanSend } from "../timeline/chat-access.js";
import { AppError } from "../shared/errors.js";
import { getAll, refs, type ChatDoc, type MessageDoc, type MessageEditDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { toMessageViewOfDoc, type MessageView } from "./views.js";
import { requireOwnMessage } from "./own-message.js";
import { quotingReplies } from "./quoting-replies.js";
import { messagePreview } from "../timeline/preview.js";
import type { EditMessageBody } from "./schemas.js";
import { searchWords } from "./search-words.js";
import { firstUrl } from "../shared/first-url.js";
import { once } from "../shared/lazy.js";
import { screenMessage, type BeforeSend, type BeforeSendRequest } from "./before-send.js";

/** Commits an edit tries before giving up with `aborted` (a conflict needs a send in between). */
const EDIT_MAX_ATTEMPTS = 20;

/** Which message {@link editMessage} edits, by whom, when, and how late it may be. */
export interface EditMessageOptions {
  /** The request's time: the message's `editedAt`. */
  now: Date;
  /** The sender of the message. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /** The new `text`. */
  input: EditMessageBody;
  /** How long after sending a message may be edited (`EDIT_WINDOW_SECONDS`). */
  editWindowSeconds: number;
  /** How many times one message may be edited (`MAX_MESSAGE_EDITS`). */
  maxEdits: number;
  /** The before-send hooks, which hear of edits too; absent: none. */
  beforeSend?: BeforeSend;
}

/**
 * The sender replaces the text of their text message `number`, within `editWindowSeconds` of
 * sending it and at most `maxEdits` times; the message keeps `editedAt` and counts the edit
 * (`editCount` n), and the text it replaced is kept as `edits/{n}` ({@link MessageEditDoc}:
 * version n, replaced at `now`), created in the same batch. Two edits at once both land, one
 * after the other: the loser's `create` of the same version (and its update under the message's
 * update time) fail, and it re-reads and keeps the winner's text as the next version. When it is
 * the chat's newest message the chat's `lastMessage.preview` follows, and so does the quote
 * (`reference.preview`) in each reply to it (up to 400, see `quotingReplies`; 1 read for the
 * query plus 1 per reply, 1 write per reply). One batch whose writes are conditioned on the docs
 * not having changed since they were read (no lock on the busy chat doc; a conflict re-reads).
 * Reads and writes `chats/{chatId}`, `chats/{chatId}/messages/{number}` and the replies to it;
 * creates `chats/{chatId}/messages/{number}/edits/{n}`. A link preview whose URL is no longer
 * the text's first goes (an edit fetches no new one; its image stays until the chat is purged).
 * With `beforeSend`, the new text is screened ({@link screenMessage}, `kind: "edit"`) once the
 * edit may be made and before its batch (asked once, however many attempts): an edit can't
 * carry what a send could not.
 * @throws AppError `not-found` (no chat, not a member, no message), `permission-denied` (not the
 *   sender, a system message, or a 1:1 chat with a block), `failed-precondition` (not a text
 *   message, deleted, the window has passed, edited `maxEdits` times, chat closed), `aborted`
 *   (the chat kept changing); with `beforeSend` as {@link screenMessage}.
 */
export function editMessage(db: Firestore, options: EditMessageOptions): Promise<MessageView> {
  const { now, callerUid, chatId, number, editWindowSeconds, maxEdits, beforeSend } = options;
  const request: BeforeSendRequest = { kind: "edit", chatId, from: callerUid, type: "text", text: options.input.text, number };
  const screen = beforeSend ? once(() => screenMessage(beforeSend, request, now)) : undefined;
  const chatRef = refs.chat(db, chatId);
  const messageRef = refs.message(db, chatId, number);
  const memberRef = memberRefOf(db, chatId, callerUid);
  return retryOnConflict(
    EDIT_MAX_ATTEMPTS,
    async () => {
      const [chatSnap, messageSnap, memberSnap] = await getAll(db, chatRef, messageRef, ...(memberRef ? [memberRef] : []));
      const chat: ChatDoc = requireCanSend(chatSnap, callerUid, memberSnap);
      const message = requireOwnMessage(messageSnap, callerUid, number);
      if (message.type !== "text") throw new AppError("failed-precondition", "Only text messages can be edited.");
      if (now.getTime() - message.createdAt.toMillis() > editWindowSeconds * 1000) {
        throw new AppError("failed-precondition", `Messages can only be edited within ${editWindowSeconds} seconds of sending.`);
      }
      const version = (message.editCount ?? 0) + 1;
      if (version > maxEdits) throw new AppError("failed-precondition", `A message can be edited at most ${maxEdits} times.`);
      const input = screen ? await screen() : options.input;
      const editedAt = Timestamp.fromDate(now);
      // A preview of a URL that is no longer the text's first goes; an edit fetches none.
      const dropPreview = message.linkPreview !== undefined && firstUrl(input.text) !== message.linkPreview.url;
      const { linkPreview, ...rest } = message;
      const edited: MessageDoc = {
        ...rest,
        ...(!dropPreview && linkPreview && { linkPreview }),
        text: input.text,
        editedAt,
        editCount: version,
      };
      const batch = db.batch();
      const words = searchWords(edited.text);
      batch.update(
        messageRef,
        {
          text: edited.text,
          editedAt,
          editCount: version,
          words: words.length > 0 ? words : FieldValue.delete(),
          ...(dropPreview && { linkPreview: FieldValue.delete() }),
        },
        { lastUpdateTime: messageSnap.updateTime },
      );
      const replaced: MessageEditDoc = { number, version, text: message.text, editedAt };
      batch.create(refs.messageEdit(db, chatId, number, version), replaced);
      if (chat.lastMessage?.number === number) {
        batch.update(chatRef, { "lastMessage.preview": messagePreview(edited) }, { lastUpdateTime: chatSnap.updateTime });
      }
      for (const reply of await quotingReplies(db, chatId, number)) {
        // Over the reply as read: one deleted meanwhile keeps no quote.
        batch.update(reply.ref, { "reference.preview": messagePreview(edited) }, { lastUpdateTime: reply.updateTime });
      }
      await batch.commit();
      return toMessageViewOfDoc(chatId, messageRef.id, edited);
    },
    () => new AppError("aborted", "The chat is too busy to edit this message now; retry."),
  );
}
