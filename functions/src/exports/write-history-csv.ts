import { once } from "node:events";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Bucket } from "@google-cloud/storage";
import { stringify } from "csv-stringify";
import type { Firestore } from "firebase-admin/firestore";
import { getAll, refs, type MessageDoc } from "../shared/model.js";

/** Messages read per page: the export holds one page (and the names met so far) in memory. */
export const EXPORT_PAGE_SIZE = 1000;

/** The CSV's columns, in order. */
export const EXPORT_COLUMNS = ["number", "sent at", "sender uid", "sender name", "type", "text", "file name"];

/**
 * Streams chat `chatId`'s whole history, in number order, as CSV (csv-stringify; a header row,
 * then one row per message: number, sent at in ISO 8601 UTC, sender uid, sender name, type,
 * text, file name) into the object `path`. Reads `chats/{chatId}/messages` page by page
 * ({@link EXPORT_PAGE_SIZE}) and `users/{uid}` once per sender, so memory stays bounded however
 * long the chat is. System messages have no sender; deleted messages keep their row, empty.
 * Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
 * are prefixed with `'` (csv-stringify's `escape_formulas`).
 * @returns the number of message rows and the object's size in bytes.
 */
export async function writeHistoryCsv(
  db: Firestore,
  bucket: Bucket,
  chatId: string,
  path: string,
): Promise<{ rows: number; bytes: number }> {
  // A cell starting with = + - @ (or a tab or CR) gets a leading quote, so spreadsheets never run it.
  const csv = stringify({ header: true, columns: EXPORT_COLUMNS, escape_formulas: true });
  let bytes = 0;
  const counter = new PassThrough();
  counter.on("data", (chunk: Buffer) => (bytes += chunk.length));
  const upload = pipeline(
    csv,
    counter,
    bucket.file(path).createWriteStream({ resumable: false, contentType: "text/csv; charset=utf-8" }),
  );

  const names = new Map<string, string>();
  let rows = 0;
  try {
    for (let page = refs.messages(db, chatId).orderBy("number").limit(EXPORT_PAGE_SIZE); ;) {
      const docs = (await page.get()).docs;
      const messages = docs.map((doc) => doc.data());
      await learnNames(db, names, messages);
      for (const message of messages) {
        if (!csv.write(row(message, names))) await once(csv, "drain");
        rows++;
      }
      if (docs.length < EXPORT_PAGE_SIZE) break;
      page = page.startAfter(docs[docs.length - 1]);
    }
    csv.end();
  } catch (error) {
    csv.destroy(error as Error);
  }
  await upload;
  return { rows, bytes };
}

function row(message: MessageDoc, names: Map<string, string>): string[] {
  return [
    String(message.number),
    message.createdAt.toDate().toISOString(),
    message.from ?? "",
    message.from ? (names.get(message.from) ?? "") : "",
    message.deleted ? "deleted" : message.type,
    message.text,
    message.file?.name ?? "",
  ];
}

/** Adds the display names of this page's senders not seen before (one `getAll`). */
async function learnNames(db: Firestore, names: Map<string, string>, messages: MessageDoc[]): Promise<void> {
  const unknown = [...new Set(messages.map((message) => message.from))].filter(
    (uid): uid is string => uid !== null && !names.has(uid),
  );
  if (unknown.length === 0) return;
  const users = await getAll(db, ...unknown.map((uid) => refs.user(db, uid)));
  users.forEach((snap, i) => names.set(unknown[i], snap.data()?.displayName ?? ""));
}
