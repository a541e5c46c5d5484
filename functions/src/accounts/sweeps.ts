import type { Bucket } from "@google-cloud/storage";
import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type WriteBatch,
} from "firebase-admin/firestore";
import { writeHistoryCsv } from "../exports/write-history-csv.js";
import { deleteMessage, type DeleteObjects } from "../messages/delete-message.js";
import { removeReaction } from "../reactions/react.js";
import { leaveRoom } from "../rooms/leave-room.js";
import { AppError } from "../shared/errors.js";
import { collections, DELETED_USER, getAll, refs, type DeletionMessagePolicy } from "../shared/model.js";

// Design note. Erasing an account is a list of sweeps, run in order, each in pages. A sweep is
// a query for the docs that still hold the uid and the writes that make each doc leave that
// query (delete it, drop the uid from a field, put `DELETED_USER` in its place). So a page is
// always "the first page of what is left": no cursor to keep, and a page run twice (a retried
// event) finds nothing it already did. Sweeps that go through another operation (leaving a room
// hands the host on; "delete for everyone" removes files) commit through it before their page's
// batch; those operations are idempotent too.

/** What every sweep gets: the account, the time, and how messages go. */
export interface SweepContext {
  db: Firestore;
  uid: string;
  /** The job's id (`account-deletions/{jobId}`, the uid's hash): marks chats whose export it rewrites. */
  jobId: string;
  now: Date;
  messages: DeletionMessagePolicy;
  /** The default bucket: chat exports are rewritten there. */
  bucket: Bucket;
  /** Removes Cloud Storage objects (a deleted message's file and thumbnail). */
  deleteObjects: DeleteObjects;
  /** The account's display name, as system messages wrote it (replaced by "Deleted user"). */
  name: string;
}

/** One step of an erasure: see the design note above. */
export interface Sweep {
  name: string;
  /** At most this many docs a page, below `ACCOUNT_DELETION_PAGE_SIZE` (for heavy docs); default that size. */
  pageSize?: number;
  /** The docs still holding the uid: every doc `write` handles leaves this query. */
  query: (ctx: SweepContext) => Query;
  /** Work that commits on its own before the page's batch (another operation); default none. */
  before?: (ctx: SweepContext, docs: QueryDocumentSnapshot[]) => Promise<void>;
  /** Adds one doc's writes to the page's batch (after a read, for some). */
  write: (ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot) => void | Promise<void>;
}

/** The label views show for a deleted account's name. */
export const DELETED_NAME = "Deleted user";

const remove = (_ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): void => {
  batch.delete(doc.ref);
};
const group = (ctx: SweepContext, name: string) => ctx.db.collectionGroup(name);
const top = (ctx: SweepContext, name: string) => ctx.db.collection(name);
const uidField = (field: string) => (ctx: SweepContext) => ({ field, uid: ctx.uid });

/** Deletes `chats/{chatId}/hidden/{uid}` and `typing/{uid}` of a chat the account leaves. */
function removeChatState(ctx: SweepContext, batch: WriteBatch, chatId: string): void {
  batch.delete(refs.hidden(ctx.db, chatId, ctx.uid));
  batch.delete(refs.typing(ctx.db, chatId, ctx.uid));
}

/** A 1:1 chat's fields keyed by member uid. */
const DIRECT_MAPS = ["unread", "lastRead", "delivered", "threadsUnread", "mentioned", "sendRate", "mutedUntil"];

/** Whether no one keeps the 1:1 chat once the account is gone: its other member was erased before. */
const keptByNoOne = (ctx: SweepContext, doc: QueryDocumentSnapshot) =>
  (doc.get("members") as string[]).every((member) => member === ctx.uid || member === DELETED_USER);

/**
 * A 1:1 chat whose other member was erased before is kept by no one: it goes whole, as a purge
 * does (the doc, its subcollections, its Storage folders `chats/{chatId}/` and `exports/{chatId}/`,
 * its `ended-chats` record), and so do the docs that name it (its push events and reports; its
 * audit entries lose `chatId`), since its id holds both uids.
 */
