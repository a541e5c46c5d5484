import type { Bucket } from "@google-cloud/storage";
import { FieldPath, Timestamp, type Firestore } from "firebase-admin/firestore";
import { isAlreadyExists } from "../shared/errors.js";
import { exportMailId, getAll, refs, type ChatDoc, type ChatExport } from "../shared/model.js";
import { writersOf } from "../timeline/took-part.js";
import type { VerifiedEmails } from "../users/verified-emails.js";
import { exportMail, quotedName } from "./export-mail.js";
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

/** Which ended chat {@link exportChat} exports, where to, and when. */
export interface ExportChatOptions {
  /** Where the CSV goes: `exports/{chatId}/{endedAt}.csv`. */
  bucket: Bucket;
  /** The run's time: the export's `createdAt` and the completion's `exportedAt`. */
  now: Date;
  /** The ended chat: `chats/{chatId}`, with its `ended-chats/{chatId}` record. */
  chatId: string;
  /** Where the mails' links point, and the members' verified addresses. */
  links: ExportLinks;
}

/**
 * Exports an ended chat: streams its history as CSV to `exports/{chatId}/{endedAt}.csv`,
 * queues one `mail/export-{chatId}-{endedAt ms}-{uid}` doc per member who wrote in the chat
 * and has a verified address (unique per export, so a chat id used again after a purge mails
 * again; a room's writers read a page at a time), then, in one transaction, records
 * `export: {path, rows, bytes, createdAt}` on the chat and marks
 * `ended-chats/{chatId}.exportedAt`. A chat nobody wrote in is only marked: no file, no
 * mail; a chat that ended while a message request is exported but mailed to no one. Redelivered or concurrent runs write the same object,
 * skip mails already created, and find `exportedAt` set: exported and mailed once.
 */
export async function exportChat(db: Firestore, options: ExportChatOptions): Promise<ExportReport> {
  const { bucket, now, chatId, links } = options;
  const completionRef = refs.endedChat(db, chatId);
  const completion = (await completionRef.get()).data();
  const nothing = { duplicate: true, rows: 0, bytes: 0, mails: 0 };
  if (!completion || completion.exportedAt) return nothing;

  const chat = (await refs.chat(db, chatId).get()).data();
  if (!chat) return nothing;
  if (!(await anyoneWrote(db, chatId, chat))) return recordExport(db, now, chatId, { rows: 0, bytes: 0, mails: 0 });

  const path = `exports/${chatId}/${completion.endedAt.toDate().toISOString()}.csv`;
  const { rows, bytes } = await writeHistoryCsv(db, bucket, chatId, path);
  let mails = 0;
  const mailId = (uid: string) => exportMailId(chatId, completion.endedAt.toMillis(), uid);
  // A chat that ended as a message request mails no one: its opener is a stranger to the other.
  const pages = chat.request ? [] : writerPages(db, chatId, chat);
  for await (const uids of pages) mails += await mailMembers(db, { chatId, chat, uids, rows, links, mailId });
  return recordExport(db, now, chatId, { path, rows, bytes, mails });
}

/**
 * In one transaction: `export: {path, rows, bytes, createdAt}` on the chat (none when there was
 * nothing to export: no `path`) and `ended-chats/{chatId}.exportedAt`; a run that finds
 * `exportedAt` set, or the chat gone, reports a duplicate and writes nothing.
 */
function recordExport(
  db: Firestore,
  now: Date,
  chatId: string,
  done: { path?: string; rows: number; bytes: number; mails: number },
): Promise<ExportReport> {
  const completionRef = refs.endedChat(db, chatId);
  return db.runTransaction(async (tx) => {
    const [completionSnap, chatSnap] = await getAll(tx, completionRef, refs.chat(db, chatId));
    if (completionSnap.data()?.exportedAt || !chatSnap.exists) {
      return { duplicate: true, rows: 0, bytes: 0, mails: 0 };
    }
    const createdAt = Timestamp.fromDate(now);
    const { path, rows, bytes, mails } = done;
    if (path) tx.update(chatSnap.ref, { export: { path, rows, bytes, createdAt } satisfies ChatExport });
    tx.update(completionRef, { exportedAt: createdAt });
    return { duplicate: false, rows, bytes, mails };
  });
}

