import type {
  DocumentData,
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  FirestoreDataConverter,
  QueryDocumentSnapshot,
  Timestamp,
} from "firebase-admin/firestore";
import { collections, legacyCollectionNames } from "./collections.js";
import { chatOfStored, fanOutId, messageId, reactionId, reportId, shownEmojiId, voteId } from "./docs.js";
import type * as Docs from "./docs.js";
import type { CollectionKey } from "./docs.js";

// The server's view of the Firestore layout in `docs.ts`: its doc shapes with the Admin SDK's
// Timestamp, and a typed reference to every document.
export { collections };
export {
  directChatId,
  exportMailId,
  personalExportMailId,
  isDirectChatId,
  messageId,
  type FileDoc,
  type HiddenMessagesDoc,
  type ShownEmojiDoc,
  type OpenPollDoc,
  type LastMessage,
  type MailDoc,
  type MessageReference,
  type MessageType,
  type SystemEvent,
  type ThumbnailDoc,
  type PersonalExportPhase,
  type LinkPreviewDoc,
  MAX_THREAD_PARTICIPANTS,
  THREAD_REPLIERS_SHOWN,
  type UserEmailDoc,
  type RateLimitDoc,
  type StoredBucket,
  type MessageRequest,
  directMuteOf,
  MAX_LISTED_VOTERS,
  DELETED_USER,
  type DeletionMessagePolicy,
  isArchived,
  receiptsOff,
  type WebhookDoc,
  type WebhookEventType,
  type WebhookDeliveryState,
} from "./docs.js";

export type UserDoc = Docs.UserDoc<Timestamp>;
export type ChatDoc = Docs.ChatDoc<Timestamp>;
export type BanDoc = Docs.BanDoc<Timestamp>;
export type BlockDoc = Docs.BlockDoc<Timestamp>;
export type ReportDoc = Docs.ReportDoc<Timestamp>;
export type AuditDoc = Docs.AuditDoc<Timestamp>;
export type ChatExport = Docs.ChatExport<Timestamp>;
export type InviteDoc = Docs.InviteDoc<Timestamp>;
export type EndedChatDoc = Docs.EndedChatDoc<Timestamp>;
export type ChatCompletionDoc = Docs.ChatCompletionDoc<Timestamp>;
export type StoredChatDoc = Docs.StoredChatDoc<Timestamp>;
export type MessageDoc = Docs.MessageDoc<Timestamp>;
export type ThreadDoc = Docs.ThreadDoc<Timestamp>;
export type ThreadSummary = Docs.ThreadSummary<Timestamp>;
export type MessageEditDoc = Docs.MessageEditDoc<Timestamp>;
export type MemberDoc = Docs.MemberDoc<Timestamp>;
export type FanOutDoc = Docs.FanOutDoc<Timestamp>;
export type RosterDoc = Docs.RosterDoc<Timestamp>;
export type RosterEntry = Docs.RosterEntry<Timestamp>;
export type DeviceDoc = Docs.DeviceDoc<Timestamp>;
export type DeviceTokenDoc = Docs.DeviceTokenDoc<Timestamp>;
export type PushEventDoc = Docs.PushEventDoc<Timestamp>;
export type FailedEventDoc = Docs.FailedEventDoc<Timestamp>;
export type PushOutboxDoc = Docs.PushOutboxDoc<Timestamp>;
export type ClientMessageKeyDoc = Docs.ClientMessageKeyDoc<Timestamp>;
export type ExternalEventDoc = Docs.ExternalEventDoc<Timestamp>;
export type BadgeShare = Docs.BadgeShare<Timestamp>;
export type ReactionDoc = Docs.ReactionDoc<Timestamp>;
export type VoteDoc = Docs.VoteDoc<Timestamp>;
export type PollDoc = Docs.PollDoc<Timestamp>;
export type TypingDoc = Docs.TypingDoc<Timestamp>;
export type PresenceDoc = Docs.PresenceDoc<Timestamp>;
export type UserSettingsDoc = Docs.UserSettingsDoc<Timestamp>;
export type DirectPrivateState = Docs.DirectPrivateState<Timestamp>;
export type PersonalExportDoc = Docs.PersonalExportDoc<Timestamp>;
export type AccountDeletionDoc = Docs.AccountDeletionDoc<Timestamp>;
export type WebhookDeliveryDoc = Docs.WebhookDeliveryDoc<Timestamp>;

/**
 * A converter that passes data through both ways. `toFirestore` returns what it is given, so a
 * write (`FieldValue` sentinels and `set(..., {merge: true})` included) stores exactly what the
 * code wrote. `fromFirestore` returns the stored data as `S` without looking at it: it types
 * reads, it does not check them (no parsing, no cost per read). Firestore keeps no schema, so `S`
 * holds because every write goes through these same converters; fields that older docs lack are
 * optional in `docs.ts`. Where older docs name a field differently, `S` is the stored shape and
 * `fromStored` gives today's `T` (as {@link Docs.chatOfStored} does for chats).
 */
