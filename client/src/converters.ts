// The Firestore docs the client reads, typed: one converter per collection, built here and
// nowhere else, from the doc shapes the server declares (`functions/src/shared/docs.ts`). The
// converters pass data through as it is stored (no runtime parsing): only the server writes
// these docs, and the security rules let a client read no others.
import {
  collection,
  collectionGroup,
  doc,
  type CollectionReference,
  type DocumentData,
  type DocumentReference,
  type Firestore,
  type FirestoreDataConverter,
  type Query,
  type Timestamp,
} from "firebase/firestore";
import {
  chatOfStored,
  collectionNames,
  defaultCollections,
  messageId,
  type CollectionConfig,
  type CollectionNames,
  type BlockDoc,
  type ChatDoc,
  type ExternalEventDoc,
  type HiddenMessagesDoc,
  type MemberDoc,
  type MessageDoc,
  type PresenceDoc,
  type ReactionDoc,
  type StoredChatDoc,
  type ThreadDoc,
  type TypingDoc,
  type UserDoc,
  type UserSettingsDoc,
  type VoteDoc,
  type PersonalExportDoc,
} from "../../functions/src/shared/docs.js";

/**
 * A converter that hands a doc's data over as `S`, as stored: the one place the client asserts a
 * doc's shape. Where older docs name a field differently, `fromStored` gives today's `T` (as
 * `chatOfStored` does for chats).
 */
function passThrough<T, S = T>(fromStored?: (stored: S) => T): FirestoreDataConverter<T, DocumentData> {
  return {
    toFirestore: (model) => model as DocumentData,
    fromFirestore: (snapshot, options) => {
      const stored = snapshot.data(options);
      return fromStored ? fromStored(stored as S) : (stored as T);
    },
  };
}

/** The converter of each collection the client reads, by the collection's key in `collections`; times are the web SDK's `Timestamp`. */
export const converters = {
  users: passThrough<UserDoc<Timestamp>>(),
  blocks: passThrough<BlockDoc<Timestamp>>(),
  chats: passThrough<ChatDoc<Timestamp>, StoredChatDoc<Timestamp>>(chatOfStored),
  members: passThrough<MemberDoc<Timestamp>>(),
  messages: passThrough<MessageDoc<Timestamp>>(),
  threads: passThrough<ThreadDoc<Timestamp>>(),
  replies: passThrough<MessageDoc<Timestamp>>(),
  hidden: passThrough<HiddenMessagesDoc>(),
  reactions: passThrough<ReactionDoc<Timestamp>>(),
  votes: passThrough<VoteDoc<Timestamp>>(),
  typing: passThrough<TypingDoc<Timestamp>>(),
  presence: passThrough<PresenceDoc<Timestamp>>(),
  userSettings: passThrough<UserSettingsDoc<Timestamp>>(),
  externalEvents: passThrough<ExternalEventDoc<Timestamp>>(),
  personalExports: passThrough<PersonalExportDoc<Timestamp>>(),
};

/** The doc shape a converter of {@link converters} gives. */
export type DocOf<K extends keyof typeof converters> = (typeof converters)[K] extends FirestoreDataConverter<infer T> ? T : never;

/** The collection names configured per Firestore instance ({@link configureCollections}). */
const namesByDb = new WeakMap<Firestore, CollectionNames>();

/**
 * Makes {@link refs} use `config`'s collection names for `db` (the server's
 * `functions/parley.config.json` must say the same). `createParleyClient` calls it with its
 * `collections` option. Throws an `Error` when the config is not valid (see `collectionNames`).
 */
export function configureCollections(db: Firestore, config: CollectionConfig): void {
  namesByDb.set(db, collectionNames(config));
}

/** The collection names of `db`: those configured for it, else the defaults. */
export function collectionsOf(db: Firestore): CollectionNames {
  return namesByDb.get(db) ?? defaultCollections;
}