async function deleteChatsOfTheDeleted(ctx: SweepContext, docs: QueryDocumentSnapshot[]): Promise<void> {
  for (const doc of docs.filter((chat) => keptByNoOne(ctx, chat))) {
    await Promise.all(
      [`chats/${doc.id}/`, `exports/${doc.id}/`].map((prefix) => ctx.bucket.deleteFiles({ prefix, force: true })),
    );
    const naming = [collections.pushEvents, collections.reports].map((name) => top(ctx, name).where("chatId", "==", doc.id));
    const audited = top(ctx, collections.moderationAudit).where("chatId", "==", doc.id);
    const writes: ((batch: WriteBatch) => void)[] = [
      ...(await Promise.all(naming.map((query) => query.get()))).flatMap((found) =>
        found.docs.map((hit) => (batch: WriteBatch) => batch.delete(hit.ref)),
      ),
      ...(await audited.get()).docs.map((hit) => (batch: WriteBatch) => batch.update(hit.ref, { chatId: FieldValue.delete() })),
      (batch) => batch.delete(ctx.db.collection(collections.endedChats).doc(doc.id)),
    ];
    for (let i = 0; i < writes.length; i += 400) {
      const batch = ctx.db.batch();
      for (const write of writes.slice(i, i + 400)) write(batch);
      await batch.commit();
    }
    await ctx.db.recursiveDelete(doc.ref);
  }
}

/** The 1:1 chat without the account: the other member keeps it, read-only (ended); its CSV export is marked to be written again. */
function scrubDirectChat(ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): void {
  if (keptByNoOne(ctx, doc)) return;
  const data = doc.data();
  const members = (data.members as string[]).map((member) => (member === ctx.uid ? DELETED_USER : member));
  const request = data.request as { from: string; to: string } | undefined;
  const fields: Record<string, unknown> = {
    members,
    inbox: FieldValue.arrayRemove(ctx.uid),
    wrote: FieldValue.arrayRemove(ctx.uid),
    blockedBy: FieldValue.delete(),
    ...(request && (request.from === ctx.uid || request.to === ctx.uid) && { request: FieldValue.delete() }),
    ...(data.status !== "ended" && { status: "ended", endedAt: Timestamp.fromDate(ctx.now) }),
    // A CSV whose rows retention has since deleted from the chat still names the account.
    ...(data.export !== undefined && { exportRewrites: FieldValue.arrayUnion(ctx.jobId) }),
  };
  const more: unknown[] = DIRECT_MAPS.flatMap((map) => [new FieldPath(map, ctx.uid), FieldValue.delete()]);
  batch.update(doc.ref, fields);
  batch.update(doc.ref, ...(more as [FieldPath, unknown]));
  removeChatState(ctx, batch, doc.id);
}

/** The account's own message: gone for everyone first under `delete`, then without its uid. */
async function deleteOwnMessages(ctx: SweepContext, docs: QueryDocumentSnapshot[]): Promise<void> {
  if (ctx.messages !== "delete") return;
  for (const doc of docs) {
    if (doc.get("deleted") === true || doc.get("type") === "system") continue;
    const chatId = doc.ref.parent.parent?.id ?? "";
    const number = doc.get("number") as number;
    await deleteMessage(ctx.db, {
      deleteObjects: ctx.deleteObjects,
      now: ctx.now,
      caller: { uid: DELETED_USER, moderator: true },
      chatId,
      number,
      audited: false,
    });
  }
}

/** A thread reply of the account's: under `delete`, blanked and its file removed; then without its uid. */
async function deleteOwnReplies(ctx: SweepContext, docs: QueryDocumentSnapshot[]): Promise<void> {
  if (ctx.messages !== "delete") return;
  const paths = docs.flatMap((doc) => {
    const file = doc.get("file") as { path: string; thumbnail?: { path: string } } | undefined;
    return file ? [file.path, ...(file.thumbnail ? [file.thumbnail.path] : [])] : [];
  });
  if (paths.length > 0) await ctx.deleteObjects(paths);
}

/** Writes the anonymised sender, and under `delete` the tombstone of a reply. */
function anonymiseReply(ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): void {
  const gone = ctx.messages === "delete" && doc.get("type") !== "system";
  batch.update(doc.ref, {
    from: DELETED_USER,
    ...(gone && {
      text: "",
      deleted: true,
      deletedAt: Timestamp.fromDate(ctx.now),
      file: FieldValue.delete(),
      reference: FieldValue.delete(),
      words: FieldValue.delete(),
    }),
  });
}

/**
 * Marks each chat of `docs` (its messages) that has a CSV export, for the `chat-exports` sweep to
 * write again once the account's messages are anonymised: the CSV names senders by uid. Reads
 * the docs' chats (one `getAll`); one batch when any is new to this job.
 */
