import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import type { ChatChange } from "../timeline/chat-change.js";
import { blockOfRef, memberRefOf, requireMemberOf, requireNotBlocked } from "../timeline/chat-access.js";
import { readAsViewer } from "../timeline/private-state.js";
import { postSystemMessage } from "../timeline/system-message.js";
import { displayName } from "../users/display-name.js";
import type { FindAuthUser } from "../users/find-auth-user.js";
import { AppError } from "../shared/errors.js";
import { existing, type BlockDoc, type ChatDoc, type MemberDoc } from "../shared/model.js";
import { toChatViewOfSnap, type ChatView } from "./views.js";

/** Who ends which chat, and when. */
export interface EndChatOptions {
  /** The request's time: the chat's `endedAt`. */
  now: Date;
  /** Who ends it: a member of a 1:1 chat, or a room's host. */
  callerUid: string;
  /** The chat to end: `chats/{chatId}`. */
  chatId: string;
  /** Makes the caller's missing profile from Firebase Auth (for the message's name). */
  findUser: FindAuthUser;
}

/**
 * Ends a chat: any member of a 1:1 chat, or a room's host. Sets `status: "ended"` and
 * `endedAt` (read-only: sends get 409) in the same batch as the
 * "ended" system message. The export trigger then writes the history and mails members.
 * Ending an ended chat changes nothing and answers the chat. The message names the caller from
 * their profile, made from Auth (`findUser`) when missing (`users/display-name.ts`). The
 * commit also reads the caller's member doc (rooms) or the other member's block of them (1:1
 * chats: a blocked member may not end it), and the answer the chat with the caller's own state.
 * @throws AppError `not-found` (no chat, or not a member), `permission-denied` (not the room's
 *   host, or a 1:1 member the other blocked), `aborted` (see {@link postSystemMessage}).
 */
export async function endChat(db: Firestore, options: EndChatOptions): Promise<ChatView> {
  const { now, callerUid, chatId, findUser } = options;
  const name = await displayName(db, now, callerUid, findUser);
  const event = { type: "chat-ended", uid: callerUid } as const;
  const memberRef = memberRefOf(db, chatId, callerUid);
  const end = (
    chat: ChatDoc,
    [memberSnap, blockOf]: readonly [DocumentSnapshot<MemberDoc> | undefined, DocumentSnapshot<BlockDoc> | undefined],
  ): ChatChange | null => {
    requireMemberOf(chat, callerUid, memberSnap);
    requireNotBlocked(chat, callerUid, blockOf);
    if (chat.type === "room" && chat.host !== callerUid) {
      throw new AppError("permission-denied", "Only the room's host can end it.");
    }
    if (chat.status === "ended") return null;
    return { ended: { by: callerUid } };
  };
  await postSystemMessage(db, {
    now,
    chatId,
    event,
    text: `${name} ended the chat`,
    change: end,
    reads: [memberRef, blockOfRef(db, chatId, callerUid)],
  });
  const { chatSnap, memberSnap, settings } = await readAsViewer(db, chatId, callerUid);
  return toChatViewOfSnap(existing(chatSnap), callerUid, { member: memberSnap?.data(), settings });
}