function passThrough<T extends object, S = T>(fromStored?: (stored: S) => T): FirestoreDataConverter<T> {
  return {
    toFirestore: (data: DocumentData) => data,
    fromFirestore(snapshot: QueryDocumentSnapshot): T {
      // The one place a stored doc is taken for its shape (see above).
      const stored: DocumentData = snapshot.data();
      return fromStored ? fromStored(stored as S) : (stored as T);
    },
  };
}

/** The converter of each collection in {@link collections}, by the same key. */
export const converters = {
  users: passThrough<UserDoc>(),
  userEmails: passThrough<Docs.UserEmailDoc>(),
  blocks: passThrough<BlockDoc>(),
  chats: passThrough<ChatDoc, StoredChatDoc>(chatOfStored),
  messages: passThrough<MessageDoc>(),
  edits: passThrough<MessageEditDoc>(),
  clientMessages: passThrough<ClientMessageKeyDoc>(),
  threads: passThrough<ThreadDoc>(),
  replies: passThrough<MessageDoc>(),
  hidden: passThrough<Docs.HiddenMessagesDoc>(),
  reactions: passThrough<ReactionDoc>(),
  shownEmoji: passThrough<Docs.ShownEmojiDoc>(),
  votes: passThrough<VoteDoc>(),
  openPolls: passThrough<Docs.OpenPollDoc>(),
  typing: passThrough<TypingDoc>(),
  presence: passThrough<PresenceDoc>(),
  userSettings: passThrough<UserSettingsDoc>(),
  members: passThrough<MemberDoc>(),
  rosters: passThrough<RosterDoc>(),
  bans: passThrough<BanDoc>(),
  fanOuts: passThrough<FanOutDoc>(),
  externalEvents: passThrough<ExternalEventDoc>(),
  devices: passThrough<DeviceDoc>(),
  deviceTokens: passThrough<DeviceTokenDoc>(),
  pushEvents: passThrough<PushEventDoc>(),
  failedEvents: passThrough<FailedEventDoc>(),
  pushOutbox: passThrough<PushOutboxDoc>(),
  invites: passThrough<InviteDoc>(),
  mail: passThrough<Docs.MailDoc>(),
  endedChats: passThrough<EndedChatDoc>(),
  reports: passThrough<ReportDoc>(),
  moderationAudit: passThrough<AuditDoc>(),
  rateLimits: passThrough<Docs.RateLimitDoc>(),
  personalExports: passThrough<PersonalExportDoc>(),
  accountDeletions: passThrough<AccountDeletionDoc>(),
  webhooks: passThrough<Docs.WebhookDoc>(),
  webhookDeliveries: passThrough<WebhookDeliveryDoc>(),
} satisfies Record<CollectionKey, FirestoreDataConverter<object>>;

/**
 * A typed reference to every Parley document and collection, by its ids: each reads and writes
 * through its collection's converter ({@link converters}), so `snap.data()` is the doc's shape.
 * `messageGroup` and `memberGroup` query every chat's messages and every room's members.
 */
