import { pipeline } from "node:stream/promises";
import type { Bucket } from "@google-cloud/storage";
import archiver from "archiver";
import { FieldPath, Timestamp, type DocumentSnapshot, type Firestore, type Query } from "firebase-admin/firestore";
import { safeFileName } from "../files/safe-file-name.js";
import { hasGrpcStatus, grpcStatus, isAlreadyExists } from "../shared/errors.js";
import {
  personalExportMailId,
  refs,
  type MessageDoc,
  type PersonalExportDoc,
  type PersonalExportPhase,
} from "../shared/model.js";
import type { VerifiedEmails } from "../users/verified-emails.js";
import { personalExportMail } from "./personal-export-mail.js";
import { userRecords } from "./personal-records.js";

/** What one step of a personal data export needs. */
export interface PersonalExportStepOptions {
  /** The user whose data it is: `personal-exports/{uid}`. */
  uid: string;
  /** Where the parts and the ZIP go: `personal-exports/{uid}/{id}/`. */
  bucket: Bucket;
  now: Date;
  /** Messages read per step (the trigger passes 500). */
  pageSize: number;
  /** The links the mail gives, and the user's verified address. */
  links: { apiUrl: string; appUrl: string; emails: VerifiedEmails };
}

/** What a step did: `none` when there was nothing to do (not running, or another run got there first). */
export type PersonalExportStep = "none" | "page" | "ready";

/**
 * Does one step of user `uid`'s running export (`personal-exports/{uid}`), then writes the next
 * step there (which runs the trigger again), under the doc's update time as read: a second run
 * of the same step (a redelivered event, a retry) writes the same part and then loses the
 * precondition, so each step counts once.
 * - `messages`, `replies`: the next `pageSize` of their messages (collection group `messages`,
 *   then `replies`, where `from` is them, in path order after `cursor`) as JSON Lines in
 *   `personal-exports/{uid}/{id}/parts/{phase}-{n}.jsonl`; a short page ends the phase.
 * - `archive`: the ZIP (`personal-exports/{uid}/{id}/parley-data.zip`, {@link writeArchive}),
 *   then `ready`, a `mail/personal-export-{uid}-{id}` to their verified address (once), and the
 *   parts and any older export's objects deleted.
 */
export async function buildPersonalExportStep(db: Firestore, options: PersonalExportStepOptions): Promise<PersonalExportStep> {
  const snap = await refs.personalExport(db, options.uid).get();
  const doc = snap.data();
  if (doc?.status !== "running") return "none";
  const folder = `personal-exports/${options.uid}/${doc.id}`;
  const next =
    doc.phase === "archive" ? await finishExport(db, options, doc, folder) : await pageMessages(db, options, doc, folder);
  try {
    await snap.ref.update({ ...next }, { lastUpdateTime: snap.updateTime as Timestamp });
  } catch (error) {
    if (hasGrpcStatus(error, grpcStatus.failedPrecondition, grpcStatus.notFound)) return "none";
    throw error;
  }
  if (next.status === "ready") await queueMail(db, options, doc);
  return next.status === "ready" ? "ready" : "page";
}

/** The collection group each paging phase reads. */
function groupOf(db: Firestore, phase: Exclude<PersonalExportPhase, "archive">): Query<MessageDoc> {
  return phase === "messages" ? refs.messageGroup(db) : refs.replyGroup(db);
}

/** One page of the phase's messages into a part; the doc's next state. */
async function pageMessages(
  db: Firestore,
  options: PersonalExportStepOptions,
  doc: PersonalExportDoc,
  folder: string,
): Promise<Partial<PersonalExportDoc>> {
  const phase = doc.phase === "messages" ? "messages" : "replies";
  let query = groupOf(db, phase).where("from", "==", options.uid).orderBy(FieldPath.documentId()).limit(options.pageSize);
  if (doc.cursor) query = query.startAfter(db.doc(doc.cursor));
  const docs = (await query.get()).docs;
  const page = doc.pages[phase] + 1;
  if (docs.length > 0) {
    const lines = docs.map((snap) => `${JSON.stringify(messageRecord(snap))}\n`).join("");
    await options.bucket.file(`${folder}/parts/${phase}-${page}.jsonl`).save(lines, {
      resumable: false,
      contentType: "application/x-ndjson",
    });
  }
  const files = docs.filter((snap) => snap.data().file).length;
  const done = docs.length < options.pageSize;
  return {
    phase: done ? (phase === "messages" ? "replies" : "archive") : phase,
    cursor: done ? null : docs[docs.length - 1].ref.path,
    pages: { ...doc.pages, [phase]: docs.length > 0 ? page : doc.pages[phase] },
    counts: { ...doc.counts, [phase]: doc.counts[phase] + docs.length, files: doc.counts.files + files },
  };
}

/**
 * One message of theirs as the export writes it: where it is, what it said and when. A file is
 * named by where the ZIP holds it (`files/{chatId}/{number}-{name}`); search words are left out.
 */
