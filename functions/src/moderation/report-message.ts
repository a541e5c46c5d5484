import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { cleanDisplayText } from "../shared/display-text.js";
import { AppError } from "../shared/errors.js";
import { exists, refs, type ReportDoc } from "../shared/model.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { messagePreview } from "../timeline/preview.js";
import type { ReportMessageBody } from "./schemas.js";
import { toReportViewOfDoc, type ReportView } from "./views.js";

/** Which message {@link reportMessage} reports, by whom, when, and why. */
export interface ReportMessageOptions {
  /** The request's time: the report's `createdAt`. */
  now: Date;
  /** The reporter: a member of the chat. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /** The `reason`. */
  input: ReportMessageBody;
}

/**
 * A member reports message `number` of chat `chatId` to the moderators: creates
 * `reports/{chatId}-{number}-{uid}` with the reason and what the message is now (sender, type,
 * preview). Once per member and message: reporting again answers the first report. Reads the
 * chat, the caller's member doc (rooms), the message and the report; one transaction.
 * @throws AppError `not-found` (no chat, not a member, or no such message), `invalid-argument`
 *   (your own or a system message).
 */
export async function reportMessage(
  db: Firestore,
  options: ReportMessageOptions,
): Promise<{ report: ReportView; created: boolean }> {
  const { now, callerUid, chatId, number, input } = options;
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.message(db, chatId, number));
  requireMember(chatSnap, callerUid, memberSnap);
  const messageSnap = more[0];
  if (!exists(messageSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const message = messageSnap.data();
  if (message.from === null) throw new AppError("invalid-argument", "number: system messages can't be reported");
  if (message.from === callerUid) throw new AppError("invalid-argument", "number: you can't report your own message");
  const reportRef = refs.report(db, chatId, number, callerUid);
  return db.runTransaction(async (tx) => {
    const existing = await tx.get(reportRef);
    if (exists(existing)) return { report: toReportViewOfDoc(reportRef.id, existing.data()), created: false };
    const report: ReportDoc = {
      chatId,
      number,
      reporter: callerUid,
      reason: cleanDisplayText(input.reason),
      message: { from: message.from, type: message.type, preview: messagePreview(message) },
      status: "open",
      createdAt: Timestamp.fromDate(now),
    };
    tx.create(reportRef, report);
    return { report: toReportViewOfDoc(reportRef.id, report), created: true };
  });
}