export const refs = {
  users: (db: Firestore) => db.collection(collections.users).withConverter(converters.users),
  user: (db: Firestore, uid: string) => refs.users(db).doc(uid),
  userEmails: (db: Firestore) => db.collection(collections.userEmails).withConverter(converters.userEmails),
  userEmail: (db: Firestore, emailHash: string) => refs.userEmails(db).doc(emailHash),
  blocks: (db: Firestore) => db.collection(collections.blocks).withConverter(converters.blocks),
  block: (db: Firestore, blocker: string, blocked: string) => refs.blocks(db).doc(`${blocker}_${blocked}`),
  chats: (db: Firestore) => db.collection(collections.chats).withConverter(converters.chats),
  chat: (db: Firestore, chatId: string) => refs.chats(db).doc(chatId),
  messages: (db: Firestore, chatId: string) =>
    refs.chat(db, chatId).collection(collections.messages).withConverter(converters.messages),
  messageGroup: (db: Firestore) => db.collectionGroup(collections.messages).withConverter(converters.messages),
  message: (db: Firestore, chatId: string, number: number) => refs.messages(db, chatId).doc(messageId(number)),
  /** `chats/{chatId}/messages/{messageId}/edits`: the texts edits replaced, by version. */
  messageEdits: (db: Firestore, chatId: string, number: number) =>
    refs.message(db, chatId, number).collection(collections.edits).withConverter(converters.edits),
  messageEdit: (db: Firestore, chatId: string, number: number, version: number) =>
    refs.messageEdits(db, chatId, number).doc(String(version)),
  clientMessage: (db: Firestore, chatId: string, keyHash: string) =>
    refs.chat(db, chatId).collection(collections.clientMessages).withConverter(converters.clientMessages).doc(keyHash),
  /** `chats/{chatId}/threads/{messageId}`: the thread on message `number`. */
  thread: (db: Firestore, chatId: string, number: number) =>
    refs.chat(db, chatId).collection(collections.threads).withConverter(converters.threads).doc(messageId(number)),
  /** `chats/{chatId}/threads/{messageId}/replies`: the thread's replies, by reply number. */
  replies: (db: Firestore, chatId: string, number: number) =>
    refs.thread(db, chatId, number).collection(collections.replies).withConverter(converters.replies),
  reply: (db: Firestore, chatId: string, number: number, reply: number) => refs.replies(db, chatId, number).doc(messageId(reply)),
  hidden: (db: Firestore, chatId: string, uid: string) =>
    refs.chat(db, chatId).collection(collections.hidden).withConverter(converters.hidden).doc(uid),
  reactions: (db: Firestore, chatId: string) =>
    refs.chat(db, chatId).collection(collections.reactions).withConverter(converters.reactions),
  reaction: (db: Firestore, { chatId, uid, number, emoji }: { chatId: string; uid: string; number: number; emoji: string }) =>
    refs.reactions(db, chatId).doc(reactionId(uid, number, emoji)),
  shownEmoji: (db: Firestore, chatId: string, number: number, emoji: string) =>
    refs
      .chat(db, chatId)
      .collection(collections.shownEmoji)
      .withConverter(converters.shownEmoji)
      .doc(shownEmojiId(number, emoji)),
  votes: (db: Firestore, chatId: string) => refs.chat(db, chatId).collection(collections.votes).withConverter(converters.votes),
  vote: (db: Firestore, chatId: string, uid: string, number: number) => refs.votes(db, chatId).doc(voteId(uid, number)),
  openPoll: (db: Firestore, chatId: string, number: number) =>
    refs.chat(db, chatId).collection(collections.openPolls).withConverter(converters.openPolls).doc(messageId(number)),
  typing: (db: Firestore, chatId: string, uid: string) =>
    refs.chat(db, chatId).collection(collections.typing).withConverter(converters.typing).doc(uid),
  presence: (db: Firestore, uid: string) => db.collection(collections.presence).withConverter(converters.presence).doc(uid),
  userSettings: (db: Firestore, uid: string) => refs.allUserSettings(db).doc(uid),
  /** `user-settings`, every user's: for the query of who muted a user. */
  allUserSettings: (db: Firestore) => db.collection(collections.userSettings).withConverter(converters.userSettings),
  members: (db: Firestore, chatId: string) =>
    refs.chat(db, chatId).collection(collections.members).withConverter(converters.members),
  memberGroup: (db: Firestore) => db.collectionGroup(collections.members).withConverter(converters.members),
  member: (db: Firestore, chatId: string, uid: string) => refs.members(db, chatId).doc(uid),
  rosters: (db: Firestore, chatId: string) =>
    refs.chat(db, chatId).collection(collections.rosters).withConverter(converters.rosters),
  roster: (db: Firestore, chatId: string, shard: number) => refs.rosters(db, chatId).doc(String(shard)),
  bans: (db: Firestore, chatId: string) => refs.chat(db, chatId).collection(collections.bans).withConverter(converters.bans),
  ban: (db: Firestore, chatId: string, uid: string) => refs.bans(db, chatId).doc(uid),
  fanOuts: (db: Firestore) => db.collection(collections.fanOuts).withConverter(converters.fanOuts),
  fanOut: (db: Firestore, chatId: string, number: number, range: number) => refs.fanOuts(db).doc(fanOutId(chatId, number, range)),
  externalEvent: (db: Firestore, uid: string) =>
    db.collection(collections.externalEvents).withConverter(converters.externalEvents).doc(uid),
  devices: (db: Firestore, uid: string) => refs.user(db, uid).collection(collections.devices).withConverter(converters.devices),
  device: (db: Firestore, uid: string, tokenHash: string) => refs.devices(db, uid).doc(tokenHash),
  deviceToken: (db: Firestore, tokenHash: string) =>
    db.collection(collections.deviceTokens).withConverter(converters.deviceTokens).doc(tokenHash),
  pushEvent: (db: Firestore, eventId: string) =>
    db.collection(collections.pushEvents).withConverter(converters.pushEvents).doc(eventId),
  pushOutbox: (db: Firestore) => db.collection(collections.pushOutbox).withConverter(converters.pushOutbox),
  failedEvent: (db: Firestore, id: string) =>
    db.collection(collections.failedEvents).withConverter(converters.failedEvents).doc(id),
  invite: (db: Firestore, code: string) => db.collection(collections.invites).withConverter(converters.invites).doc(code),
  mail: (db: Firestore, id: string) => db.collection(collections.mail).withConverter(converters.mail).doc(id),
  endedChat: (db: Firestore, chatId: string) =>
    db.collection(collections.endedChats).withConverter(converters.endedChats).doc(chatId),
  /** `chats` as stored, older shapes included ({@link Docs.StoredChatDoc}): for migrations. */
  storedChats: (db: Firestore) => db.collection(collections.chats).withConverter(passThrough<StoredChatDoc>()),
  /** `chat-completions`, what older versions wrote for `ended-chats`: for migrations. */
  chatCompletions: (db: Firestore) =>
    db.collection(legacyCollectionNames.chatCompletions).withConverter(passThrough<ChatCompletionDoc>()),
  reports: (db: Firestore) => db.collection(collections.reports).withConverter(converters.reports),
  report: (db: Firestore, chatId: string, number: number, reporter: string) =>
    refs.reports(db).doc(reportId(chatId, number, reporter)),
  auditEntry: (db: Firestore) => db.collection(collections.moderationAudit).withConverter(converters.moderationAudit).doc(),
  rateLimit: (db: Firestore, uid: string) => db.collection(collections.rateLimits).withConverter(converters.rateLimits).doc(uid),
  personalExport: (db: Firestore, uid: string) =>
    db.collection(collections.personalExports).withConverter(converters.personalExports).doc(uid),
  replyGroup: (db: Firestore) => db.collectionGroup(collections.replies).withConverter(converters.replies),
  /** `account-deletions/{uidHash}`: an account's erasure job. */
  accountDeletion: (db: Firestore, uidHash: string) =>
    db.collection(collections.accountDeletions).withConverter(converters.accountDeletions).doc(uidHash),
  /** `webhooks/`: the operators' endpoints. */
  webhooks: (db: Firestore) => db.collection(collections.webhooks).withConverter(converters.webhooks),
  /** `webhook-deliveries/`: each event's delivery to each endpoint. */
  webhookDeliveries: (db: Firestore) => db.collection(collections.webhookDeliveries).withConverter(converters.webhookDeliveries),
};

