import type { Firestore } from "firebase-admin/firestore";
import { pageByDocId } from "../shared/paginate.js";
import { getAll, refs, type ChatDoc } from "../shared/model.js";
import type { PageInput } from "../shared/schemas.js";
import { isBlocked, readAsMember, requireMember } from "../timeline/chat-access.js";
import { wroteInChat } from "../timeline/took-part.js";
import { toPresenceView, type ChatPresence } from "./views.js";

/** Default page size of a room's presence list. */
export const PRESENCE_PAGE_SIZE = 50;

/** Whose presence {@link listChatPresence} lists, for whom, and when. */
export interface ListChatPresenceOptions {
  /** The request's time: who is online is judged at it. */
  now: Date;
  /** Who looks: a member of the chat. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** A room's page of members: `limit` and `cursor` (the last uid of the previous page). */
  input: PageInput;
}

/**
 * The presence of `chatId`'s members, for a member: only people who share a chat see each other.
 * A 1:1 chat answers both members at once; a room a page of its members by uid (`cursor`: the
 * last uid of the previous page). A member is shown as never seen (offline, `lastSeen: null`)
 * when they chose `nobody` (`presence/{uid}.visibility`), when a block stands between them and
 * the caller (either way), when the chat has ended, or, in a 1:1 chat, until they have written
 * in it. Reads `chats/{chatId}` (+ the
 * caller's member doc), the page of `chats/{roomId}/members` (rooms), each member's
 * `presence/{uid}`, and in a room both block docs per member: at most 3 + 4 × `limit`.
 * @throws AppError `not-found` (no chat, or not a member).
 */
export async function listChatPresence(db: Firestore, options: ListChatPresenceOptions): Promise<ChatPresence> {
  const { now, callerUid, chatId, input } = options;
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, callerUid);
  const chat = requireMember(chatSnap, callerUid, memberSnap);
  let uids = chat.members ?? [];
  let nextCursor: string | null = null;
  if (chat.type === "room") {
    const page = await pageByDocId(refs.members(db, chatId), input.limit ?? PRESENCE_PAGE_SIZE, input.cursor);
    uids = page.docs.map((doc) => doc.id);
    nextCursor = page.nextCursor;
  }
  const snaps = uids.length === 0 ? [] : await getAll(db, ...uids.map((uid) => refs.presence(db, uid)));
  const blocked =
    chat.type !== "room" ? directBlocked(chat) : isEnded(chat) ? new Set(uids) : await blockedAmong(db, callerUid, uids);
  const members = uids.map((uid, i) => {
    const presence = snaps[i].data();
    const hidden = uid !== callerUid && (presence?.visibility === "nobody" || blocked.has(uid));
    return toPresenceView(uid, hidden ? undefined : presence, now.getTime());
  });
  return { chatId, members, nextCursor };
}

/**
 * Who `uid`'s view leaves out for the chat as a whole: everyone when it has ended (rooms too);
 * in a 1:1 chat, both members when a block stands, and the other member until they have
 * written in it (anyone may open a chat with anyone).
 */
function directBlocked(chat: ChatDoc): Set<string> {
  const members = chat.members ?? [];
  if (isBlocked(chat) || isEnded(chat)) return new Set(members);
  return new Set(members.filter((member) => !wroteInChat(chat, member)));
}

function isEnded(chat: ChatDoc): boolean {
  return chat.status === "ended";
}

/** Those of `uids` whom `caller` blocked or who blocked `caller` (2 reads per uid). */
async function blockedAmong(db: Firestore, caller: string, uids: string[]): Promise<Set<string>> {
  const others = uids.filter((uid) => uid !== caller);
  if (others.length === 0) return new Set();
  const blocks = await getAll(db, ...others.flatMap((uid) => [refs.block(db, caller, uid), refs.block(db, uid, caller)]));
  return new Set(others.filter((_, i) => blocks[2 * i].exists || blocks[2 * i + 1].exists));
}
