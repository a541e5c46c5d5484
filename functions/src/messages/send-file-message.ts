import { cleanDisplayText } from "../shared/display-text.js";
import { randomUUID } from "node:crypto";
import type { Bucket } from "@google-cloud/storage";
import type { Firestore } from "firebase-admin/firestore";
import { readAsMember, requireCanSend } from "../timeline/chat-access.js";
import { MAX_TEXT_LENGTH, sendFileFields, waveformValues } from "./schemas.js";
import { sendMessage, type MessageDraft, type SendResult } from "./send-message.js";
import type { FileDoc } from "../shared/model.js";
import { parseInput } from "../shared/validation.js";
import { describeImage } from "../files/describe-image.js";
import { describeAudio, isAudioUpload } from "../files/describe-audio.js";
import { AppError } from "../shared/errors.js";
import { readUpload } from "../files/read-upload.js";
import type { UploadRequest } from "../shared/handler.js";
import { safeFileName } from "../files/safe-file-name.js";
import { storeObject, type StoredObject } from "../files/store-object.js";
import type { Rate } from "../shared/token-bucket.js";
import type { BeforeSend } from "./before-send.js";

/**
 * How big a file may be, how long a voice message, where its bytes are counted (a quota that
 * may refuse them), the send limit.
 */
export interface FileStorePolicy {
  maxFileBytes: number;
  /** Longest voice message, in seconds (`MAX_VOICE_SECONDS`); default 300. */
  maxVoiceSeconds?: number;
  chargeBytes: (bytes: number) => Promise<void>;
  /** The sender's send limit in this chat; absent for none. */
  sendRate?: Rate;
  /** Messages the opener of a message request may send (`REQUEST_MESSAGE_LIMIT`); default 3. */
  requestLimit?: number;
  /** The before-send hooks, asked about the caption and the file once it is stored; absent: none. */
  beforeSend?: BeforeSend;
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
  /** The multipart/form-data body: one `file` part, optional `text`, `clientMessageId`, `replyTo`, `waveform`. */
  request: UploadRequest;
  /** The file size limit, the byte quota, the send limits. */
  store: FileStorePolicy;
}

/** Longest file name kept for display, in characters. */
export const MAX_DISPLAY_NAME_LENGTH = 255;

/**
 * Sends a file, image or voice message: `request` is a multipart/form-data body with one `file`
 * part and optional `text` (caption), `clientMessageId`, `replyTo` and `waveform` fields.
 *
 * 1. Reads `chats/{chatId}`: the sender must be a member and the chat active. This happens
 *    before any of the body is parsed, so a non-member's upload is never stored.
 * 2. Streams the file into Cloud Storage at `chats/{chatId}/{uploadId}/{safe file name}` (the
 *    message number is only known when the message is committed, so the folder is a fresh id).
 * 3. For audio ({@link isAudioUpload}), a voice message: reads the object back and its duration
 *    with music-metadata ({@link describeAudio}), refusing what is not audio in a supported
 *    format or lasts over `maxVoiceSeconds`, and keeps the sender's `waveform` (64 values 0-255).
 *    This happens before the quota is charged: a refused recording costs no quota.
 * 4. Charges the file's bytes to the sender's daily quota (`chargeBytes`); over it, the upload
 *    is deleted and the send refused.
 * 5. For an image (by its bytes), stores a thumbnail beside it and records its size.
 * 6. Commits the message as {@link sendMessage} does, with `file` set (and asks the
 *    before-send hooks first, when there are any).
 * When any step fails, or a retry with the same `clientMessageId` finds the message it sent
 * before, the upload's objects are deleted: no message without objects, no objects without one.
 * @throws AppError as {@link sendMessage} and {@link readUpload}; `invalid-argument` for bad
 *   fields, bad audio (see {@link describeAudio}) and a `waveform` with a file that is not
 *   audio; `resource-exhausted` from `chargeBytes`.
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
        declaredType: mimeType,
        object: await storeObject(bucket, `${folder}/${safeFileName(filename)}`, stream, mimeType),
      }),
      discard,
    },
  );
  try {
    const fields = parseInput(sendFileFields, upload.fields);
    const { object, declaredType } = upload.file;
    const voice = isAudioUpload(object.sniffedType, declaredType)
      ? await describeVoice(bucket, object, { maxSeconds: store.maxVoiceSeconds ?? 300, waveform: fields.waveform })
      : noWaveform(fields.waveform);
    await chargeBytes(object.size);
    const image = voice ? undefined : await describeImage(bucket, object, folder);
    const draft: MessageDraft = {
      type: voice ? "voice" : image ? "image" : "file",
      text: fields.text?.trim() ? fields.text : "",
      clientMessageId: fields.clientMessageId,
      replyTo: fields.replyTo,
      file: { ...fileDoc(upload.file.name, object), ...image, ...voice },
      sendRate: store.sendRate,
      requestLimit: store.requestLimit,
    };
    const result = await sendMessage(db, { now, senderUid, chatId, draft, beforeSend: store.beforeSend });
    if (!result.created) await discard();
    return result;
  } catch (error) {
    await discard();
    throw error;
  }
}

/** A voice message's part of its {@link FileDoc}: the type to serve, the duration, the waveform if sent. */
async function describeVoice(
  bucket: Bucket,
  object: StoredObject,
  options: { maxSeconds: number; waveform: string | undefined },
): Promise<Pick<FileDoc, "contentType" | "durationMs" | "waveform">> {
  const { contentType, durationMs } = await describeAudio(bucket, object, options.maxSeconds);
  return { contentType, durationMs, ...(options.waveform !== undefined && { waveform: waveformValues(options.waveform) }) };
}

/**
 * Refuses a `waveform` sent with a file that is not audio; answers `undefined` (no voice part).
 * @throws AppError `invalid-argument` when `waveform` is set.
 */
function noWaveform(waveform: string | undefined): undefined {
  if (waveform !== undefined) throw new AppError("invalid-argument", "waveform: only audio files (voice messages) have one");
  return undefined;
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
