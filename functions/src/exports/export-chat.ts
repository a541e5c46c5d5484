import type { Bucket } from "@google-cloud/storage";
import { FieldPath, Timestamp, type Firestore } from "firebase-admin/firestore";
import { isAlreadyExists } from "../shared/errors.js";
import { exportMailId, refs, type ChatCompletionDoc, type ChatDoc, type ChatExport, type UserDoc } from "../shared/model.js";
import type { VerifiedEmails } from "../users/verified-emails.js";
import { exportMail } from "./export-mail.js";
import { writeHistoryCsv } from "./write-history-csv.js";

/** Where links in the mails point, and whom they may go to. */
export interface ExportLinks {
  apiUrl: string;
  appUrl: string;
  /** Members' verified addresses (Firebase Auth); a member without one gets no mail. */
  emails: VerifiedEmails;
}

/** What one run of the export trigger did. */
export interface ExportReport {
  /** The export had been done before: nothing was written or mailed. */
  duplicate: boolean;
  rows: number;
  bytes: number;
  mails: number;
}

/**
 * Exports an ended chat: streams its history as CSV to `exports/{chatId}/{completedAt}.csv`,
 * queues one `mail/export-{chatId}-{completedAt ms}-{uid}` doc per member with a verified address
 * (unique per export, so a chat id used again after a purge mails again; a room's
 * members read a page at a time), then, in one transaction, records
 * `export: {path, rows, bytes, createdAt}` on the chat and marks
 * `chat-completions/{chatId}.exportedAt`. Redelivered or concurrent runs write the same object,
 * skip mails already created, and find `exportedAt` set: exported and mailed once.
 */
export async function exportChat(
  db: Firestore,
  bucket: Bucket,
  now: Date,
  chatId: string,
  links: ExportLinks,
): Promise<ExportReport> {
  const completionRef = refs.chatCompletion(db, chatId);
  const completion = (await completionRef.get()).data() as ChatCompletionDoc | undefined;
  const nothing = { duplicate: true, rows: 0, bytes: 0, mails: 0 };
  if (!completion || completion.exportedAt) return nothing;

  const path = `exports/${chatId}/${completion.completedAt.toDate().toISOString()}.csv`;
  const { rows, bytes } = await writeHistoryCsv(db, bucket, chatId, path);

  const chat = (await refs.chat(db, chatId).get()).data() as ChatDoc | undefined;
  if (!chat) return nothing;
  let mails = 0;
  const mailId = (uid: string) => exportMailId(chatId, completion.completedAt.toMillis(), uid);
  for await (const uids of memberPages(db, chatId, chat)) mails += await mailMembers(db, chatId, chat, uids, rows, links, mailId);
  return db.runTransaction(async (tx) => {
    const [completionSnap, chatSnap] = await tx.getAll(completionRef, refs.chat(db, chatId));
    if ((completionSnap.data() as ChatCompletionDoc | undefined)?.exportedAt || !chatSnap.exists) return nothing;
    const createdAt = Timestamp.fromDate(now);
    const chatExport: ChatExport = { path, rows, bytes, createdAt };
    tx.update(chatSnap.ref, { export: chatExport });
    tx.update(completionRef, { exportedAt: createdAt });
    return { duplicate: false, rows, bytes, mails };
  });
}

/** Members read per page when mailing a room's members. */
const MAIL_PAGE = 400;

/** The chat's member uids, a page at a time: a 1:1 chat's two, or a room's member docs. */
async function* memberPages(db: Firestore, chatId: string, chat: ChatDoc): AsyncGenerator<string[]> {
  if (chat.type !== "room") {
    yield chat.members ?? [];
    return;
  }
  let query = refs.members(db, chatId).orderBy(FieldPath.documentId()).select().limit(MAIL_PAGE);
  for (;;) {
    const docs = (await query.get()).docs;
    if (docs.length > 0) yield docs.map((doc) => doc.id);
    if (docs.length < MAIL_PAGE) return;
    query = query.startAfter(docs[docs.length - 1]);
  }
}

/**
 * Creates `mail/{mailId(uid)}` for each of `uids` with a verified e-mail address. Each mail is created
 * once, whichever run gets there first: a run that finds one already made skips it.
 * @returns how many mails this run created.
 */
async function mailMembers(
  db: Firestore,
  chatId: string,
  chat: ChatDoc,
  uids: string[],
  rows: number,
  links: ExportLinks,
  mailId: (uid: string) => string,
) {
  if (uids.length === 0) return 0;
  const [users, emails] = await Promise.all([db.getAll(...uids.map((uid) => refs.user(db, uid))), links.emails(uids)]);
  const names = users.map((snap, i) => (snap.data() as UserDoc | undefined)?.displayName || uids[i]);
  const writer = db.bulkWriter();
  writer.onWriteError(() => false);
  const created = users.map(async (snap, i) => {
    const to = emails.get(uids[i]);
    if (!to) return false;
    const mail = exportMail({
      to,
      recipientName: (snap.data() as UserDoc | undefined)?.displayName || "there",
      chatLabel: chat.title ? `"${chat.title}"` : `your chat with ${names.filter((_, j) => j !== i).join(" and ")}`,
      rows,
      exportUrl: `${links.apiUrl}/chats/${chatId}/export`,
      appChatUrl: `${links.appUrl}/chats/${chatId}`,
    });
    try {
      await writer.create(refs.mail(db, mailId(uids[i])), mail);
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      throw error;
    }
  });
  await writer.close();
  return (await Promise.all(created)).filter(Boolean).length;
}
