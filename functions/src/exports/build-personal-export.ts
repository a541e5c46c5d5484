import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Bucket } from "@google-cloud/storage";
import archiver from "archiver";
import { FieldPath, Timestamp, type DocumentSnapshot, type Firestore, type Query } from "firebase-admin/firestore";
import { safeFileName } from "../files/safe-file-name.js";
import { hasGrpcStatus, grpcStatus } from "../shared/errors.js";
import {
  collections,
  DELETED_USER,
  personalExportMailId,
  refs,
  type MessageDoc,
  type PersonalExportDoc,
  type PersonalExportPhase,
} from "../shared/model.js";
import type { VerifiedEmails } from "../users/verified-emails.js";
import { personalExportMail } from "./personal-export-mail.js";
import { userRecords, type UserRecords } from "./personal-records.js";

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
 * step there (which runs the trigger again), under the doc's update time as read. Each run
 * writes its own objects (named with a run id), and only the run that commits has its objects
 * named in the doc; so a second run of the same step (a redelivered event, a retry, a nudge)
 * changes nothing, and a run that crashes leaves the doc as it was, to be done again.
 * - `messages`, `replies`: the next `pageSize` of their messages (collection group `messages`,
 *   then `replies`, where `from` is them, in path order after `cursor`) as JSON Lines in
 *   `personal-exports/{uid}/{id}/parts/{phase}-{n}-{run}.jsonl`; a short page ends the phase.
 * - `archive`: the ZIP (`personal-exports/{uid}/{id}/parley-data-{run}.zip`, {@link writeArchive}),
 *   then, in one transaction, `ready` and `mail/personal-export-{uid}-{id}` to their verified
 *   address; only then are the parts and every older object under `personal-exports/{uid}/` deleted.
 */
export async function buildPersonalExportStep(db: Firestore, options: PersonalExportStepOptions): Promise<PersonalExportStep> {
  const snap = await refs.personalExport(db, options.uid).get();
  const doc = snap.data();
  if (doc?.status !== "running") return "none";
  const run = { folder: `personal-exports/${options.uid}/${doc.id}`, id: randomUUID().slice(0, 8) };
  if (doc.phase === "archive") return finishExport(db, options, snap, run);
  const next = await pageMessages(db, options, doc, run);
  try {
    await snap.ref.update({ ...next }, { lastUpdateTime: snap.updateTime as Timestamp });
  } catch (error) {
    if (!hasGrpcStatus(error, grpcStatus.failedPrecondition, grpcStatus.notFound)) throw error;
    // Lost to another run, or the export is gone (its account erased meanwhile): drop this run's part.
    const mine = Object.values(next.parts ?? {})
      .flat()
      .filter((part) => part.endsWith(`-${run.id}.jsonl`));
    await Promise.all(mine.map((part) => options.bucket.file(part).delete({ ignoreNotFound: true })));
    return "none";
  }
  return "page";
}

/** `known` and the uids in `found`, once each, without `uid` itself and the deleted-user marker. */
function othersOf(uid: string, known: string[] | undefined, found: (string | null)[]): string[] {
  const others = new Set(known ?? []);
  for (const other of found) if (other && other !== uid && other !== DELETED_USER) others.add(other);
  return [...others];
}

/** The uids `userRecords` names: whom they blocked and muted, and the other members of their 1:1 chats. */
function recordsNamed(records: UserRecords): string[] {
  return [
    ...records.blocks.map((block) => block.blocked),
    ...Object.keys(records.settings.mutedUsers ?? {}),
    ...records.memberships.directChats.flatMap((chat) => chat.with),
  ];
}

/** The collection group each paging phase reads. */
function groupOf(db: Firestore, phase: Exclude<PersonalExportPhase, "archive">): Query<MessageDoc> {
  return phase === "messages" ? refs.messageGroup(db) : refs.replyGroup(db);
}

/** One run's Storage folder and its id (the suffix of the objects it writes). */
interface Run {
  folder: string;
  id: string;
}

