import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { collections, refs, type ChatDoc } from "../shared/model.js";
import { paginate } from "../shared/paginate.js";
import type { Page, PageInput } from "../shared/schemas.js";
import { toChatView, type ChatView } from "./chat-view.js";

/** Default page size of the chat list. */
export const CHATS_PAGE_SIZE = 20;

/**
 * The caller's chats, most recent message first; chats without messages come last.
 * Query: `chats` where `members` array-contains uid, order by `lastMessageAt` desc
 * (composite index in firestore.indexes.json).
 * @throws AppError `invalid-argument` for a cursor that is not one of the caller's chats.
 */
export async function listChats(db: Firestore, callerUid: string, input: PageInput): Promise<Page<ChatView>> {
  const query = db
    .collection(collections.chats)
    .where("members", "array-contains", callerUid)
    .orderBy("lastMessageAt", "desc");
  const cursorRef = input.cursor === undefined ? undefined : refs.chat(db, input.cursor);
  const isMine = (snap: DocumentSnapshot) => (snap.data() as ChatDoc).members.includes(callerUid);
  return paginate(query, input.limit ?? CHATS_PAGE_SIZE, cursorRef, isMine, (snap) => toChatView(snap, callerUid));
}