async function markExports(ctx: SweepContext, docs: QueryDocumentSnapshot[]): Promise<void> {
  const chatIds = [...new Set(docs.map((doc) => doc.ref.parent.parent?.id ?? ""))].filter(Boolean);
  if (chatIds.length === 0) return;
  const chats = await getAll(ctx.db, ...chatIds.map((id) => refs.chat(ctx.db, id)));
  const unmarked = chats.filter((snap) => snap.data()?.export?.path && !snap.data()?.exportRewrites?.includes(ctx.jobId));
  if (unmarked.length === 0) return;
  const batch = ctx.db.batch();
  for (const snap of unmarked) batch.update(snap.ref, { exportRewrites: FieldValue.arrayUnion(ctx.jobId) });
  await batch.commit();
}

/** The chat's CSV export written again from its messages, now without the account; then unmarked. */
async function rewriteExport(ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): Promise<void> {
  const path = doc.get("export.path") as string | undefined;
  const fields: Record<string, unknown> = { exportRewrites: FieldValue.arrayRemove(ctx.jobId) };
  if (path) {
    const { rows, bytes } = await writeHistoryCsv(ctx.db, ctx.bucket, doc.id, path);
    Object.assign(fields, { "export.rows": rows, "export.bytes": bytes });
  }
  batch.update(doc.ref, fields);
}

/** A report the account filed goes, and its id (`{chatId}-{number}-{reporterUid}`) leaves the audit entries naming it. */
async function removeReport(ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): Promise<void> {
  batch.delete(doc.ref);
  const audited = await top(ctx, collections.moderationAudit).where("reportId", "==", doc.id).get();
  for (const entry of audited.docs) batch.update(entry.ref, { reportId: FieldValue.delete() });
}

/** Leaves each room the account is a member of (a host hands it on), through `leaveRoom`. */
async function leaveRooms(ctx: SweepContext, docs: QueryDocumentSnapshot[]): Promise<void> {
  for (const doc of docs) {
    const chatId = doc.get("chatId") as string;
    try {
      await leaveRoom(ctx.db, { now: ctx.now, callerUid: ctx.uid, chatId, findUser: () => Promise.resolve(null) });
    } catch (error) {
      // Left meanwhile (a retried page): the member doc is gone, which is what this sweep wants.
      if (!(error instanceof AppError && error.code === "not-found")) throw error;
    }
  }
}

