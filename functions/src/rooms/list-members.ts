import type { Firestore } from "firebase-admin/firestore";
import { pageByDocId } from "../shared/paginate.js";
import { getAll, refs } from "../shared/model.js";
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
  const { docs, nextCursor } = await pageByDocId(refs.members(db, chatId), limit, input.cursor);
  const members = docs.map((doc) => doc.data());
  const users = members.length === 0 ? [] : await getAll(db, ...members.map(({ uid }) => refs.user(db, uid)));
  return {
    members: members.map(({ uid, role }, i) => ({
      uid,
      displayName: users[i].data()?.displayName ?? "",
      host: role === "host",
    })),
    nextCursor,
  };
}