/** Whether any member sent a message: a 1:1 chat's `wrote`, or one room member doc with `wrote` (1 read). */
async function anyoneWrote(db: Firestore, chatId: string, chat: ChatDoc): Promise<boolean> {
  if (chat.type !== "room") return writersOf(chat).length > 0;
  // A room made before writers were kept is exported and mailed as before.
  if (!chat.wroteTracked) return true;
  return !(await refs.members(db, chatId).where("wrote", "==", true).select().limit(1).get()).empty;
}

/** Members read per page when mailing a room's members. */
const MAIL_PAGE = 400;

/**
 * The uids of the members who wrote in the chat, a page at a time: of a 1:1 chat's two, those
 * in `wrote`; in a room, the member docs with `wrote: true` (every member of a room made before
 * writers were kept). Only they get the end-of-chat mail:
 * a stranger who opens a chat and ends it at once mails no one.
 */
async function* writerPages(db: Firestore, chatId: string, chat: ChatDoc): AsyncGenerator<string[]> {
  if (chat.type !== "room") {
    yield writersOf(chat);
    return;
  }
  const members = chat.wroteTracked ? refs.members(db, chatId).where("wrote", "==", true) : refs.members(db, chatId);
  let query = members.orderBy(FieldPath.documentId()).select().limit(MAIL_PAGE);
  for (;;) {
    const docs = (await query.get()).docs;
    if (docs.length > 0) yield docs.map((doc) => doc.id);
    if (docs.length < MAIL_PAGE) return;
    query = query.startAfter(docs[docs.length - 1]);
  }
}

/** One page of members {@link mailMembers} mails about an export. */
interface MailMembersOptions {
  /** The exported chat's id, for the links. */
  chatId: string;
  /** The chat as read: its type, title and members name it in the mail. */
  chat: ChatDoc;
  /** The members to mail (a page of the writers). */
  uids: string[];
  /** The export's rows, as the mail tells them. */
  rows: number;
  /** Where the mails' links point, and the members' verified addresses. */
  links: ExportLinks;
  /** The id of a member's mail doc, unique per export. */
  mailId: (uid: string) => string;
}

/**
 * Creates `mail/{mailId(uid)}` for each of `uids` with a verified e-mail address. Each mail is created
 * once, whichever run gets there first: a run that finds one already made skips it. Reads the
 * profiles of `uids` (in a 1:1 chat, of both members: the label names the other one).
 * @returns how many mails this run created.
 */
async function mailMembers(db: Firestore, options: MailMembersOptions) {
  const { chatId, chat, uids, rows, links, mailId } = options;
  if (uids.length === 0) return 0;
  const named = chat.type === "room" ? uids : (chat.members ?? []);
  const [users, emails] = await Promise.all([getAll(db, ...named.map((uid) => refs.user(db, uid))), links.emails(uids)]);
  const names = new Map(users.map((snap) => [snap.id, snap.data()?.displayName ?? ""]));
  // Someone without a name is "someone", never their uid: the mail outlives their account.
  const others = (uid: string) =>
    named.filter((other) => other !== uid).map((other) => quotedName(names.get(other) || "someone"));
  const writer = db.bulkWriter();
  writer.onWriteError(() => false);
  const created = uids.map(async (uid) => {
    const to = emails.get(uid);
    if (!to) return false;
    const mail = exportMail({
      to,
      uid,
      // Their own name, which only they pick.
      recipientName: names.get(uid) || "there",
      chatLabel: chat.title ? quotedName(chat.title) : `your chat with ${others(uid).join(" and ")}`,
      rows,
      exportUrl: `${links.apiUrl}/chats/${chatId}/export`,
      appChatUrl: `${links.appUrl}/chats/${chatId}`,
    });
    try {
      await writer.create(refs.mail(db, mailId(uid)), mail);
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      throw error;
    }
  });
  await writer.close();
  return (await Promise.all(created)).filter(Boolean).length;
}
