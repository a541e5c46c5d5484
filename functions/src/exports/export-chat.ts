import type { Bucket } from "@google-cloud/storage";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type ChatCompletionDoc, type ChatDoc, type ChatExport, type UserDoc } from "../shared/model.js";
import { exportMail } from "./export-mail.js";
import { writeHistoryCsv } from "./write-history-csv.js";

/** Where links in the mails point. */
export interface ExportLinks {
  apiUrl: string;
  appUrl: string;
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
 * then, in one transaction, records `export: {path, rows, bytes, createdAt}` on the chat,
 * marks `chat-completions/{chatId}.exportedAt`, and queues one `mail/` doc per member with an
 * e-mail address. Redelivered or concurrent runs write the same object and find `exportedAt`
 * set before mailing: exported and mailed once.
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

  return db.runTransaction(async (tx) => {
    const [completionSnap, chatSnap] = await tx.getAll(completionRef, refs.chat(db, chatId));
    const chat = chatSnap.data() as ChatDoc | undefined;
    if ((completionSnap.data() as ChatCompletionDoc | undefined)?.exportedAt || !chat) return nothing;
    const users = chat.members.length > 0 ? await tx.getAll(...chat.members.map((uid) => refs.user(db, uid))) : [];
    const createdAt = Timestamp.fromDate(now);
    const chatExport: ChatExport = { path, rows, bytes, createdAt };
    tx.update(chatSnap.ref, { export: chatExport });
    tx.update(completionRef, { exportedAt: createdAt });
    const names = users.map((snap, i) => (snap.data() as UserDoc | undefined)?.displayName || chat.members[i]);
    let mails = 0;
    users.forEach((snap, i) => {
      const user = snap.data() as UserDoc | undefined;
      if (!user?.email) return;
      const mail = exportMail({
        to: user.email,
        recipientName: user.displayName || "there",
        chatLabel: chat.title ? `"${chat.title}"` : `your chat with ${names.filter((_, j) => j !== i).join(" and ")}`,
        rows,
        exportUrl: `${links.apiUrl}/chats/${chatId}/export`,
        appChatUrl: `${links.appUrl}/chats/${chatId}`,
      });
      tx.create(refs.mail(db, `export-${chatId}-${chat.members[i]}`), mail);
      mails++;
    });
    return { duplicate: false, rows, bytes, mails };
  });
}
