import type { LastMessage, MessageReference, MessageType, SystemEvent } from "./doc-schemas.js";

export type { LastMessage, MessageReference, MessageType, SystemEvent };

/**
 * Anything with `toDate()`: the Admin SDK's and the web SDK's Firestore `Timestamp` both are, so
 * the doc shapes and view mappers below serve the server and the client alike.
 */
export interface TimestampLike {
  toDate(): Date;
}

/**
 * Firestore layout of Parley. Every collection name lives here.
 *
 * - `users/{uid}`                                   {@link UserDoc}; public profile, no e-mail
 * - `user-emails/{emailHash}`                       {@link UserEmailDoc}; server only: who has an e-mail
 * - `blocks/{blocker}_{blocked}`                    {@link BlockDoc}; the blocker reads their own
 * - `chats/{chatId}`                                {@link ChatDoc}
 * - `chats/{chatId}/messages/{messageId}`           {@link MessageDoc}; id = zero-padded number
 * - `chats/{chatId}/messages/{messageId}/edits/{version}` {@link MessageEditDoc}; a text an edit replaced
 * - `chats/{chatId}/client-messages/{keyHash}`      {@link ClientMessageKeyDoc}; send idempotency
 * - `chats/{chatId}/threads/{messageId}`            {@link ThreadDoc}; a message's thread: counts, participants
 * - `chats/{chatId}/threads/{messageId}/replies/{replyId}` {@link MessageDoc}; a reply; id = zero-padded reply number
 * - `chats/{chatId}/hidden/{uid}`                   {@link HiddenMessagesDoc}; "delete for me"
 * - `chats/{chatId}/reactions/{uid}_{messageId}_{emojiKey}` {@link ReactionDoc}; one member's reaction
 * - `chats/{chatId}/shown-emoji/{messageId}_{emojiKey}` {@link ShownEmojiDoc}; server only: an emoji a message shows
 * - `chats/{chatId}/votes/{uid}_{messageId}`       {@link VoteDoc}; one member's votes in a poll
 * - `chats/{chatId}/open-polls/{messageId}`        {@link OpenPollDoc}; server only: a poll still open
 * - `chats/{chatId}/typing/{uid}`                   {@link TypingDoc}; a member's typing indicator
 * - `chats/{roomId}/members/{uid}`                  {@link MemberDoc}; a room member's state
 * - `chats/{roomId}/rosters/{shard}`               {@link RosterDoc}; the members, 64 shards
 * - `chats/{roomId}/bans/{uid}`                     {@link BanDoc}; removed, may not rejoin
 * - `fan-outs/{chatId}-{number}-{range}`            {@link FanOutDoc}; a room message's fan-out, by uid range
 * - `users-external-event/{uid}`                    {@link ExternalEventDoc}
 * - `presence/{uid}`                                {@link PresenceDoc}; online and last seen
 * - `users/{uid}/devices/{tokenHash}`               {@link DeviceDoc}; FCM registration tokens
 * - `device-tokens/{tokenHash}`                     {@link DeviceTokenDoc}; which user a token is with
 * - `push-events/{eventId}`                         {@link PushEventDoc}; push claims: who was reached
 * - `failed-events/{trigger}-{eventId}`             {@link FailedEventDoc}; events a trigger gave up on
 * - `push-outbox/{id}`                              {@link PushOutboxDoc}; FCM messages not sent (emulator)
 * - `invites/{inviteCode}`                          {@link InviteDoc}; a room's invite code
 * - `mail/{id}`                                     {@link MailDoc}; for the "Trigger Email" extension
 * - `ended-chats/{chatId}`                     {@link EndedChatDoc}; starts an ended chat's export
 * - `reports/{chatId}-{number}-{reporterUid}`        {@link ReportDoc}; a member's report of a message
 * - `moderation-audit/{id}`                         {@link AuditDoc}; every moderator action
 * - `rate-limits/{uid}`                             {@link RateLimitDoc}; a user's durable quotas
 * - `personal-exports/{uid}`                        {@link PersonalExportDoc}; a user's newest export of their data
 * - `user-settings/{uid}`                           {@link UserSettingsDoc}; privacy, the user reads it
 * - `account-deletions/{uidHash}`                   {@link AccountDeletionDoc}; server only: an account's erasure job
 * - `webhooks/{id}`                                 {@link WebhookDoc}; server only: an operator's webhook endpoint
 * - `webhook-deliveries/{webhookId}_{eventId}`      {@link WebhookDeliveryDoc}; server only: one event's delivery to one endpoint
 *
 * These are the default names. An app that adds Parley to its own project may rename them
 * ({@link CollectionConfig}, {@link collectionNames}); the server reads the configured names
 * from `functions/parley.config.json` (`shared/collections.ts`), the client from its options.
 */
export const defaultCollections = {
  users: "users",
  userEmails: "user-emails",
  blocks: "blocks",
  chats: "chats",
  messages: "messages",
  edits: "edits",
  clientMessages: "client-messages",
  threads: "threads",
  replies: "replies",
  hidden: "hidden",
  reactions: "reactions",
  shownEmoji: "shown-emoji",
  votes: "votes",
  openPolls: "open-polls",
  typing: "typing",
  presence: "presence",
  userSettings: "user-settings",
  members: "members",
  rosters: "rosters",
  bans: "bans",
  fanOuts: "fan-outs",
  externalEvents: "users-external-event",
  devices: "devices",
  deviceTokens: "device-tokens",
  pushEvents: "push-events",
  failedEvents: "failed-events",
  pushOutbox: "push-outbox",
  invites: "invites",
  mail: "mail",
  endedChats: "ended-chats",
  reports: "reports",
  moderationAudit: "moderation-audit",
  rateLimits: "rate-limits",
  personalExports: "personal-exports",
  accountDeletions: "account-deletions",
  webhooks: "webhooks",
  webhookDeliveries: "webhook-deliveries",
} as const;

/** A collection's key in {@link defaultCollections}: one name, used in code, whatever it is called in Firestore. */
export type CollectionKey = keyof typeof defaultCollections;

/** The Firestore name of every collection Parley uses, by its key. */
export type CollectionNames = { readonly [K in CollectionKey]: string };

/**
 * How an app renames Parley's collections (`functions/parley.config.json`'s `collections`, and
 * the client's `collections` option; both must say the same). `prefix` goes before every name,
 * top-level and nested, because Parley queries nested collections (`messages`, `members`,
 * `replies`...) as collection groups, which match a name anywhere in the database. `names`
 * replaces the whole name of the collections it lists (no prefix is added to those).
 */
