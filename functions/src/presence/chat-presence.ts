import type { Firestore } from "firebase-admin/firestore";
import { pageByDocId } from "../shared/paginate.js";
import { refs, type PresenceDoc } from "../shared/model.js";
import type { PageInput } from "../shared/schemas.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { toPresenceView, type ChatPresence } from "./views.js";

/** Default page size of a room's presence list. */
export const PRESENCE_PAGE_SIZE = 50;

/**
 * The presence of `chatId`'s members, for a member: only people who share a chat see each other.
 * A 1:1 chat answers both members at once; a room a page of its members by uid (`cursor`: the
 * last uid of the previous page). Reads `chats/{chatId}` (+ the caller's member doc), the page of
 * `chats/{roomId}/members` (rooms), and each member's `presence/{uid}`: at most 3 + 2 × `limit`.
 * @throws AppError `not-found` (no chat, or not a member).
 */
export async function listChatPresence(
  db: Firestore,
  now: Date,
  callerUid: string,
  chatId: string,
  input: PageInput,
): Promise<ChatPresence> {
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, callerUid);
  const chat = requireMember(chatSnap, callerUid, memberSnap);
  let uids = chat.members ?? [];
  let nextCursor: string | null = null;
  if (chat.type === "room") {
    const page = await pageByDocId(refs.members(db, chatId), input.limit ?? PRESENCE_PAGE_SIZE, input.cursor);
    uids = page.docs.map((doc) => doc.id);
    nextCursor = page.nextCursor;
  }
  const snaps = uids.length === 0 ? [] : await db.getAll(...uids.map((uid) => refs.presence(db, uid)));
  const members = uids.map((uid, i) => toPresenceView(uid, snaps[i].data() as PresenceDoc | undefined, now.getTime()));
  return { chatId, members, nextCursor };
}
