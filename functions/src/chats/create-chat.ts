import { Firestore, Timestamp, type DocumentReference } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { directChatId, getAll, refs, type ChatDoc, type UserSettingsDoc } from "../shared/model.js";
import { blockedError } from "../users/blocks.js";
import { ensureProfile, requireProfile } from "../users/ensure-profile.js";
import type { FindAuthUser } from "../users/find-auth-user.js";
import { isBlocked } from "../timeline/chat-access.js";
import { shareARoom } from "../timeline/message-requests.js";
import { toChatViewOfDoc, type ChatView } from "./views.js";
import type { CreateChatBody } from "./schemas.js";

/** What {@link createDirectChat} needs besides the chat to open. */
export interface OpenChatOptions {
  /** Makes a missing profile from Firebase Auth. */
  findUser: FindAuthUser;
  /** Charges a new chat to the caller's hourly creations; may refuse. Default: free. */
  chargeCreation?: () => Promise<void>;
  /** Message requests are on (`MESSAGE_REQUESTS`, the default): a chat between users who share no room is one. */
  requests?: boolean;
}

/** The chat {@link createDirectChat} opens, who opens it and when, and {@link OpenChatOptions}. */
export interface CreateDirectChatOptions extends OpenChatOptions {
  /** The request's time: the new chat's `createdAt`, and when a missing profile is made. */
  now: Date;
  /** Who opens the chat: one of its two members. */
  callerUid: string;
  /** The other member (`memberUid`). */
  input: CreateChatBody;
}

/**
 * Creates the 1:1 chat between `callerUid` and `input.memberUid`, or returns the one that exists.
 * Reads `chats/{lowUid_highUid}`, `users/{memberUid}` and the caller's `user-settings/{uid}`
 * (their private state, for the view) together; an existing chat answers at that (3 reads, +1
 * when a block stands in it). Before a new chat, both members get a profile (`ensureProfile`; the Auth
 * trigger may not have run for either): the member's from that read, the caller's with one
 * more read; a missing one is made from Auth (`findUser`: one lookup and one batch each).
 * With `requests` on, a new chat between users who share no room is a message request
 * (`request: {from: caller, to: member, state: "pending"}`, `inbox: [caller]`; `shareARoom`: 1
 * read per room of the caller's, and 1 more per room). Creates the chat in a transaction that
 * also reads both `blocks/` docs between the two (+3 reads), so two callers racing get one doc
 * and a block always wins.
 * A new chat is first charged to the caller's hourly creations (`chargeCreation`, which may
 * refuse); opening an existing one is free.
 * @returns the chat and whether this call created it.
 * @throws AppError `invalid-argument` for a chat with yourself, `not-found` for an unknown user,
 *   `permission-denied` when either blocked the other (an existing chat still opens for the
 *   blocker), `already-exists` when the id is taken by a chat of other members (uids containing
 *   `_`), `resource-exhausted` from `chargeCreation`.
 */
export async function createDirectChat(
  db: Firestore,
  options: CreateDirectChatOptions,
): Promise<{ chat: ChatView; created: boolean }> {
  const { now, callerUid, input, findUser, chargeCreation = () => Promise.resolve(), requests = true } = options;
  const { memberUid } = input;
  if (memberUid === callerUid) {
    throw new AppError("invalid-argument", "memberUid: you cannot start a chat with yourself");
  }
  const members = [callerUid, memberUid].sort();
  const chatRef = refs.chat(db, directChatId(callerUid, memberUid));
  // Opening an existing chat is the common case: one round trip answers it.
  const [chatSnap, memberSnap, settingsSnap] = await getAll(
    db,
    chatRef,
    refs.user(db, memberUid),
    refs.userSettings(db, callerUid),
  );
  const settings = settingsSnap.data();
  const stored = chatSnap.data();
  if (stored) {
    // The chat doc doesn't say who blocked whom: the block doc does (+1 read, blocked chats only).
    const blockedByOther = isBlocked(stored) && (await refs.block(db, memberUid, callerUid).get()).exists;
    return { chat: existingChat(chatRef.id, stored, { members, viewer: callerUid, settings, blockedByOther }), created: false };
  }
  await Promise.all([
    requireProfile(db, { now, uid: memberUid, findUser, known: memberSnap }),
    ensureProfile(db, { now, uid: callerUid, findUser }),
  ]);

  await chargeCreation();
  const request = requests && !(await shareARoom(db, callerUid, memberUid));
  const chat = newDirectChat(now, members, request ? { from: callerUid, to: memberUid } : null);
  return createChat(db, chatRef, chat, { callerUid, memberUid, members, settings });
}

/**
 * A new 1:1 chat of `members` at `now`, nothing sent yet; with `request`, a pending message
 * request in the opener's inbox only.
 */
function newDirectChat(now: Date, members: string[], request: { from: string; to: string } | null): ChatDoc {
  const at = Timestamp.fromDate(now);
  return {
    type: "direct",
    members,
    messageCount: 0,
    lastMessage: null,
    lastMessageAt: null,
    unread: Object.fromEntries(members.map((uid) => [uid, 0])),
    lastRead: Object.fromEntries(members.map((uid) => [uid, 0])),
    started: false,
    wrote: [],
    status: "active",
    createdAt: at,
    updatedAt: at,
    inbox: request ? [request.from] : members,
    ...(request && { request: { ...request, state: "pending" } }),
  };
}

/**
 * Creates `chat` at `chatRef` in a transaction with the two block docs between its members: a
 * block committed meanwhile is either seen here, or sees this chat and marks it `blocked`. A chat
 * created meanwhile is answered as {@link existingChat}.
 * @throws AppError `permission-denied` when either blocked the other, as {@link existingChat}.
 */
function createChat(
  db: Firestore,
  chatRef: DocumentReference<ChatDoc>,
  chat: ChatDoc,
  opening: { callerUid: string; memberUid: string; members: string[]; settings?: UserSettingsDoc },
): Promise<{ chat: ChatView; created: boolean }> {
  const { callerUid, memberUid, members, settings } = opening;
  return db.runTransaction(async (tx) => {
    const [snap, ...blocks] = await getAll(
      tx,
      chatRef,
      refs.block(db, callerUid, memberUid),
      refs.block(db, memberUid, callerUid),
    );
    const [mine, theirs] = blocks.map((block) => block.exists);
    const stored = snap.data();
    if (stored) {
      return {
        chat: existingChat(chatRef.id, stored, { members, viewer: callerUid, settings, blockedByOther: theirs }),
        created: false,
      };
    }
    if (mine || theirs) throw blockedError(mine);
    tx.create(chatRef, chat);
    return { chat: toChatViewOfDoc(chatRef.id, chat, callerUid, { settings }), created: true };
  });
}

/**
 * The stored chat, unless its id is taken by a chat of other members (uids containing `_`), or
 * the other member blocked the caller (a blocker still opens the chat they blocked in, to read it).
 */
function existingChat(
  id: string,
  stored: ChatDoc,
  {
    members,
    viewer,
    settings,
    blockedByOther,
  }: { members: string[]; viewer: string; settings?: UserSettingsDoc; blockedByOther: boolean },
): ChatView {
  if (stored.type !== "direct" || (stored.members ?? []).join("\n") !== members.join("\n")) {
    throw new AppError("already-exists", `Chat id ${id} belongs to another chat.`);
  }
  if (blockedByOther) throw blockedError(false);
  return toChatViewOfDoc(id, stored, viewer, { settings });
}
