import type { Firestore } from "firebase-admin/firestore";
import { refs, type UserDoc } from "../shared/model.js";
import type { PageInput } from "../shared/schemas.js";
import { requireMember } from "../timeline/chat-access.js";
import { requireRoom } from "./room-access.js";
import type { MemberPage } from "./views.js";

/** Default page size of a room's member list. */
export const MEMBERS_PAGE_SIZE = 50;

/**
 * One page of room `chatId`'s members, for a member: ordered by uid, so that pages stay stable
 * while people join and leave; `cursor` is the last uid of the previous page. Each member comes
 * with their display name and whether they host the room. Reads `chats/{chatId}` and the page's
 * `users/{uid}` (one `getAll`): 1 + `limit` reads at most.
 * @throws AppError `not-found` (no such room), `permission-denied` (not a member).
 */
export async function listRoomMembers(db: Firestore, callerUid: string, chatId: string, input: PageInput): Promise<MemberPage> {
  const chatSnap = await refs.chat(db, chatId).get();
  const room = requireRoom(requireMember(chatSnap, callerUid), chatId);
  const limit = input.limit ?? MEMBERS_PAGE_SIZE;
  const after = input.cursor;
  const sorted = [...room.members].sort().filter((uid) => after === undefined || uid > after);
  const page = sorted.slice(0, limit);
  const users = page.length === 0 ? [] : await db.getAll(...page.map((uid) => refs.user(db, uid)));
  return {
    members: page.map((uid, i) => ({
      uid,
      displayName: (users[i].data() as UserDoc | undefined)?.displayName ?? "",
      host: room.host === uid,
    })),
    nextCursor: sorted.length > limit ? page[page.length - 1] : null,
  };
}