/** One page of the phase's messages into a part; the doc's next state. */
async function pageMessages(
  db: Firestore,
  options: PersonalExportStepOptions,
  doc: PersonalExportDoc,
  run: Run,
): Promise<Partial<PersonalExportDoc>> {
  const phase = doc.phase === "messages" ? "messages" : "replies";
  let query = groupOf(db, phase).where("from", "==", options.uid).orderBy(FieldPath.documentId()).limit(options.pageSize);
  if (doc.cursor) query = query.startAfter(db.doc(doc.cursor));
  const docs = (await query.get()).docs;
  const parts = [...doc.parts[phase]];
  if (docs.length > 0) {
    const part = `${run.folder}/parts/${phase}-${parts.length + 1}-${run.id}.jsonl`;
    const lines = docs.map((snap) => `${JSON.stringify(messageRecord(snap, options.uid))}\n`).join("");
    await options.bucket.file(part).save(lines, { resumable: false, contentType: "application/x-ndjson" });
    parts.push(part);
  }
  const files = docs.filter((snap) => snap.data().file).length;
  const done = docs.length < options.pageSize;
  const named = docs.flatMap((snap) => [snap.data().reference?.from ?? null, ...(snap.data().mentions ?? [])]);
  return {
    others: othersOf(options.uid, doc.others, named),
    phase: done ? (phase === "messages" ? "replies" : "archive") : phase,
    cursor: done ? null : docs[docs.length - 1].ref.path,
    parts: { ...doc.parts, [phase]: parts },
    counts: { ...doc.counts, [phase]: doc.counts[phase] + docs.length, files: doc.counts.files + files },
  };
}

/**
 * One message of user `uid`'s as the export writes it: where it is, what it said and when, and
 * nothing of other people's but their uids: a quoted message's preview only when it is their
 * own, no poll's voters (the counts stay), a thread's summary without its repliers. A file is
 * named by where the ZIP holds it (`files/{chatId}/{number}-{name}`, a reply's
 * `{threadOf}.{number}-{name}`); search words and the idempotency key are left out.
 */
export function messageRecord(snap: DocumentSnapshot<MessageDoc>, uid: string): Record<string, unknown> {
  const message = snap.data() as MessageDoc;
  const chatId = snap.ref.path.split("/")[1];
  const { words: _words, from: _from, clientMessageId: _key, file, reference, poll, thread, ...kept } = message;
  const zipName = `${message.threadOf !== undefined && snap.ref.parent.id === collections.replies ? `${message.threadOf}.` : ""}${message.number}`;
  return plain({
    chatId,
    ...kept,
    ...(reference && { reference: reference.from === uid ? reference : { ...reference, preview: undefined } }),
    ...(poll && { poll: { ...poll, voters: undefined } }),
    ...(thread && { thread: { replyCount: thread.replyCount, lastReplyAt: thread.lastReplyAt } }),
    ...(file && {
      file: {
        name: file.name,
        contentType: file.contentType,
        size: file.size,
        path: file.path,
        zipPath: `files/${safeFileName(chatId)}/${zipName}-${safeFileName(file.name)}`,
      },
    }),
  }) as Record<string, unknown>;
}

/** `value` with every Firestore timestamp as an ISO 8601 string and `undefined` fields left out, for JSON. */
export function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined)
        .map(([key, inner]) => [key, plain(inner)]),
    );
  }
  return value;
}

/**
 * The ZIP step: writes the ZIP, then in one transaction (if the doc is still as read) marks it
 * `ready` and queues the mail; then deletes everything under `personal-exports/{uid}/` but the
 * ZIP. A run that lost deletes its own ZIP.
 */
async function finishExport(
  db: Firestore,
  options: PersonalExportStepOptions,
  snap: DocumentSnapshot<PersonalExportDoc>,
  run: Run,
): Promise<PersonalExportStep> {
  const doc = snap.data() as PersonalExportDoc;
  const path = `${run.folder}/parley-data-${run.id}.zip`;
  const [to, records] = await Promise.all([
    options.links.emails([options.uid]).then((emails) => emails.get(options.uid)),
    userRecords(db, options.uid),
  ]);
  await writeArchive({ bucket: options.bucket, path, doc, records });
  const [metadata] = await options.bucket.file(path).getMetadata();
  const won = await db.runTransaction(async (tx) => {
    const now = await tx.get(snap.ref);
    if (now.updateTime?.toMillis() !== snap.updateTime?.toMillis() || now.data()?.status !== "running") return false;
    const readyAt = Timestamp.fromDate(options.now);
    const others = othersOf(options.uid, doc.others, recordsNamed(records));
    tx.update(snap.ref, { status: "ready", path, bytes: Number(metadata.size), readyAt, others });
    if (to) {
      const mail = personalExportMail({ to, uid: options.uid, appUrl: options.links.appUrl, apiUrl: options.links.apiUrl });
      tx.set(refs.mail(db, personalExportMailId(options.uid, doc.id)), mail);
    }
    return true;
  });
  if (!won) {
    await options.bucket.file(path).delete({ ignoreNotFound: true });
    return "none";
  }
  const [objects] = await options.bucket.getFiles({ prefix: `personal-exports/${options.uid}/` });
  await Promise.all(objects.filter((object) => object.name !== path).map((object) => object.delete({ ignoreNotFound: true })));
  return "ready";
}

