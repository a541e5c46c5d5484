import { FieldPath, type Firestore } from "firebase-admin/firestore";
import { refs, type MemberDoc, type UserDoc } from "../shared/model.js";
import type { PageInput } from "../shared/schemas.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { requireRoom } from "./room-access.js";
import type { MemberPage } from "./views.js";

/** Default page size of a room's member list. */
export const MEMBERS_PAGE_SIZE = 50;

/**
 * One page of room `chatId`'s members, for a member: ordered by uid, so that pages stay stable
 * while people join and leave; `cursor` is the last uid of the previous page. Each member comes
 * with their display name and whether they host the room. Reads `chats/{chatId}` with the
 * caller's member doc, `limit + 1` docs of `chats/{roomId}/members` and the page's
 * `users/{uid}`: 2 + 2 × `limit` + 1 reads at most, whatever the room's size.
 * @throws AppError `not-found` (no such room, or not a member).
 */
export async function listRoomMembers(db: Firestore, callerUid: string, chatId: string, input: PageInput): Promise<MemberPage> {
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, callerUid);
  requireRoom(requireMember(chatSnap, callerUid, memberSnap));
  const limit = input.limit ?? MEMBERS_PAGE_SIZE;
  let query = refs
    .members(db, chatId)
    .orderBy(FieldPath.documentId())
    .limit(limit + 1);
  if (input.cursor !== undefined) query = query.startAfter(input.cursor);
  const docs = (await query.get()).docs;
  const members = docs.slice(0, limit).map((doc) => doc.data() as MemberDoc);
  const users = members.length === 0 ? [] : await db.getAll(...members.map(({ uid }) => refs.user(db, uid)));
  return {
    members: members.map(({ uid, role }, i) => ({
      uid,
      displayName: (users[i].data() as UserDoc | undefined)?.displayName ?? "",
      host: role === "host",
    })),
    nextCursor: docs.length > limit ? members[members.length - 1].uid : null,
  };
}