export interface CollectionConfig {
  /** Put before every collection name (e.g. `parley_`: `parley_chats/{chatId}/parley_messages/...`). */
  prefix?: string;
  /** A name per collection key, taking the place of prefix + default name. */
  names?: Partial<Record<CollectionKey, string>>;
}

/** A Firestore collection id Parley accepts from config: 1-100 letters, digits, `_`, `-` or `.`, not `__…__`. */
const COLLECTION_ID = /^(?!__.*__$)(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;

/**
 * The collection names a {@link CollectionConfig} gives: the defaults when it is empty.
 * Throws an `Error` naming the problem when `prefix` or a name is not a valid collection id
 * (see {@link COLLECTION_ID}), a key of `names` is unknown, or two collections would share a name.
 */
export function collectionNames(config: CollectionConfig = {}): CollectionNames {
  const prefix = config.prefix ?? "";
  if (prefix !== "" && !/^[A-Za-z0-9_.-]{1,50}$/.test(prefix)) {
    throw new Error(`collection prefix "${prefix}": use 1-50 letters, digits, "_", "-" or "."`);
  }
  const overrides: Record<string, string | undefined> = config.names ?? {};
  const names: Record<CollectionKey, string> = { ...defaultCollections };
  for (const key of Object.keys(overrides)) {
    if (!(key in defaultCollections)) throw new Error(`collection "${key}": no such collection`);
  }
  for (const key of Object.keys(defaultCollections) as CollectionKey[]) {
    const name = overrides[key] ?? `${prefix}${defaultCollections[key]}`;
    if (!COLLECTION_ID.test(name)) throw new Error(`collection name "${name}" (for ${key}) is not a valid collection id`);
    names[key] = name;
  }
  const seen = new Map<string, string>();
  for (const [key, name] of Object.entries(names)) {
    const other = seen.get(name);
    if (other) throw new Error(`collections ${other} and ${key} would both be named "${name}"`);
    seen.set(name, key);
  }
  return names;
}

/**
 * Collections that older versions of Parley wrote and `scripts/migrate.mjs` empties:
 * `chat-completions/{chatId}` ({@link ChatCompletionDoc}) became `ended-chats/{chatId}`.
 */
export const legacyCollections = {
  chatCompletions: "chat-completions",
} as const;

/**
 * A user's public profile, created by the Auth user-created trigger. Every signed-in user may
 * read it, so it holds no e-mail address: that stays in Firebase Auth, and
 * {@link UserEmailDoc} lets the server find a user by it.
 */
export interface UserDoc<T extends TimestampLike = TimestampLike> {
  displayName: string;
  photoURL: string | null;
  createdAt: T;
  /**
   * Profiles made before e-mail addresses left them: the user's address (`null`: none). Never
   * written now; `migrateUserEmails` (`scripts/migrate.mjs`) removes it.
   */
  email?: string | null;
}

/**
 * `user-emails/{emailHash}`: the user whose Auth e-mail address hashes to the id
 * (`emailHash`: SHA-256 hex of the trimmed, lower-cased address). Server only; no rule lets a
 * client read it.
 */
export interface UserEmailDoc {
  uid: string;
}

/**
 * `blocks/{blocker}_{blocked}`: `blocker` blocked `blocked`. The blocked user can't open or send
 * into a 1:1 chat with the blocker, and the blocker gets no push from them in rooms. The blocker
 * reads their own (rules), so apps can hide the blocked user's messages.
 */
export interface BlockDoc<T extends TimestampLike = TimestampLike> {
  blocker: string;
  blocked: string;
  createdAt: T;
}

/**
 * `chats/{roomId}/bans/{uid}`: a user the host (or a moderator) removed from the room. Kept
 * with the room, not with its invite code, so it outlives rotations; a join finds it and is
 * refused until the host unbans. Server only.
 */
export interface BanDoc<T extends TimestampLike = TimestampLike> {
  uid: string;
  chatId: string;
  bannedBy: string;
  bannedAt: T;
}

/** A chat's state: `active` accepts messages; `ended` is read-only for good. */
export type ChatStatus = "active" | "ended";

/**
 * A `chats/{chatId}` doc as stored: {@link ChatDoc}, or the shape of a chat written before the
 * end had one name: `status: "completed"` with `completedAt`, a boolean `active` (`false` once
 * ended), and on the oldest chats no `status` at all.
 */
export type StoredChatDoc<T extends TimestampLike = TimestampLike> = Omit<ChatDoc<T>, "status"> & {
  status?: ChatStatus | "completed";
  completedAt?: T;
  active?: boolean;
};

/**
 * A stored chat as {@link ChatDoc}, whatever version of Parley wrote it: what both SDKs'
 * converters return, so the code knows one name for an ended chat. An older chat reads as
 * `status: "ended"` when it was completed or inactive, with `endedAt` from `completedAt` (or, on
 * the oldest, its last update, `updatedAt`), and as `status: "active"` otherwise, until `migrateEndedChats` (`scripts/migrate.mjs`) rewrites it.
 */
export function chatOfStored<T extends TimestampLike>(stored: StoredChatDoc<T>): ChatDoc<T> {
  const { status, completedAt, active, ...chat } = stored;
  const ended = status === "ended" || status === "completed" || active === false;
  if (!ended) return { ...chat, status: "active" };
  return { ...chat, status: "ended", endedAt: chat.endedAt ?? completedAt ?? chat.updatedAt };
}

/**
 * A chat. For a 1:1 chat (`type: "direct"`) the id is `<lower uid>_<higher uid>` and both
 * members' state (unread count, read position, mute) is on this doc: two members cost the same
 * as one. A room (`type: "room"`) has an auto id (never containing `_`), a `title`, a `host`, an
 * `inviteCode` and a `memberCount`; each member's state is in `chats/{roomId}/members/{uid}`
 * ({@link MemberDoc}), so this doc stays the same size whatever the room's size. Rooms made
 * before member docs kept it here, as 1:1 chats do (`members`, `unread`, `lastRead`,
 * `mutedUntil`), until `migrateRoomMembers` (`scripts/migrate.mjs`) moves it.
 */
export interface ChatDoc<T extends TimestampLike = TimestampLike> {
  type: "direct" | "room";
  /** 1:1 chats only: both uids, sorted. */
  members?: string[];
  /** Rooms only. */
  title?: string;
  host?: string | null;
  inviteCode?: string;
  memberCount?: number;
  /** `ended` once a member (a room's host) ended it, or its last member left: then read-only. */
  status: ChatStatus;
  /** When it ended; set with `status: "ended"`. */
  endedAt?: T;
  /** The history export written when the chat ended. */
  export?: ChatExport<T>;
  /** Account erasure jobs (`account-deletions/{id}`) that still have to rewrite `export` without their account. */
  exportRewrites?: string[];
  messageCount: number;
  lastMessage: LastMessage | null;
  lastMessageAt: T | null;
  /**
   * 1:1 chats: uid -> messages from others since this member's last public read (a read with
   * read receipts on). A private read leaves it (the other member would see it fall) and records
   * how many of them were read in the reader's {@link DirectPrivateState.readOffset}.
   */
  unread?: Record<string, number>;
  /**
   * 1:1 chats: uid -> highest message number this member has read, shown to the other member as
   * "seen" (0 = none). Written only by public reads; a member whose reads are private has none.
   */
  lastRead?: Record<string, number>;
  /**
   * 1:1 chats: uid -> highest message number that member's devices reported arrived
   * (`markDelivered`), shown to the other member as "delivered" (a read counts as delivered too).
   * Written only while the member's reads are public; absent for one who never reported.
   */
  delivered?: Record<string, number>;
  /** 1:1 chats: uid -> threads this member takes part in with replies they have not read (see {@link ThreadDoc}). */
  threadsUnread?: Record<string, number>;
  /** `true` once the first message was sent. */
  started: boolean;
  createdAt: T;
  updatedAt: T;
  /**
   * Chats made before mutes were private: uid -> end of that member's mute. No longer written:
   * a 1:1 mute is {@link DirectPrivateState.mutedUntil}; muting or unmuting removes this key.
   */
  mutedUntil?: Record<string, T | null>;
  /**
   * 1:1 chats: `true` while either member blocks the other (`blocks/`, server only, says who);
   * no one sends while it is set. The chat doc does not say who blocked whom.
   */
  blocked?: boolean;
  /** Chats blocked before `blocked`: the blockers. Read as `blocked`; a block or unblock removes it. */
  blockedBy?: string[];
  /** Rooms made since rosters: `chats/{roomId}/rosters/` lists every member ({@link RosterDoc}). */
  rosters?: boolean;
  /** Pinned message numbers, oldest pin first (at most 10). */
  pinned?: number[];
  /** `true`: no link previews for this chat's messages (set by a room's host, either member of a 1:1 chat). */
  linkPreviewsOff?: boolean;
  /** 1:1 chats: uid -> numbers of messages mentioning that member (the latest 100; read ones pruned by public reads). */
  mentioned?: Record<string, number[]>;
  /**
   * 1:1 chats: the members who sent a message in it (absent on chats made before it was kept:
   * see `writersOf`). Decides who gets the end-of-chat mail, whether `?with=` shows the chat
   * and whether a member sees the other's presence.
   */
  wrote?: string[];
  /** Rooms: `true` when its member docs record who wrote (`wrote`); rooms made before lack it. */
  wroteTracked?: boolean;
  /** 1:1 chats: uid -> that member's send bucket in this chat (`SEND_RATE_LIMIT`), written with each send. */
  sendRate?: Record<string, StoredBucket>;
  /**
   * 1:1 chats: set while the chat is a message request (its opener shared no room with the
   * other member); removed when the recipient accepts or replies. Absent on every other chat.
   */
  request?: MessageRequest;
  /**
   * 1:1 chats: the members whose chat list shows it (`GET /v1/chats` queries it): both, or only
   * the opener while it is a request. Chats made before requests lack it until
   * `scripts/migrate.mjs` sets it to `members`.
   */
  inbox?: string[];
}

/**
 * A 1:1 chat opened by `from` with `to`, who shared no room with them: `to` sees it among their
 * requests (not in their chat list), `from` may send `REQUEST_MESSAGE_LIMIT` messages, and `to`
 * sends no presence, typing or "seen" to `from` until they accept. `declined`: `to` hid it and
 * `from` may send no more.
 */
export interface MessageRequest {
  from: string;
  to: string;
  state: "pending" | "declined";
}

/**
 * A room member (`chats/{roomId}/members/{uid}`). Their unread count is derived:
 * `messageCount - lastRead`, exact because a member's own sends and the system messages about
 * them advance `lastRead`.
 */
export interface MemberDoc<T extends TimestampLike = TimestampLike> {
  uid: string;
  chatId: string;
  role: "host" | "member";
  joinedAt: T;
  /** Highest message number this member has read (their join message when they join). */
  lastRead: number;
  /** End of the member's mute (`null`: until unmuted); absent when not muted. */
  mutedUntil?: T | null;
  /**
   * Highest message number this member's devices reported arrived (`markDelivered`); absent
   * before the first report. Delivered is the greater of it and `lastRead` (seen implies delivered).
   */
  deliveredUpTo?: number;
  /** Numbers of messages mentioning this member; those up to `lastRead` are pruned on read. */
  mentioned?: number[];
  /** `true` once this member sent a message in the room (since this field was kept). */
  wrote?: boolean;
  /** When the member pinned the room to the top of their chat list; absent: not pinned. */
  pinnedAt?: T;
  /** When the member archived the room ({@link isArchived} says whether it still is); absent: not archived. */
  archivedAt?: T;
  /** The member's send bucket in this room (`SEND_RATE_LIMIT`), written with each of their sends. */
  sendRate?: StoredBucket;
  /** Threads this member takes part in with replies they have not read (see {@link ThreadDoc}). */
  threadsUnread?: number;
}

/**
 * One of a room's {@link ROSTER_SHARDS} roster shards (`chats/{roomId}/rosters/{shard}`, server
 * only): the members whose uid hashes to `shard`, each with what a fan-out needs of them, so a
 * fan-out reads up to 64 docs instead of one per member. Kept in the same batch as every member
 * doc's create and delete and every mute (`timeline/rosters.ts`); complete for rooms with
 * `rosters: true`.
 */
export interface RosterDoc<T extends TimestampLike = TimestampLike> {
  chatId: string;
  shard: number;
  /** uid -> the member's {@link MemberDoc.mutedUntil} (absent when not muted). */
  members: Record<string, RosterEntry<T>>;
}

/** A member as their roster shard keeps them. */
export interface RosterEntry<T extends TimestampLike = TimestampLike> {
  mutedUntil?: T | null;
}

/** Roster shards per room: 64 docs of ~160 entries each in a 10,000-member room. */
export const ROSTER_SHARDS = 64;

/** Where a fan-out range or a push claim stands. */
export type DeliveryState = "pending" | "done" | "failed";

/** An error as a failure record keeps it: its code (gRPC number or SDK code, as text) and message. */
export interface FailureSummary {
  code: string;
  message: string;
}

/**
 * One uid range of a room message's fan-out (the Trigger Email extension's `delivery` field is
 * the model). The message trigger creates every range's marker at once, `pending`, and runs the
 * ranges in parallel: first each range tells its members, in pages of up to 400, each page's
 * external events committed in one batch with the marker's progress (`after`, `pages`, `events`,
 * `told`), so a page is never written twice; then it pushes the pages told (`pushedAfter`,
 * `pushedPages`). A range ends `done`, or `failed` with the `error` and, while it may be retried,
 * a `leaseUntil` after which the sweep (`fanOutSweep`) re-drives it.
 */
export interface FanOutDoc<T extends TimestampLike = TimestampLike> {
  chatId: string;
  number: number;
  /** This range's index, 0-based, of `ranges`. */
  range: number;
  ranges: number;
  /** The range's uids: from `from` (inclusive; `null`: the start) to `to` (exclusive; `null`: the end). */
  from: string | null;
  to: string | null;
  state: DeliveryState;
  /** Runs that took this range (the first delivery's included). */
  attempts: number;
  /** The last uid whose page is told (`null`: none yet). */
  after: string | null;
  /** Pages told, and members told, so far; `told` once the range's last page is. */
  pages: number;
  events: number;
  told: boolean;
  /** The last uid whose page is pushed (`null`: none yet), and the pages pushed. */
  pushedAfter: string | null;
  pushedPages: number;
  /** Until when the runner that took the range owns it; absent once done or given up. */
  leaseUntil?: T;
  error?: FailureSummary;
  createdAt: T;
  updatedAt: T;
  doneAt?: T;
  /** For a Firestore TTL policy: the marker only matters while redeliveries can happen. */
  expiresAt: T;
}

/** An ended chat's CSV history in Cloud Storage. `bytes` is the file size, `rows` the messages. */
export interface ChatExport<T extends TimestampLike = TimestampLike> {
  path: string;
  rows: number;
  bytes: number;
  createdAt: T;
}

/** Looks up a room by its invite code (the doc id); valid while the room's `inviteCode` matches. */
export interface InviteDoc<T extends TimestampLike = TimestampLike> {
  chatId: string;
  createdAt: T;
}

/**
 * Written in the same batch that ends a chat; its creation triggers the history export, and
 * `exportedAt` marks the export (and the mails) done, once.
 */
export interface EndedChatDoc<T extends TimestampLike = TimestampLike> {
  chatId: string;
  endedAt: T;
  endedBy: string | null;
  exportedAt?: T;
}

/** An {@link EndedChatDoc} as older versions wrote it, in `chat-completions/{chatId}`, with `completedAt` for `endedAt`. */
export interface ChatCompletionDoc<T extends TimestampLike = TimestampLike> {
  chatId: string;
  completedAt: T;
  endedBy: string | null;
  exportedAt?: T;
}

/** The phases of a personal data export, in order: page their messages, page their thread replies, write the ZIP. */
export type PersonalExportPhase = "messages" | "replies" | "archive";

/**
 * `personal-exports/{uid}`: the user's newest export of their own data (`POST /v1/me/export`),
 * server only. While `running`, each run of its trigger does one step of `phase` (a page of
 * messages into `personal-exports/{uid}/{id}/parts/`, or the ZIP) and writes the next step here,
 * which runs the trigger again; `ready` once the ZIP is written and the mail queued.
 */
export interface PersonalExportDoc<T extends TimestampLike = TimestampLike> {
  status: "running" | "ready";
  /** This export's id (the request time in ms): its Storage folder `personal-exports/{uid}/{id}/`. */
  id: string;
  requestedAt: T;
  phase: PersonalExportPhase;
  /** The path of the last message of the phase's last page; `null` before its first. */
  cursor: string | null;
  /**
   * The parts written so far, by phase, in order: the Storage objects
   * (`personal-exports/{uid}/{id}/parts/{phase}-{n}-{run}.jsonl`) whose steps committed.
   */
  parts: { messages: string[]; replies: string[] };
  /** What the export holds so far: their messages, thread replies and files. */
  counts: { messages: number; replies: number; files: number };
  /** When an ask for it while it ran found it stalled and started its next step again. */
  nudgedAt?: T;
  /**
   * The other users the export names (quoted or mentioned in their messages, blocked, muted,
   * the other member of a 1:1 chat): erasing one of them withdraws the export.
   */
  others?: string[];
  /** Once ready: the ZIP's path in the bucket, its size in bytes, and when it was done. */
  path?: string;
  bytes?: number;
  readyAt?: T;
}

/** A mail in the format of the official "Trigger Email from Firestore" extension. */
export interface MailDoc {
  to: string;
  message: { subject: string; text: string; html: string };
  /** The recipient's uid (Parley's field; the extension ignores it), so erasing an account finds its mail. */
  uid: string;
}

/** One message. `number` is 1, 2, 3… per chat, gapless and unique. */
export interface MessageDoc<T extends TimestampLike = TimestampLike> {
  number: number;
  from: string | null;
  type: MessageType;
  /** The text, or a file's caption ("" for none). */
  text: string;
  clientMessageId: string | null;
  createdAt: T;
  /** Only on `file`, `image` and `voice` messages. */
  file?: FileDoc;
  /** A reply's quoted message, or where a forwarded message came from. */
  reference?: MessageReference;
  /** Only on `system` messages: what happened. */
  event?: SystemEvent;
  /** Set when the sender edited the text. */
  editedAt?: T;
  /**
   * How many times the sender edited the text (absent: never, or edited before edits were
   * counted); the texts it replaced are `edits/1..editCount` ({@link MessageEditDoc}).
   */
  editCount?: number;
  /** "Deleted for everyone": text, file and reference are gone, the number stays taken. */
  deleted?: boolean;
  deletedAt?: T;
  /**
   * emoji -> members who reacted with it, kept equal to the message's {@link ReactionDoc}s (each
   * reaction's doc and count change in one batch). A key is added and removed only together
   * with its {@link ShownEmojiDoc}; a count may sit at 0 only after two take-backs raced, until
   * the next emoji is added or removed.
   */
  reactions?: Record<string, number>;
  /** The members the message mentions (never the sender's own unread). */
  mentions?: string[];
  /** The text's search words (lower-cased, accents removed, each once; see `searchWords`); not in views. */
  words?: string[];
  /** Only on `poll` messages (whose `text` is the question). */
  poll?: PollDoc<T>;
  /**
   * A thread reply (in `threads/{messageId}/replies`, `number` its number in the thread), or a
   * reply also shown in the channel: the number of the thread's parent message.
   */
  threadOf?: number;
  /** A thread's parent: its replies so far (kept by each reply's batch, see {@link ThreadDoc}). */
  thread?: ThreadSummary<T>;
  /**
   * A text message's link preview: of the first http(s) URL of its text, written after the
   * send by the message trigger (`onMessageCreated`, after the push); removed by the sender, an edit that changes
   * that URL, or a delete.
   */
  linkPreview?: LinkPreviewDoc;
  /** The sender removed the link preview: none is written again. */
  linkPreviewRemoved?: boolean;
}

/**
 * A link preview as stored: the page's Open Graph (or Twitter card) title, description and site
 * name, and its image copied to `chats/{chatId}/link-previews/{messageId}.{jpg|png}` (longest
 * side at most 320 px), never the third party's URL.
 */
export interface LinkPreviewDoc {
  /** The URL of the text the preview is of (as written in the text). */
  url: string;
  /** The page's title ("" for none). */
  title: string;
  /** The page's description ("" for none). */
  description: string;
  /** The site's name ("" for none). */
  siteName: string;
  /** The page's image, copied to Storage; absent when it had none or it did not load. */
  image?: ThumbnailDoc;
}

/** What a thread's parent message shows of its thread. */
export interface ThreadSummary<T extends TimestampLike = TimestampLike> {
  replyCount: number;
  lastReplyAt: T;
  /** The first {@link THREAD_REPLIERS_SHOWN} members who replied, in order. */
  repliers: string[];
}

/** How many repliers a thread's parent lists. */
export const THREAD_REPLIERS_SHOWN = 3;

/** Most members a thread keeps as participants (unread, events and pushes); later ones are not told. */
export const MAX_THREAD_PARTICIPANTS = 100;

/**
 * `chats/{chatId}/threads/{messageId}`: the thread on message `parent`, created by its first
 * reply. Replies are numbered 1, 2, 3... gapless: each reply's batch `create`s reply n+1 and
 * writes `replyCount` n+1 over the doc as read. `participants` (the parent's sender, the
 * repliers, the members mentioned; at most {@link MAX_THREAD_PARTICIPANTS}) are told of each
 * reply; `read.{uid}` is a participant's read position in the thread, so their unread replies
 * are `replyCount - read.{uid}`.
 */
export interface ThreadDoc<T extends TimestampLike = TimestampLike> {
  parent: number;
  replyCount: number;
  lastReplyAt: T;
  /** The first repliers, at most {@link THREAD_REPLIERS_SHOWN}. */
  repliers: string[];
  participants: string[];
  read: Record<string, number>;
}

/** An option's voters are listed on its poll (`PollDoc.voters`) while it has fewer votes than this. */
export const MAX_LISTED_VOTERS = 50;

/**
 * A poll, on its message. `votes` and `voterCount` are kept equal to the poll's {@link VoteDoc}s:
 * each vote's doc and counts change in one batch, counts by `increment`. `voters` (polls that
 * are not anonymous) lists an option's voters while it had under {@link MAX_LISTED_VOTERS} votes
 * when each voted: a uid joins and leaves the list in the batch of its vote, so a list is exact
 * whenever its length equals the option's count (views show it then only).
 */
export interface PollDoc<T extends TimestampLike = TimestampLike> {
  question: string;
  /** The options' texts, 2 to 10; an option is named by its index. */
  options: string[];
  /** Members may vote for several options (else one; a vote for another moves it). */
  multiple: boolean;
  /** No one is told who voted for what (no `voters`; vote docs are read by their voter only). */
  anonymous: boolean;
  /** Closed by its sender: no more votes. */
  closed: boolean;
  closedAt?: T;
  /** Option index ("0", "1", ...) -> votes. */
  votes: Record<string, number>;
  /** Members with at least one vote. */
  voterCount: number;
  /** Option index -> voters' uids (see above); never on anonymous polls. */
  voters?: Record<string, string[]>;
}

/**
 * `chats/{chatId}/votes/{uid}_{messageId}`: member `uid`'s votes in poll `number` (option
 * indexes, ascending; never empty: the last take-back deletes the doc). The id makes one doc per
 * member and poll, and puts one member's votes in a chat in one id range. Its voter reads it.
 */
export interface VoteDoc<T extends TimestampLike = TimestampLike> {
  uid: string;
  number: number;
  options: number[];
  updatedAt: T;
}

/**
 * `chats/{chatId}/open-polls/{messageId}`: poll `number` is open. Created with the poll's
 * message, deleted when it is closed or deleted; every vote updates it (an `exists`
 * precondition), so a vote in flight can't count after the close. Server only.
 */
export interface OpenPollDoc {
  number: number;
}

/**
 * `chats/{chatId}/messages/{messageId}/edits/{version}`: the text message `number` had as its
 * version `version` (1 = as sent), kept when the edit `version` replaced it at `editedAt`. The
 * edit writes it in the batch that changes the message, so a message with `editCount` n has
 * exactly `edits/1..n`; deleting the message (for everyone, or by retention) deletes them in the
 * same batch, and purging an ended chat deletes them with the chat (`recursiveDelete`). Members
 * read them (rules).
 */
export interface MessageEditDoc<T extends TimestampLike = TimestampLike> {
  number: number;
  version: number;
  text: string;
  editedAt: T;
}

/**
 * `chats/{chatId}/reactions/{uid}_{messageId}_{emojiKey}`: member `uid` reacted to message
 * `number` with `emoji` (`emojiKey`: its code points in hex, joined by `-`). The id makes a
 * reaction exist once, and puts one member's reactions in a chat in one id range. Members read them.
 */
export interface ReactionDoc<T extends TimestampLike = TimestampLike> {
  uid: string;
  number: number;
  emoji: string;
  createdAt: T;
}

/**
 * `chats/{chatId}/shown-emoji/{messageId}_{emojiKey}`: message `number` shows `emoji` (its
 * `reactions` map has the key). Created and deleted with the key, under the message's update
 * time; a reaction to an emoji already shown updates it (an `exists` precondition), so it can't
 * bring back a key that was removed meanwhile. Server only.
 */
export interface ShownEmojiDoc {
  number: number;
  emoji: string;
}

/** A member's "delete for me" list: message numbers hidden from their listings. */
export interface HiddenMessagesDoc {
  numbers: number[];
  /** The member (the doc's id), so erasing an account finds the lists of chats left before. */
  uid?: string;
}

/** One device of a user that gets push notifications. `token` is the FCM registration token. */
export interface DeviceDoc<T extends TimestampLike = TimestampLike> {
  token: string;
  platform: "ios" | "android" | "web";
  createdAt: T;
  updatedAt: T;
}

/** The user a registration token currently belongs to (a token moves to its latest registrant). */
export interface DeviceTokenDoc<T extends TimestampLike = TimestampLike> {
  uid: string;
  updatedAt: T;
}

/**
 * The claim of one push event (a 1:1 message, or one page of a room's fan-out): which devices it
 * reached, so a retried event pushes only to the rest. `sending` while a runner holds it (until
 * `leaseUntil`), `done` when every device was reached or refused for good, `failed` when some
 * are still to be tried (`error` says why).
 */
export interface PushEventDoc<T extends TimestampLike = TimestampLike> {
  chatId: string;
  number: number;
  state: "sending" | DeliveryState;
  attempts: number;
  /** Ids (token hashes) of the devices FCM accepted a message for, and of those it refused for good. */
  delivered: string[];
  refused: string[];
  leaseUntil?: T;
  error?: FailureSummary;
  createdAt: T;
  /** For a Firestore TTL policy: the claim only matters while redeliveries can happen. */
  expiresAt: T;
  /** Set once done: how many FCM accepted and refused for good, dead devices removed. */
  finishedAt?: T;
  sent: number;
  failed: number;
  removedDevices: number;
}

/**
 * An event a trigger gave up on: it failed in a way a retry would not mend (`permanent`), or it
 * was older than `EVENT_MAX_AGE_MINUTES` when delivered (`too-old`). Server only.
 */
export interface FailedEventDoc<T extends TimestampLike = TimestampLike> {
  trigger: string;
  eventId: string;
  subject: string;
  reason: "permanent" | "too-old";
  error: FailureSummary | null;
  failedAt: T;
  expiresAt: T;
}

/**
 * A push that would have gone to FCM, written instead of sending when the transport is
 * `outbox` (always under the emulator). `message` is exactly the FCM message.
 */
export interface PushOutboxDoc<T extends TimestampLike = TimestampLike> {
  eventId: string;
  chatId: string;
  number: number;
  uid: string;
  message: Record<string, unknown>;
  createdAt: T;
}

/**
 * The Cloud Storage object of a file or image message, at `path` in the default bucket:
 * `chats/{chatId}/{uploadId}/{safe name}`. `name` is the file name as the sender gave it (for
 * display only), `size` is in bytes, `sha256` is hex. Images also carry their pixel size
 * (as displayed, after EXIF orientation) and a thumbnail; voice messages their duration (read
 * from the audio) and, when the sender's app sent one, a waveform.
 */
export interface FileDoc {
  path: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  width?: number;
  height?: number;
  thumbnail?: ThumbnailDoc;
  /** Voice: how long the audio lasts, in milliseconds, as read from its bytes. */
  durationMs?: number;
  /** Voice: 64 amplitudes 0-255, evenly spaced over the recording, as the sender's app measured them. */
  waveform?: number[];
}

/** An image's thumbnail object (`.../thumbnail/320.jpg` or `.png`): longest side at most 320 px. */
export interface ThumbnailDoc {
  path: string;
  contentType: string;
  width: number;
  height: number;
  size: number;
}

/** Marks that a sender's `clientMessageId` already produced message `number` in this chat. */
export interface ClientMessageKeyDoc<T extends TimestampLike = TimestampLike> {
  number: number;
  createdAt: T;
  /** A thread reply's key: its thread's parent (`number` is the reply's number in it). */
  threadOf?: number;
}

/** The one doc a client listens to for "something new arrived anywhere". */
export interface ExternalEventDoc<T extends TimestampLike = TimestampLike> {
  notifyNewMessage: boolean;
  lastEvent: { chatId: string; number: number; at: T } | null;
  /**
   * The app badge: the user's unread messages and thread replies across all chats, muted chats
   * and muted or blocked senders left out; the sum of `badge`'s counts. Absent: 0.
   */
  unreadTotal?: number;
  /**
   * What `unreadTotal` sums, per chat (key: the chat's id) and per thread (key:
   * `{chatId}:{parent}`); see `timeline/badge.ts`. Absent: nothing counted yet.
   */
  badge?: Record<string, BadgeShare<T>>;
}

/**
 * One chat's or thread's part of a user's app badge (`users-external-event/{uid}.badge.{key}`).
 * Written whole, on the event doc as read, by every write that changes it.
 */
export interface BadgeShare<T extends TimestampLike = TimestampLike> {
  /**
   * The counted unread messages, as runs flattened into triples `[from, to, count, ...]`:
   * numbers `from..to`, of which `count` count (a run with no gaps has `count = to - from + 1`).
   * Ascending and disjoint. Absent: none.
   */
  runs?: number[];
  /** The read position: numbers up to it never count (a room's fan-out may come after a read). */
  readUpTo?: number;
  /** A chat's mute (`null`: until unmuted): messages created before it ends don't count. */
  mutedUntil?: T | null;
  /** The user left the room: nothing of it counts until they join again. */
  left?: boolean;
  /**
   * A room's own share: the number of the message that opened the user's current unread streak
   * with a push (`push/streak.ts`). While it is past `readUpTo`, the room's further messages
   * push them only when they mention them; once they read up to it, the next message pushes
   * again. Absent: no push yet (or since a mute or a join).
   */
  pushedUpTo?: number;
}

/** `true` for the id of a 1:1 chat (it holds `_`); rooms have auto ids, which never do. */
export function isDirectChatId(chatId: string): boolean {
  return chatId.includes("_");
}

/** The id of the 1:1 chat between two users: both uids sorted, joined by `_`. */
export function directChatId(a: string, b: string): string {
  return a < b ? `${a}_${b}` : `${b}_${a}`;
}

/** Message doc ids are the zero-padded number, so they sort like the numbers they hold. */
export function messageId(number: number): string {
  return String(number).padStart(10, "0");
}

/**
 * The doc id of the marker of uid range `range` of a room's fan-out of message `number`:
 * `fan-outs/{chatId}-{number}-{range}` (see `push/uid-ranges.ts`).
 */
export function fanOutId(chatId: string, number: number, range: number): string {
  return `${chatId}-${number}-${range}`;
}

/**
 * The id of the push event of page `page` (0-based, at most 400 members) of range `range` of a
 * room's fan-out of message `number`: `push-events/{chatId}-{number}-{range}-{page}`.
 */
export function fanOutPushId(chatId: string, number: number, range: number, page: number): string {
  return `${fanOutId(chatId, number, range)}-${page}`;
}

/** The doc id of `reporter`'s report of message `number` of chat `chatId`: `reports/{chatId}-{number}-{reporter}`. */
export function reportId(chatId: string, number: number, reporter: string): string {
  return `${chatId}-${number}-${reporter}`;
}

/** The doc id of the mail telling member `uid` of chat `chatId`'s history export (one per completion, `endedAtMs`). */
export function exportMailId(chatId: string, endedAtMs: number, uid: string): string {
  return `export-${chatId}-${endedAtMs}-${uid}`;
}

/** The `mail/{id}` of the mail about user `uid`'s data export `exportId`: one per export. */
export function personalExportMailId(uid: string, exportId: string): string {
  return `personal-export-${uid}-${exportId}`;
}

/**
 * The doc id of member `uid`'s reaction `emoji` to message `number`: `{uid}_{messageId}_{emojiKey}`,
 * where `emojiKey` is the emoji's code points in hex joined by `-` ("👍🏽" → "1f44d-1f3fd"), so
 * any emoji makes a safe id and one member's reactions in a chat sort together by number.
 */
export function reactionId(uid: string, number: number, emoji: string): string {
  return `${uid}_${shownEmojiId(number, emoji)}`;
}

/** The doc id of member `uid`'s {@link VoteDoc} in poll `number`: `{uid}_{messageId}`. */
export function voteId(uid: string, number: number): string {
  return `${uid}_${messageId(number)}`;
}

/** The doc id of {@link ShownEmojiDoc} `emoji` on message `number`: `{messageId}_{emojiKey}`. */
export function shownEmojiId(number: number, emoji: string): string {
  const key = [...emoji].map((char) => (char.codePointAt(0) ?? 0).toString(16)).join("-");
  return `${messageId(number)}_${key}`;
}

/**
 * `chats/{chatId}/typing/{uid}`: member `uid` is typing until `until` (5 s after they said so;
 * a stop sets it to the stop's time). `writtenAt` is the write's time: one write per user and
 * chat every 3 s at most. Members read them.
 */
export interface TypingDoc<T extends TimestampLike = TimestampLike> {
  uid: string;
  until: T;
  writtenAt: T;
}

/**
 * `presence/{uid}`: the user's last heartbeat. They are online while `online` and `onlineUntil`
 * is in the future (a heartbeat every 60 s keeps it so); `lastSeen` is the last heartbeat's
 * time. Readable by the user and by the other member of a 1:1 chat with them.
 */
export interface PresenceDoc<T extends TimestampLike = TimestampLike> {
  uid: string;
  online: boolean;
  lastSeen: T;
  onlineUntil: T;
  /** Who may see it, copied from `user-settings/{uid}.presence` (absent: `contacts`). */
  visibility?: PresenceVisibility;
}

/** Who sees a user's presence: people who share a chat with them (the default), or no one. */
export type PresenceVisibility = "contacts" | "nobody";

/**
 * `user-settings/{uid}`: the user's privacy settings, readable by them alone (rules) and written
 * by the server (`PATCH /v1/me/settings`). Absent: the defaults.
 */
export interface UserSettingsDoc<T extends TimestampLike = TimestampLike> {
  /** Who sees the user's presence (absent: `contacts`). */
  presence?: PresenceVisibility;
  /** `false`: the user sends no "seen" and sees no one's (absent: on). */
  readReceipts?: boolean;
  /**
   * The user's private state of their 1:1 chats: chatId -> {@link DirectPrivateState}. Kept here,
   * not on the chat doc both members read. Written by mutes, private reads, pins and archiving; absent: none.
   */
  direct?: Record<string, DirectPrivateState<T>>;
  /**
   * The users this user muted: uid -> when (`POST /v1/users/{uid}/mute`). Their messages in
   * rooms push nothing to this user; at most `MAX_MUTED_USERS`. Absent: none.
   */
  mutedUsers?: Record<string, T>;
  updatedAt?: T;
}

/**
 * One user's private state of one 1:1 chat (`user-settings/{uid}.direct.{chatId}`).
 * `readUpTo` and `readOffset` are there while the user's reads of the chat are private (read
 * receipts off, or a message request sent to them): their read position, and how many of
 * `chats/{chatId}.unread.{uid}` they have read, so their unread count is `unread - readOffset`.
 * A public read removes both.
 */
export interface DirectPrivateState<T extends TimestampLike = TimestampLike> {
  /** The end of the user's mute (`null`: until unmuted); absent: not muted. No push while muted. */
  mutedUntil?: T | null;
  readUpTo?: number;
  readOffset?: number;
  /** When the user pinned the chat to the top of their chat list; absent: not pinned. */
  pinnedAt?: T;
  /** When the user archived the chat ({@link isArchived} says whether it still is); absent: not archived. */
  archivedAt?: T;
}

/**
 * Whether a chat archived at `archivedAt` is still archived: an archived chat comes back to the
 * chat list when a message arrives while its member has not muted it (as in WhatsApp), so it is
 * archived unless its newest message (`lastMessageAt`) is newer than the archiving and came
 * while unmuted (`mutedUntil`: the member's mute, see {@link DirectPrivateState.mutedUntil}).
 * Derived when read, so a message writes nothing for it.
 */
export function isArchived<T extends TimestampLike>(
  archivedAt: T | undefined,
  lastMessageAt: T | null,
  mutedUntil: T | null | undefined,
): boolean {
  if (archivedAt === undefined) return false;
  const messageAt = lastMessageAt?.toDate().getTime();
  if (messageAt === undefined || messageAt <= archivedAt.toDate().getTime()) return true;
  return mutedUntil === null || (mutedUntil !== undefined && mutedUntil.toDate().getTime() > messageAt);
}

/** Whether `settings` turn read receipts off (they are on by default). */
export function receiptsOff(settings: Pick<UserSettingsDoc, "readReceipts"> | undefined): boolean {
  return settings?.readReceipts === false;
}

/**
 * The end of `uid`'s mute of 1:1 chat `chatId` (`null`: until unmuted; `undefined`: not muted):
 * their {@link DirectPrivateState.mutedUntil}, or on a chat muted before mutes were private, the
 * chat doc's `mutedUntil.{uid}`.
 */
export function directMuteOf<T extends TimestampLike>(
  chat: Pick<ChatDoc<T>, "mutedUntil">,
  chatId: string,
  uid: string,
  settings: Pick<UserSettingsDoc<T>, "direct"> | undefined,
): T | null | undefined {
  const own = settings?.direct?.[chatId];
  return own && "mutedUntil" in own ? own.mutedUntil : chat.mutedUntil?.[uid];
}

/**
 * A document snapshot of either SDK: its id, its data and where it lives. `T` is the doc's shape
 * when the snapshot was read through a converter (the server's are, `shared/model.ts`).
 */
export interface SnapshotLike<T = unknown> {
  id: string;
  ref: { parent: { parent: { id: string } | null } };
  data(): T;
}

/**
 * `reports/{chatId}-{number}-{reporterUid}`: a member reported a message (once per member and
 * message: the id is the pair). Holds what the message was when reported, so a moderator sees
 * it after an edit or a delete. Server only; moderators use the API.
 */
export interface ReportDoc<T extends TimestampLike = TimestampLike> {
  chatId: string;
  number: number;
  reporter: string;
  reason: string;
  /** The reported message's sender, type and preview (≤ 100 characters) at report time. */
  message: { from: string | null; type: MessageType; preview: string };
  status: "open" | "resolved";
  createdAt: T;
  resolvedAt?: T;
  resolvedBy?: string;
  resolution?: string;
}

/** What a moderator did, as `moderation-audit/{id}` records it. */
export type AuditAction =
  | "resolve-report"
  | "delete-message"
  | "remove-member"
  | "unban-member"
  | "rotate-invite"
  | "delete-account"
  | "register-webhook"
  | "delete-webhook";

/**
 * `moderation-audit/{id}`: one moderator action, written in the same batch or transaction as
 * the action itself, so none goes unrecorded. Server only; never updated or deleted by Parley.
 */
export interface AuditDoc<T extends TimestampLike = TimestampLike> {
  moderator: string;
  action: AuditAction;
  /** The chat acted on; absent for `delete-account`. */
  chatId?: string;
  /** `delete-account`: the erasure job's id (`account-deletions/{id}`, a hash of the uid), never the uid. */
  account?: string;
  number?: number;
  uid?: string;
  reportId?: string;
  /** `register-webhook`, `delete-webhook`: the webhook (`webhooks/{webhookId}`). */
  webhookId?: string;
  note?: string;
  at: T;
}

/** One quota's count in its current window (`windowStart`: ms since the epoch). */
export interface QuotaCounter {
  windowStart: number;
  used: number;
}

/** A token bucket as stored: tokens left, and when they were counted (ms since the epoch). */
export interface StoredBucket {
  tokens: number;
  at: number;
}

/**
 * `rate-limits/{uid}`: a user's durable quotas and rate limits (server only): chats and rooms
 * created this hour, file bytes stored this day, and a token bucket per action class
 * (`shared/action-limits.ts`: membership, reactions, edits, reports, searches, settings). Send
 * rates are not here: they live on the docs a send writes (`ChatDoc.sendRate`,
 * `MemberDoc.sendRate`).
 */
export interface RateLimitDoc {
  creations?: QuotaCounter;
  uploadBytes?: QuotaCounter;
  buckets?: Record<string, StoredBucket>;
}

/**
 * What a deleted account's messages, reports and records show in place of its uid (`from`, a
 * quote's `from`, a report's sender, an audit entry's moderator): no uid, and views name it
 * "Deleted user". Not a uid Firebase Auth makes (those are 28 characters of base62 or more).
 */
export const DELETED_USER = "deleted-user";

/** What happens to a deleted account's messages (`ACCOUNT_DELETION_MESSAGES`). */
export type DeletionMessagePolicy = "anonymise" | "delete";

/**
 * `account-deletions/{uidHash}` (`uidHash`: SHA-256 hex of the uid): the erasure job of one
 * account, run page by page by `accounts/on-account-deletion.ts`, each page's writes committed
 * with the job's progress. `uid` is there while it runs and removed with the last page, so a
 * finished job keeps no uid; its id (a hash) makes a second request (the API, then the Auth
 * trigger) find the job instead of starting another. Server only.
 */
export interface AccountDeletionDoc<T extends TimestampLike = TimestampLike> {
  /** The account's uid; absent once done. */
  uid?: string;
  state: "running" | "done";
  /** Who asked: the user (`DELETE /v1/me`), a moderator, or Firebase Auth (the user was deleted there). */
  requestedBy: "self" | "moderator" | "auth";
  messages: DeletionMessagePolicy;
  /** The index of the sweep under way (`accounts/sweeps.ts`), and its name. */
  phase: number;
  phaseName: string;
  /** Docs each sweep changed so far, by sweep name. */
  counts: Record<string, number>;
  /** Pages run (each a batch). */
  pages: number;
  startedAt: T;
  updatedAt: T;
  doneAt?: T;
}

/** The events a webhook may subscribe to (README, "Webhooks"). */
export type WebhookEventType =
  | "message.new"
  | "message.updated"
  | "message.deleted"
  | "reaction.new"
  | "member.joined"
  | "member.left"
  | "chat.ended"
  | "report.created";

/**
 * `webhooks/{id}`: an endpoint an operator registered (Firebase console, a script with the Admin
 * SDK). Server only: no rule lets a client read or write it. `url` is http(s) and must resolve
 * to a public address (or one on `WEBHOOK_ALLOWED_IPS`); `events` the types it is sent.
 */
export interface WebhookDoc {
  url: string;
  events: WebhookEventType[];
  /** `false` pauses it: no new deliveries are recorded (absent: active). */
  active?: boolean;
}

/** Where a {@link WebhookDeliveryDoc} stands: to be tried (again), or done for good. */
export type WebhookDeliveryState = "pending" | "delivered" | "failed";

/**
 * `webhook-deliveries/{webhookId}_{eventId}`: one event's delivery to one webhook, created by the
 * trigger that saw the event (so a trigger run twice finds it) and updated by every attempt.
 * Server only. `payload` is the exact JSON body, sent byte for byte on every attempt. A finished
 * delivery is deleted by the retry job after `expiresAt`; account deletion deletes those whose
 * `uids` hold the account.
 */
export interface WebhookDeliveryDoc<T extends TimestampLike = TimestampLike> {
  webhookId: string;
  eventId: string;
  type: WebhookEventType;
  chatId: string;
  /** Sorts the chat's events in the order they happened: deliveries of one (webhook, chat) go in this order. */
  order: string;
  payload: string;
  /** The users the payload names (sender, member, reporter), for account deletion. */
  uids: string[];
  state: WebhookDeliveryState;
  attempts: number;
  /** The last attempt's HTTP status (`null`: none yet, or no answer). */
  lastStatus: number | null;
  /** Why the last attempt failed without a status (`timeout`, `refused-address`, `network`, ...). */
  lastError: string | null;
  /** When the next attempt is due (`null` once finished). */
  nextAttemptAt: T | null;
  /** An attempt under way holds the delivery until then, so two runners don't both send it. */
  leaseUntil: T | null;
  createdAt: T;
  updatedAt: T;
  /** When the retry job may delete the doc (set when it finishes). */
  expiresAt: T | null;
}
