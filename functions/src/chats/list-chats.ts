import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { collections, refs, type ChatDoc } from "../shared/model.js";
import { paginate } from "../shared/paginate.js";
import type { Page } from "../shared/schemas.js";
import { toChatView, type ChatView } from "./views.js";
import type { ListChatsQuery } from "./schemas.js";

/** Default page size of the chat list. */
export const CHATS_PAGE_SIZE = 20;

/**
 * The caller's chats, most recent message first; chats without messages come last. With
 * `with` (an e-mail address), only the chats shared with the user who has it (none when nobody
 * has it). Query: `chats` where `members` array-contains uid, order by `lastMessageAt` desc
 * (composite index in firestore.indexes.json); `with` reads `users` by `email`.
 * @throws AppError `invalid-argument` for a cursor that is not one of the caller's chats.
 */
export async function listChats(db: Firestore, callerUid: string, input: ListChatsQuery): Promise<Page<ChatView>> {
  let other: string | undefined;
  if (input.with !== undefined) {
    const users = await db.collection(collections.users).where("email", "==", input.with.toLowerCase()).limit(1).get();
    if (users.empty) return { items: [], nextCursor: null };
    other = users.docs[0].id;
  }
  const withOther = (snap: DocumentSnapshot) => other === undefined || (snap.data() as ChatDoc).members.includes(other);
  const query = db.collection(collections.chats).where("members", "array-contains", callerUid).orderBy("lastMessageAt", "desc");
  const cursorRef = input.cursor === undefined ? undefined : refs.chat(db, input.cursor);
  const isMine = (snap: DocumentSnapshot) => (snap.data() as ChatDoc).members.includes(callerUid);
  const view = (snap: DocumentSnapshot) => toChatView(snap, callerUid);
  return paginate(query, input.limit ?? CHATS_PAGE_SIZE, cursorRef, isMine, view, withOther);
}
