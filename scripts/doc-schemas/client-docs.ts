// The Firestore docs a client reads, one type per collection, with times as Firestore
// timestamps: the input of scripts/doc-schemas.mjs, which turns each into
// schemas/firestore/{file}.schema.json. The set is the client's converters
// (client/src/converters.ts) plus what else firestore.rules lets a client read (`edits`);
// test/unit/doc-schemas.test.ts keeps the three in step.
import type {
  BlockDoc,
  ExternalEventDoc,
  HiddenMessagesDoc,
  MemberDoc,
  MessageDoc,
  MessageEditDoc,
  PersonalExportDoc,
  PresenceDoc,
  ReactionDoc,
  StoredChatDoc,
  ThreadDoc,
  TimestampLike,
  TypingDoc,
  UserDoc,
  UserSettingsDoc,
  VoteDoc,
} from "../../functions/src/shared/docs.js";

/**
 * A Firestore timestamp. Its schema is `timestampSchema` of scripts/doc-schemas.mjs: an RFC 3339
 * date-time string.
 */
export type FirestoreTimestamp = TimestampLike;

export type Users = UserDoc<FirestoreTimestamp>;
export type Blocks = BlockDoc<FirestoreTimestamp>;
export type Chats = StoredChatDoc<FirestoreTimestamp>;
export type Members = MemberDoc<FirestoreTimestamp>;
export type Messages = MessageDoc<FirestoreTimestamp>;
export type Edits = MessageEditDoc<FirestoreTimestamp>;
export type Threads = ThreadDoc<FirestoreTimestamp>;
export type Replies = MessageDoc<FirestoreTimestamp>;
export type Hidden = HiddenMessagesDoc;
export type Reactions = ReactionDoc<FirestoreTimestamp>;
export type Votes = VoteDoc<FirestoreTimestamp>;
export type Typing = TypingDoc<FirestoreTimestamp>;
export type Presence = PresenceDoc<FirestoreTimestamp>;
export type UserSettings = UserSettingsDoc<FirestoreTimestamp>;
export type ExternalEvents = ExternalEventDoc<FirestoreTimestamp>;
export type PersonalExports = PersonalExportDoc<FirestoreTimestamp>;