/** Typed references to what the client reads, each with its collection's converter, in `db`'s collection names. */
export const refs = {
  /** `users/{uid}`: a public profile (any signed-in user reads it). */
  user: (db: Firestore, uid: string): DocumentReference<DocOf<"users">> =>
    doc(db, collectionsOf(db).users, uid).withConverter(converters.users),
  /** `blocks`: who blocked whom (a user reads the blocks they made). */
  blocks: (db: Firestore): CollectionReference<DocOf<"blocks">> =>
    collection(db, collectionsOf(db).blocks).withConverter(converters.blocks),
  /** `chats`: every chat. */
  chats: (db: Firestore): CollectionReference<DocOf<"chats">> =>
    collection(db, collectionsOf(db).chats).withConverter(converters.chats),
  /** `chats/{chatId}`. */
  chat: (db: Firestore, chatId: string): DocumentReference<DocOf<"chats">> =>
    doc(db, collectionsOf(db).chats, chatId).withConverter(converters.chats),
  /** `chats/{roomId}/members/{uid}`: a room member's state. */
  member: (db: Firestore, chatId: string, uid: string): DocumentReference<DocOf<"members">> =>
    doc(db, collectionsOf(db).chats, chatId, collectionsOf(db).members, uid).withConverter(converters.members),
  /** Every room's `members` (a collection group). */
  memberships: (db: Firestore): Query<DocOf<"members">> =>
    collectionGroup(db, collectionsOf(db).members).withConverter(converters.members),
  /** `chats/{chatId}/messages`. */
  messages: (db: Firestore, chatId: string): CollectionReference<DocOf<"messages">> =>
    collection(db, collectionsOf(db).chats, chatId, collectionsOf(db).messages).withConverter(converters.messages),
  /** `chats/{chatId}/messages/{messageId}`: message `number`. */
  message: (db: Firestore, chatId: string, number: number): DocumentReference<DocOf<"messages">> =>
    doc(db, collectionsOf(db).chats, chatId, collectionsOf(db).messages, messageId(number)).withConverter(converters.messages),
  /** `chats/{chatId}/threads/{messageId}/replies`: the replies in the thread on message `number`. */
  replies: (db: Firestore, chatId: string, number: number): CollectionReference<DocOf<"replies">> =>
    collection(
      db,
      collectionsOf(db).chats,
      chatId,
      collectionsOf(db).threads,
      messageId(number),
      collectionsOf(db).replies,
    ).withConverter(converters.replies),
  /** `chats/{chatId}/hidden/{uid}`: the messages `uid` deleted for themselves. */
  hidden: (db: Firestore, chatId: string, uid: string): DocumentReference<DocOf<"hidden">> =>
    doc(db, collectionsOf(db).chats, chatId, collectionsOf(db).hidden, uid).withConverter(converters.hidden),
  /** `chats/{chatId}/reactions`. */
  reactions: (db: Firestore, chatId: string): CollectionReference<DocOf<"reactions">> =>
    collection(db, collectionsOf(db).chats, chatId, collectionsOf(db).reactions).withConverter(converters.reactions),
  /** `chats/{chatId}/votes`: poll votes (a member reads their own). */
  votes: (db: Firestore, chatId: string): CollectionReference<DocOf<"votes">> =>
    collection(db, collectionsOf(db).chats, chatId, collectionsOf(db).votes).withConverter(converters.votes),
  /** `chats/{chatId}/typing`: the members' typing indicators. */
  typing: (db: Firestore, chatId: string): CollectionReference<DocOf<"typing">> =>
    collection(db, collectionsOf(db).chats, chatId, collectionsOf(db).typing).withConverter(converters.typing),
  /** `presence/{uid}`. */
  presence: (db: Firestore, uid: string): DocumentReference<DocOf<"presence">> =>
    doc(db, collectionsOf(db).presence, uid).withConverter(converters.presence),
  /** `user-settings/{uid}` (only its user reads it). */
  userSettings: (db: Firestore, uid: string): DocumentReference<DocOf<"userSettings">> =>
    doc(db, collectionsOf(db).userSettings, uid).withConverter(converters.userSettings),
  /** `users-external-event/{uid}`: the user's "something new" doc. */
  externalEvents: (db: Firestore, uid: string): DocumentReference<DocOf<"externalEvents">> =>
    doc(db, collectionsOf(db).externalEvents, uid).withConverter(converters.externalEvents),
  /** `personal-exports/{uid}`: the user's newest export of their data (only its user reads it). */
  personalExport: (db: Firestore, uid: string): DocumentReference<DocOf<"personalExports">> =>
    doc(db, collectionsOf(db).personalExports, uid).withConverter(converters.personalExports),
};
