import type { Firestore } from "firebase-admin/firestore";
import { readAsMember, requireCanSend, requireMember } from "../timeline/chat-access.js";
import type { CopyFile } from "../files/copy-message-file.js";
import { AppError } from "../shared/errors.js";
import { exists, refs } from "../shared/model.js";
import type { ForwardMessageBody } from "./schemas.js";
import { sendMessage, type SendResult } from "./send-message.js";
import type { Rate } from "../shared/token-bucket.js";
import type { BeforeSend } from "./before-send.js";

/** Which message {@link forwardMessage} forwards, where to, by whom, and how a file is copied. */
export interface ForwardMessageOptions {
  /** Copies a file's objects, charges its bytes, and the send's limits in the target chat. */
  copy: {
    copyFile: CopyFile;
    chargeBytes: (bytes: number) => Promise<void>;
    sendRate?: Rate;
    requestLimit?: number;
    /** The before-send hooks: a forward is a new message in the target chat; absent: none. */
    beforeSend?: BeforeSend;
  };
  /** The request's time. */
  now: Date;
  /** Who forwards: a member of both chats. */
  callerUid: string;
  /** The chat the message is in: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /** `toChatId`, the target chat, and the copy's `clientMessageId`. */
  input: ForwardMessageBody;
}

/**
 * Forwards message `number` of `chatId` into `toChatId` as a new message from the caller, who
 * must be a member of both. The copy has the same type and text, `reference: {type: "forward",
 * chatId, number, from, messageType}`, and for a file or image its own server-side copy of the
 * objects (deleting the original later leaves the copy); a poll's copy is a new poll with the same
 * question and options, and no votes. Sent as {@link sendMessage} does;
 * `clientMessageId` makes retries safe; the before-send hooks (`copy.beforeSend`) are asked as
 * for any new message (a file's after its copy is made). When the send fails or is a retry, the copy is deleted.
 * A file's bytes count against the caller's daily quota (`chargeBytes`) before it is copied.
 * Reads `chats/{chatId}`, the message and `chats/{toChatId}`.
 * @throws AppError `not-found` (no chat, not a member of either chat, no message),
 *   `failed-precondition` (deleted message), `invalid-argument` (system message),
 *   `resource-exhausted` from `chargeBytes`, and as {@link sendMessage} into `toChatId`
 *   (`permission-denied` in a 1:1 chat with a block, `failed-precondition` when it is closed).
 */
export async function forwardMessage(db: Firestore, options: ForwardMessageOptions): Promise<SendResult> {
  const { copy, now, callerUid, chatId, number, input } = options;
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.message(db, chatId, number));
  const [messageSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  if (!exists(messageSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  // The send into the target chat checks that the caller may send there, before any file is copied.
  const target = await readAsMember(db, input.toChatId, callerUid);
  requireCanSend(target.chatSnap, callerUid, target.memberSnap);
  const message = messageSnap.data();
  if (message.deleted) throw new AppError("failed-precondition", `Message ${number} was deleted.`);
  if (message.type === "system") throw new AppError("invalid-argument", "System messages cannot be forwarded.");

  const forwardedFrom = { type: "forward" as const, chatId, number, from: message.from, messageType: message.type };
  const { sendRate, requestLimit, beforeSend } = copy;
  const common = { text: message.text, clientMessageId: input.clientMessageId, forwardedFrom, sendRate, requestLimit };
  if (message.type === "poll" && message.poll) {
    // A forwarded poll is a new poll with the same question and options, and no votes.
    const { question, options, multiple, anonymous } = message.poll;
    const poll = { question, options, multiple, anonymous };
    const draft = { type: "poll" as const, ...common, poll };
    return sendMessage(db, { now, senderUid: callerUid, chatId: input.toChatId, draft, beforeSend });
  }
  if (message.type === "text" || message.type === "poll" || !message.file) {
    const draft = { type: "text" as const, ...common };
    return sendMessage(db, { now, senderUid: callerUid, chatId: input.toChatId, draft, beforeSend });
  }
  await copy.chargeBytes(message.file.size);
  const copied = await copy.copyFile(message.file, input.toChatId);
  try {
    const draft = { type: message.type, ...common, file: copied.file };
    const result = await sendMessage(db, { now, senderUid: callerUid, chatId: input.toChatId, draft, beforeSend });
    if (!result.created) await copied.discard();
    return result;
  } catch (error) {
    await copied.discard();
    throw error;
  }
}