export function messageRecord(snap: DocumentSnapshot<MessageDoc>): Record<string, unknown> {
  const message = snap.data() as MessageDoc;
  const chatId = chatIdOf(snap.ref.path);
  const thread = snap.ref.parent.id === "replies" ? Number(snap.ref.parent.parent?.id) : undefined;
  const { words: _words, from: _from, clientMessageId: _key, file, ...kept } = message;
  return plain({
    chatId,
    ...(thread !== undefined && { thread }),
    ...kept,
    ...(file && {
      file: {
        name: file.name,
        contentType: file.contentType,
        size: file.size,
        path: file.path,
        zipPath: zipPathOf(chatId, thread, message),
      },
    }),
  }) as Record<string, unknown>;
}

/** The chat id in a message's or a reply's path (`chats/{chatId}/...`). */
function chatIdOf(path: string): string {
  return path.split("/")[1];
}

/** Where the ZIP holds a message's file: `files/{chatId}/{number}-{name}` (a reply's: `{thread}.{number}-{name}`). */
function zipPathOf(chatId: string, thread: number | undefined, message: MessageDoc): string {
  const number = thread === undefined ? `${message.number}` : `${thread}.${message.number}`;
  return `files/${safeFileName(chatId)}/${number}-${safeFileName(message.file?.name ?? "file")}`;
}

/**
 * `value` with every Firestore timestamp as an ISO 8601 string, for JSON.
 */
export function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

/** Writes the ZIP, deletes the parts and older exports; the doc's `ready` state. */
async function finishExport(
  db: Firestore,
  options: PersonalExportStepOptions,
  doc: PersonalExportDoc,
  folder: string,
): Promise<Partial<PersonalExportDoc>> {
  const path = `${folder}/parley-data.zip`;
  const records = await userRecords(db, options.uid);
  await writeArchive({ bucket: options.bucket, folder, path, doc, records });
  const [metadata] = await options.bucket.file(path).getMetadata();
  const [objects] = await options.bucket.getFiles({ prefix: `personal-exports/${options.uid}/` });
  await Promise.all(objects.filter((object) => object.name !== path).map((object) => object.delete({ ignoreNotFound: true })));
  return { status: "ready", path, bytes: Number(metadata.size), readyAt: Timestamp.fromDate(options.now) };
}

/** What {@link writeArchive} puts in the ZIP. */
interface ArchiveInput {
  bucket: Bucket;
  folder: string;
  path: string;
  doc: PersonalExportDoc;
  /** `{name}.json` entries: profile, settings, blocks, memberships. */
  records: Record<string, unknown>;
}

/**
 * Streams the ZIP to `path`: a README, each record as `{name}.json`, `messages.jsonl` and
 * `replies.jsonl` (the parts, in order), then each file they sent, read from the bucket.
 */
async function writeArchive(input: ArchiveInput): Promise<void> {
  const { bucket, folder, path, doc, records } = input;
  const archive = archiver("zip", { zlib: { level: 6 } });
  const upload = pipeline(archive, bucket.file(path).createWriteStream({ resumable: false, contentType: "application/zip" }));
  archive.append(readme(doc), { name: "README.txt" });
  for (const [name, record] of Object.entries(records))
    archive.append(JSON.stringify(plain(record), null, 2), { name: `${name}.json` });
  const files: { path: string; zipPath: string }[] = [];
  for (const phase of ["messages", "replies"] as const) {
    const parts = Array.from({ length: doc.pages[phase] }, (_, i) => `${folder}/parts/${phase}-${i + 1}.jsonl`);
    const contents = await Promise.all(parts.map(async (part) => (await bucket.file(part).download())[0]));
    for (const content of contents) {
      for (const line of content.toString("utf8").split("\n")) {
        const file = line ? (JSON.parse(line) as { file?: { path: string; zipPath: string } }).file : undefined;
        if (file) files.push(file);
      }
    }
    archive.append(Buffer.concat(contents), { name: `${phase}.jsonl` });
  }
  for (const file of files) archive.append(bucket.file(file.path).createReadStream(), { name: file.zipPath });
  await archive.finalize();
  await upload;
}

/** The ZIP's README.txt: what each entry is. */
function readme(doc: PersonalExportDoc): string {
  return [
    `Your Parley data, as asked for on ${doc.requestedAt.toDate().toISOString()}.`,
    "",
    "profile.json      your profile",
    "settings.json     your settings: privacy, read receipts, muted users, your state of each 1:1 chat",
    "blocks.json       the users you blocked",
    "memberships.json  your 1:1 chats and rooms",
    "messages.jsonl    every message you sent, one JSON object a line",
    "replies.jsonl     every thread reply you sent",
    "files/            the files you sent, by chat and message number",
    "",
  ].join("\n");
}

/** Queues the mail that the export is ready, once, to their verified address (none: no mail). */
async function queueMail(db: Firestore, options: PersonalExportStepOptions, doc: PersonalExportDoc): Promise<void> {
  const to = (await options.links.emails([options.uid])).get(options.uid);
  if (!to) return;
  const mail = personalExportMail({ to, appUrl: options.links.appUrl, apiUrl: options.links.apiUrl });
  try {
    await refs.mail(db, personalExportMailId(options.uid, doc.id)).create(mail);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}