/** What {@link writeArchive} puts in the ZIP. */
interface ArchiveInput {
  bucket: Bucket;
  path: string;
  doc: PersonalExportDoc;
  /** `{name}.json` entries: profile, settings, blocks, memberships. */
  records: Record<string, unknown>;
}

/** A file the ZIP holds: where it is in the bucket, and in the ZIP. */
interface FileEntry {
  path: string;
  zipPath: string;
}

/**
 * Streams the ZIP to `path`: a README, each record as `{name}.json`, `messages.jsonl` and
 * `replies.jsonl` (the parts, streamed in order), then each file they sent that still exists
 * (stored, not compressed again), and `missing-files.txt` naming any that no longer does.
 */
async function writeArchive(input: ArchiveInput): Promise<void> {
  const { bucket, path, doc, records } = input;
  const archive = archiver("zip", { zlib: { level: 6 } });
  const upload = pipeline(archive, bucket.file(path).createWriteStream({ resumable: false, contentType: "application/zip" }));
  try {
    archive.append(readme(doc), { name: "README.txt" });
    for (const [name, record] of Object.entries(records))
      archive.append(JSON.stringify(plain(record), null, 2), { name: `${name}.json` });
    const files: FileEntry[] = [];
    for (const phase of ["messages", "replies"] as const) {
      const lines = new PassThrough();
      archive.append(lines, { name: `${phase}.jsonl` });
      await copyParts(bucket, doc.parts[phase], lines, files);
    }
    const missing: string[] = [];
    for (const file of files) {
      const object = bucket.file(file.path);
      if ((await object.exists())[0]) archive.append(object.createReadStream(), { name: file.zipPath, store: true });
      else missing.push(file.zipPath);
    }
    if (missing.length > 0)
      archive.append(`Deleted since they were sent:\n${missing.join("\n")}\n`, { name: "missing-files.txt" });
    await Promise.all([archive.finalize(), upload]);
  } catch (error) {
    archive.abort();
    await upload.catch(() => undefined);
    throw error;
  }
}

/** Streams `parts` into `lines` one after another, noting each message's file; ends `lines`. */
async function copyParts(bucket: Bucket, parts: string[], lines: PassThrough, files: FileEntry[]): Promise<void> {
  for (const part of parts) {
    let rest = "";
    for await (const chunk of bucket.file(part).createReadStream()) {
      const text = rest + (chunk as Buffer).toString("utf8");
      const cut = text.lastIndexOf("\n") + 1;
      for (const line of text.slice(0, cut).split("\n")) {
        const file = line ? (JSON.parse(line) as { file?: FileEntry }).file : undefined;
        if (file) files.push({ path: file.path, zipPath: file.zipPath });
      }
      rest = text.slice(cut);
      if (!lines.write(text.slice(0, cut))) await new Promise((resolve) => lines.once("drain", resolve));
    }
  }
  lines.end();
}

/** The ZIP's README.txt: what each entry is. */
function readme(doc: PersonalExportDoc): string {
  return [
    `Your Parley data, as asked for on ${doc.requestedAt.toDate().toISOString()}.`,
    "",
    "profile.json       your profile",
    "settings.json      your settings: privacy, read receipts, muted users, your state of each 1:1 chat",
    "blocks.json        the users you blocked",
    "memberships.json   your 1:1 chats and rooms",
    "messages.jsonl     every message you sent, one JSON object a line",
    "replies.jsonl      every thread reply you sent",
    "files/             the files you sent, by chat and message number",
    "missing-files.txt  files deleted since they were sent (only when there are some)",
    "",
  ].join("\n");
}
