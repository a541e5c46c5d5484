import { FieldValue, type Firestore } from "firebase-admin/firestore";
import { requireOwnMessage } from "../messages/own-message.js";
import { toMessageViewOfDoc, type MessageView } from "../messages/views.js";
import { AppError } from "../shared/errors.js";
import type { DownloadObject } from "../shared/handler.js";
import { exists, getAll, refs, type MessageDoc } from "../shared/model.js";
import { memberRefOf, readAsMember, requireActiveMember, requireMember } from "../timeline/chat-access.js";
import type { LinkPreviewsSetting } from "./views.js";

/** Which preview {@link removeLinkPreview} removes, for whom, and how its image goes. */
export interface RemoveLinkPreviewOptions {
  /** Deletes Cloud Storage objects (the preview's image), after the commit. */
  deleteObjects: (paths: string[]) => Promise<void>;
  /** The sender. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
}

/**
 * The sender removes the link preview of their message `number` of `chatId`: `linkPreview` goes,
 * `linkPreviewRemoved` is set so the trigger never writes one again (a preview still being
 * fetched is dropped), then the image object is deleted. Removing again changes nothing.
 * One transaction: the chat, the member doc (rooms) and the message (2-3 reads), 1 write.
 * @throws AppError `not-found` (no chat, not a member, no message), `permission-denied` (not the
 *   sender), `failed-precondition` (ended chat, deleted message).
 */
export async function removeLinkPreview(db: Firestore, options: RemoveLinkPreviewOptions): Promise<MessageView> {
  const { deleteObjects, callerUid, chatId, number } = options;
  const chatRef = refs.chat(db, chatId);
  const messageRef = refs.message(db, chatId, number);
  const memberRef = memberRefOf(db, chatId, callerUid);
  const { removed, message } = await db.runTransaction(async (tx) => {
    const [chatSnap, messageSnap, memberSnap] = await getAll(tx, chatRef, messageRef, memberRef);
    requireActiveMember(chatSnap, callerUid, memberSnap);
    const current = requireOwnMessage(messageSnap, callerUid, number);
    const { linkPreview, ...rest } = current;
    const without: MessageDoc = { ...rest, linkPreviewRemoved: true };
    if (!current.linkPreviewRemoved || linkPreview) {
      tx.update(messageRef, { linkPreview: FieldValue.delete(), linkPreviewRemoved: true });
    }
    return { removed: linkPreview, message: without };
  });
  if (removed?.image) await deleteObjects([removed.image.path]);
  return toMessageViewOfDoc(chatId, messageRef.id, message);
}

/** Whose setting {@link setLinkPreviews} changes, and to what. */
export interface SetLinkPreviewsOptions {
  /** A room's host, or either member of a 1:1 chat. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** `true`: previews on; `false`: off. */
  enabled: boolean;
}

/**
 * Turns link previews on or off for `chatId` (`chats/{chatId}.linkPreviewsOff`): a room's host,
 * or either member of a 1:1 chat. Messages sent while off get none; previews already written
 * stay. One transaction: the chat and the member doc (rooms): 1-2 reads, 1 write (none when
 * unchanged).
 * @throws AppError `not-found` (no chat, not a member), `permission-denied` (a room member who
 *   is not the host), `failed-precondition` (ended chat).
 */
export function setLinkPreviews(db: Firestore, options: SetLinkPreviewsOptions): Promise<LinkPreviewsSetting> {
  const { callerUid, chatId, enabled } = options;
  const chatRef = refs.chat(db, chatId);
  const memberRef = memberRefOf(db, chatId, callerUid);
  return db.runTransaction(async (tx) => {
    const [chatSnap, memberSnap] = await getAll(tx, chatRef, memberRef);
    const chat = requireActiveMember(chatSnap, callerUid, memberSnap);
    if (chat.type === "room" && chat.host !== callerUid) {
      throw new AppError("permission-denied", "Only the room's host can change link previews.");
    }
    if ((chat.linkPreviewsOff !== true) !== enabled) {
      tx.update(chatRef, { linkPreviewsOff: enabled ? FieldValue.delete() : true });
    }
    return { chatId, linkPreviews: enabled };
  });
}

/**
 * The image of message `number`'s link preview, for a member of `chatId`.
 * Reads `chats/{chatId}`, the member doc (rooms) and the message.
 * @throws AppError `not-found` (no chat, not a member, no message, no preview image).
 */
export async function findLinkPreviewImage(
  db: Firestore,
  callerUid: string,
  chatId: string,
  number: number,
): Promise<DownloadObject> {
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.message(db, chatId, number));
  const [messageSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  const image = exists(messageSnap) && !messageSnap.data().deleted ? messageSnap.data().linkPreview?.image : undefined;
  if (!image) throw new AppError("not-found", `Message ${number} has no link preview image.`);
  const { path, contentType, size, width, height } = image;
  const name = `preview.${contentType === "image/png" ? "png" : "jpg"}`;
  return { path, contentType, size, name, etag: `${path}-${size}-${width}x${height}`, inline: true };
}