/** Takes back each reaction of the account's (counts follow); one on a gone message is just deleted. */
async function takeBackReactions(ctx: SweepContext, docs: QueryDocumentSnapshot[]): Promise<void> {
  for (const doc of docs) {
    const chatId = doc.ref.parent.parent?.id ?? "";
    const reaction = { uid: ctx.uid, chatId, number: doc.get("number") as number, emoji: doc.get("emoji") as string };
    try {
      await removeReaction(ctx.db, reaction);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
  }
}

/** The vote leaves the poll's lists of voters (read first: a deleted poll has none); the poll keeps counting it, with no name. */
async function removeVote(ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): Promise<void> {
  batch.delete(doc.ref);
  const chatId = doc.ref.parent.parent?.id ?? "";
  const message = await refs.message(ctx.db, chatId, doc.get("number") as number).get();
  const voters = message.data()?.poll?.voters;
  if (!voters) return;
  const listed = Object.keys(voters).filter((option) => voters[option]?.includes(ctx.uid));
  const writes = listed.flatMap((option) => [new FieldPath("poll", "voters", option), FieldValue.arrayRemove(ctx.uid)]);
  if (writes.length > 0) batch.update(message.ref, ...(writes as [FieldPath, unknown]));
}

/** A system message about the account: no uid, and "Deleted user" for its name in the text. */
function anonymiseSystemMessage(ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): void {
  const text = doc.get("text") as string;
  const renamed = ctx.name && text.startsWith(ctx.name) ? DELETED_NAME + text.slice(ctx.name.length) : text;
  batch.update(doc.ref, { "event.uid": null, text: renamed });
}

/** Replaces the account's uid in `field` of the doc with {@link DELETED_USER}. */
const mark =
  (field: string) =>
  (_ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot): void => {
    batch.update(doc.ref, field, DELETED_USER);
  };

/** Removes the account's uid from the arrays `fields` of the doc. */
const pull =
  (...fields: string[]) =>
  (ctx: SweepContext, batch: WriteBatch, doc: QueryDocumentSnapshot) => {
    const writes = fields.flatMap((field) => [field, FieldValue.arrayRemove(ctx.uid)]);
    batch.update(doc.ref, ...(writes as [string, unknown]));
  };

const where = (q: Query<DocumentData>, f: ReturnType<ReturnType<typeof uidField>>) => q.where(f.field, "==", f.uid);
const holds = (q: Query<DocumentData>, field: string, uid: string) => q.where(field, "array-contains", uid);

/**
 * Every sweep of an erasure, in order: rooms first (leaving writes system messages about the
 * account, which a later sweep anonymises). The account's own docs go with the job's last
 * page (`finishErasure`): the profile gives system messages' name until then.
 */
export const sweeps: Sweep[] = [
  // Before the account leaves its chats: taking a reaction back needs its membership.
  {
    name: "reactions",
    query: (ctx) => where(group(ctx, collections.reactions), uidField("uid")(ctx)),
    before: takeBackReactions,
    write: remove,
  },
  {
    name: "rooms",
    query: (ctx) => where(group(ctx, collections.members), uidField("uid")(ctx)),
    before: leaveRooms,
    write: (ctx, batch, doc) => {
      // Gone already when leaving worked; a member doc of a room that is gone stays otherwise.
      batch.delete(doc.ref);
      removeChatState(ctx, batch, doc.get("chatId") as string);
    },
  },
  {
    name: "direct-chats",
    query: (ctx) => holds(top(ctx, collections.chats), "members", ctx.uid),
    before: deleteChatsOfTheDeleted,
    write: scrubDirectChat,
  },
  // "Delete for me" lists of chats the account left earlier (those of chats it is in went above).
  { name: "hidden", query: (ctx) => where(group(ctx, collections.hidden), uidField("uid")(ctx)), write: remove },
  {
    name: "messages",
    query: (ctx) => where(group(ctx, collections.messages), uidField("from")(ctx)),
    before: async (ctx, docs) => {
      await markExports(ctx, docs);
      await deleteOwnMessages(ctx, docs);
    },
    write: mark("from"),
  },
  {
    name: "replies",
    query: (ctx) => where(group(ctx, collections.replies), uidField("from")(ctx)),
    before: deleteOwnReplies,
    write: anonymiseReply,
  },
  {
    name: "system-messages",
    query: (ctx) => where(group(ctx, collections.messages), uidField("event.uid")(ctx)),
    before: markExports,
    write: anonymiseSystemMessage,
  },
  ...[collections.messages, collections.replies].flatMap((name): Sweep[] => [
    { name: `${name}-mentions`, query: (ctx) => holds(group(ctx, name), "mentions", ctx.uid), write: pull("mentions") },
    {
      name: `${name}-quotes`,
      query: (ctx) => where(group(ctx, name), uidField("reference.from")(ctx)),
      write: mark("reference.from"),
    },
  ]),
  {
    name: "thread-repliers",
    query: (ctx) => holds(group(ctx, collections.messages), "thread.repliers", ctx.uid),
    write: pull("thread.repliers"),
  },
  {
    name: "threads",
    query: (ctx) => holds(group(ctx, collections.threads), "participants", ctx.uid),
    write: (ctx, batch, doc) => {
      pull("participants", "repliers")(ctx, batch, doc);
      batch.update(doc.ref, new FieldPath("read", ctx.uid), FieldValue.delete());
    },
  },
  {
    name: "thread-repliers-only",
    query: (ctx) => holds(group(ctx, collections.threads), "repliers", ctx.uid),
    write: pull("repliers"),
  },
  {
    name: "last-messages",
    query: (ctx) => where(top(ctx, collections.chats), uidField("lastMessage.from")(ctx)),
    write: mark("lastMessage.from"),
  },
  // After every sweep that changes what a CSV shows (senders, system messages' names): one per page, each a whole history.
  {
    name: "chat-exports",
    pageSize: 1,
    query: (ctx) => holds(top(ctx, collections.chats), "exportRewrites", ctx.jobId),
    write: rewriteExport,
  },
  { name: "votes", query: (ctx) => where(group(ctx, collections.votes), uidField("uid")(ctx)), write: removeVote },
  { name: "typing", query: (ctx) => where(group(ctx, collections.typing), uidField("uid")(ctx)), write: remove },
  { name: "bans", query: (ctx) => where(group(ctx, collections.bans), uidField("uid")(ctx)), write: remove },
  { name: "bans-made", query: (ctx) => where(group(ctx, collections.bans), uidField("bannedBy")(ctx)), write: mark("bannedBy") },
  { name: "blocks-made", query: (ctx) => where(top(ctx, collections.blocks), uidField("blocker")(ctx)), write: remove },
  { name: "blocks-received", query: (ctx) => where(top(ctx, collections.blocks), uidField("blocked")(ctx)), write: remove },
  {
    name: "reports-filed",
    query: (ctx) => where(top(ctx, collections.reports), uidField("reporter")(ctx)),
    write: removeReport,
  },
  {
    name: "reports-about",
    query: (ctx) => where(top(ctx, collections.reports), uidField("message.from")(ctx)),
    write: mark("message.from"),
  },
  {
    name: "reports-resolved",
    query: (ctx) => where(top(ctx, collections.reports), uidField("resolvedBy")(ctx)),
    write: mark("resolvedBy"),
  },
  {
    name: "audit-by",
    query: (ctx) => where(top(ctx, collections.moderationAudit), uidField("moderator")(ctx)),
    write: mark("moderator"),
  },
  {
    name: "audit-about",
    query: (ctx) => where(top(ctx, collections.moderationAudit), uidField("uid")(ctx)),
    write: (_ctx, batch, doc) => {
      batch.update(doc.ref, { uid: FieldValue.delete() });
    },
  },
  {
    name: "ended-chats",
    query: (ctx) => where(top(ctx, collections.endedChats), uidField("endedBy")(ctx)),
    write: mark("endedBy"),
  },
  {
    name: "muted-by-others",
    query: (ctx) => top(ctx, collections.userSettings).where(new FieldPath("mutedUsers", ctx.uid), ">", Timestamp.fromMillis(0)),
    write: (ctx, batch, doc) => {
      batch.update(doc.ref, new FieldPath("mutedUsers", ctx.uid), FieldValue.delete());
    },
  },
  // A fan-out range's cursors name the last member told and pushed. Done ranges never read them;
  // a range still running when its cursor's member is erased re-tells (a no-op) or skips the
  // members between them and the marker: the price of keeping no uid.
  { name: "fan-outs-told", query: (ctx) => where(top(ctx, collections.fanOuts), uidField("after")(ctx)), write: mark("after") },
  {
    name: "fan-outs-pushed",
    query: (ctx) => where(top(ctx, collections.fanOuts), uidField("pushedAfter")(ctx)),
    write: mark("pushedAfter"),
  },
  { name: "device-tokens", query: (ctx) => where(top(ctx, collections.deviceTokens), uidField("uid")(ctx)), write: remove },
  { name: "push-outbox", query: (ctx) => where(top(ctx, collections.pushOutbox), uidField("uid")(ctx)), write: remove },
  // Others' data exports that name the account (a quote, a block, a 1:1 chat): withdrawn, ZIP and
  // all; their owners may ask again (the next one says "deleted-user").
  {
    name: "exports-naming",
    query: (ctx) => holds(top(ctx, collections.personalExports), "others", ctx.uid),
    before: async (ctx, docs) => {
      await Promise.all(
        docs.map((doc) => ctx.bucket.deleteFiles({ prefix: `${collections.personalExports}/${doc.id}/`, force: true })),
      );
    },
    write: remove,
  },
  // Export mails to the account (`mail/export-…-{uid}`, `mail/personal-export-{uid}-…`).
  { name: "mail", query: (ctx) => where(top(ctx, collections.mail), uidField("uid")(ctx)), write: remove },
  { name: "email", query: (ctx) => where(top(ctx, collections.userEmails), uidField("uid")(ctx)), write: remove },
  {
    name: "failed-events",
    query: (ctx) =>
      top(ctx, collections.failedEvents).where("subject", "in", [
        `${collections.users}/${ctx.uid}`,
        `${collections.personalExports}/${ctx.uid}`,
      ]),
    write: remove,
  },
  // Webhook deliveries naming the account (their payloads hold its uid, a message's text).
  // Late: the rooms it leaves above tell `member.left`. A trigger that runs after this page can
  // still record one; finished deliveries are deleted 3 days on (`webhooks/retry-deliveries.ts`).
  { name: "webhook-deliveries", query: (ctx) => holds(top(ctx, collections.webhookDeliveries), "uids", ctx.uid), write: remove },
  {
    name: "devices",
    query: (ctx) => ctx.db.collection(collections.users).doc(ctx.uid).collection(collections.devices),
    write: remove,
  },
];