/** The snapshot of a reference read by {@link getAll}: typed as the reference; none for no reference. */
type SnapshotOf<R> = R extends DocumentReference<infer T> ? DocumentSnapshot<T> : undefined;

/** The snapshots of `R`'s references, position by position (see {@link getAll}). */
export type SnapshotsOf<R extends readonly (DocumentReference<object> | undefined)[]> = { [K in keyof R]: SnapshotOf<R[K]> };

/** Whatever reads documents in one round trip: a `Firestore` or a transaction (which also locks them). */
interface DocReader {
  getAll(...refs: DocumentReference<object>[]): Promise<DocumentSnapshot<object>[]>;
}

/**
 * `db.getAll(...refs)` or `tx.getAll(...refs)` (one round trip; in a transaction, locked) with
 * each snapshot typed by its reference, also when the references are of different collections.
 * An `undefined` reference (a read that does not apply, e.g. a member doc of a 1:1 chat) is not
 * read and gives an `undefined` snapshot in its place. Needs at least one reference, as
 * `getAll` does.
 */
export async function getAll<const R extends readonly (DocumentReference<object> | undefined)[]>(
  reader: DocReader,
  ...docRefs: R
): Promise<SnapshotsOf<R>> {
  const read = docRefs.filter((ref) => ref !== undefined);
  const snaps = await reader.getAll(...read);
  let next = 0;
  const placed = read.length === docRefs.length ? snaps : docRefs.map((ref) => (ref === undefined ? undefined : snaps[next++]));
  // The SDK reads each reference through its own converter; its signature can't say so per position.
  return placed as SnapshotsOf<R>;
}

/**
 * Whether `snap`'s doc exists (`snap.exists`), telling the compiler too: `data()` is then the
 * doc, not `undefined`. The SDK builds a `QueryDocumentSnapshot` for every doc it finds, so the
 * narrowed type is the snapshot's own (the web SDK's `exists()` says the same).
 */
export function exists<T>(snap: DocumentSnapshot<T>): snap is QueryDocumentSnapshot<T> {
  return snap.exists;
}

/**
 * `snap`, of a doc the code knows is there (it has just written it), narrowed as {@link exists}
 * does.
 * @throws Error when it is not (a bug, or a delete in between): an internal error to the caller.
 */
export function existing<T>(snap: DocumentSnapshot<T>): QueryDocumentSnapshot<T> {
  if (!exists(snap)) throw new Error(`${snap.ref.path} does not exist.`);
  return snap;
}
