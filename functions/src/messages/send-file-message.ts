import { cleanDisplayText } from "../shared/display-text.js";
import { randomUUID } from "node:crypto";
import type { Bucket } from "@google-cloud/storage";
import type { Firestore } from "firebase-admin/firestore";
import { readAsMember, requireCanSend } from "../timeline/chat-access.js";
import { MAX_TEXT_LENGTH, sendFileFields } from "./schemas.js";
import { sendMessage, type MessageDraft, type SendResult } from "./send-message.js";
import type { FileDoc } from "../shared/model.js";
import { parseInput } from "../shared/validation.js";
import { describeImage } from "../files/describe-image.js";
import { readUpload } from "../files/read-upload.js";
import type { UploadRequest } from "../shared/handler.js";
import { safeFileName } from "../files/safe-file-name.js";
import { storeObject, type StoredObject } from "../files/store-object.js";
import type { Rate } from "../shared/token-bucket.js";

/** How big a file may be, where its bytes are counted (a quota that may refuse them), the send limit. */
export interface FileStorePolicy {
  maxFileBytes: number;
  chargeBytes: (bytes: number) => Promise<void>;
  /** The sender's send limit in this chat; absent for none. */
  sendRate?: Rate;
  /** Messages the opener of a message request may send (`REQUEST_MESSAGE_LIMIT`); default 3. */
  requestLimit?: number;
}

/** Which upload {@link sendFileMessage} sends, from whom, to which chat, under which policy. */
export interface SendFileMessageOptions {
  /** Where the file and its thumbnail are stored. */
  bucket: Bucket;
  /** The request's time. */
  now: Date;
  /** The sender: a member of the chat. */
  senderUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The multipart/form-data body: one `file` part, optional `text` and `clientMessageId`. */
  request: UploadRequest;
  /** The file size limit, the byte quota, the send limits. */
  store: FileStorePolicy;
}

/** Longest file name kept for display, in characters. */
export const MAX_DISPLAY_NAME_LENGTH = 255;

/**
 * Sends a file or image message: `request` is a multipart/form-data body with one `file` part
 * and optional `text` (caption) and `clientMessageId` fields.
 *
 * 1. Reads `chats/{chatId}`: the sender must be a member and the chat active. This happens
 *    before any of the body is parsed, so a non-member's upload is never stored.
 * 2. Streams the file into Cloud Storage at `chats/{chatId}/{uploadId}/{safe file name}` (the
 *    message number is only known when the message is committed, so the folder is a fresh id).
 * 3. Charges the file's bytes to the sender's daily quota (`chargeBytes`); over it, the upload
 *    is deleted and the send refused.
 * 4. For an image (by its bytes), stores a thumbnail beside it and records its size.
 * 5. Commits the message as {@link sendMessage} does, with `file` set.
 * When any step fails, or a retry with the same `clientMessageId` finds the message it sent
 * before, the upload's objects are deleted: no message without objects, no objects without one.
 * @throws AppError as {@link sendMessage} and {@link readUpload}; `invalid-argument` for bad
 *   fields; `resource-exhausted` from `chargeBytes`.
 */
export async function sendFileMessage(db: Firestore, options: SendFileMessageOptions): Promise<SendResult> {
  const { bucket, now, senderUid, chatId, request, store } = options;
  const { maxFileBytes, chargeBytes } = store;
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, senderUid);
  requireCanSend(chatSnap, senderUid, memberSnap);

  const folder = `chats/${chatId}/${randomUUID()}`;
  const discard = () => bucket.deleteFiles({ prefix: `${folder}/`, force: true });
  const upload = await readUpload(
    request,
    { maxFileBytes, maxFieldBytes: MAX_TEXT_LENGTH * 3 },
    Object.keys(sendFileFields.shape),
    {
      store: async ({ stream, filename, mimeType }) => ({
        name: displayName(filename),
        object: await storeObject(bucket, `${folder}/${safeFileName(filename)}`, stream, mimeType),
      }),
      discard,
    },
  );
  try {
    const fields = parseInput(sendFileFields, upload.fields);
    await chargeBytes(upload.file.object.size);
    const image = await describeImage(bucket, upload.file.object, folder);
    const draft: MessageDraft = {
      type: image ? "image" : "file",
      text: fields.text?.trim() ? fields.text : "",
      clientMessageId: fields.clientMessageId,
      replyTo: fields.replyTo,
      file: { ...fileDoc(upload.file.name, upload.file.object), ...image },
      sendRate: store.sendRate,
      requestLimit: store.requestLimit,
    };
    const result = await sendMessage(db, { now, senderUid, chatId, draft });
    if (!result.created) await discard();
    return result;
  } catch (error) {
    await discard();
    throw error;
  }
}

function fileDoc(name: string, object: StoredObject): FileDoc {
  const { path, contentType, size, sha256 } = object;
  return { path, name, contentType, size, sha256 };
}

/** The sender's file name as shown to members: control and bidi characters removed, length capped. */
function displayName(filename: string): string {
  const name = Array.from(cleanDisplayText(filename));
  return name.slice(0, MAX_DISPLAY_NAME_LENGTH).join("") || "file";
}
