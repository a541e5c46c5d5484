import { FieldPath, type Firestore, type Timestamp } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs, type ChatDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { acceptanceFields } from "../timeline/message-requests.js";
import { toChatViewOf, type ChatView } from "./views.js";

/** How often an answer to a request re-reads the chat after a send changed it first. */
const MAX_ATTEMPTS = 20;

/**
 * The recipient accepts the message request `chatId`, pending or declined: it leaves their
 * requests for their chat list (`request` removed, `inbox` both members), and their read
 * position moves to the newest message (accepting is when the opener may see "seen"). Accepting
 * a 1:1 chat that is no request (any more) answers it unchanged. Reads `chats/{chatId}`, writes
 * it under its update time as read, and reads it again for the answer (2 reads, 1 write; +1 read
 * per send that came first).
 * @throws AppError `not-found` (no chat, not a member), `failed-precondition` (the caller opened
 *   this request: only its recipient answers it; a room).
 */
export async function acceptRequest(db: Firestore, callerUid: string, chatId: string): Promise<ChatView> {
  return answerRequest(db, callerUid, chatId, (chat) => [
    ...acceptanceFields(chat),
    new FieldPath("lastRead", callerUid),
    chat.messageCount,
    new FieldPath("unread", callerUid),
    0,
  ]);
}

/**
 * The recipient declines the message request `chatId`: it leaves their requests (`request.state`
 * `declined`, `inbox` the opener only) and its opener may send no more (409). It stays readable
 * by both (`GET /v1/chats/{chatId}`), and the recipient may still accept it. Declining again
 * changes nothing. Reads and writes as {@link acceptRequest}.
 * @throws AppError as {@link acceptRequest}, and `failed-precondition` for a chat that is no
 *   request (an accepted chat is ended or blocked instead).
 */
export async function declineRequest(db: Firestore, callerUid: string, chatId: string): Promise<ChatView> {
  return answerRequest(db, callerUid, chatId, (chat) => {
    if (!chat.request) throw new AppError("failed-precondition", "This chat is not a message request.");
    return ["request.state", "declined", "inbox", [chat.request.from]];
  });
}

/** Reads the chat, checks the caller is a request's recipient, and writes `fields(chat)` over it as read. */
async function answerRequest(
  db: Firestore,
  callerUid: string,
  chatId: string,
  fields: (chat: ChatDoc) => unknown[],
): Promise<ChatView> {
  return retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const { chatSnap, memberSnap } = await readAsMember(db, chatId, callerUid);
      const chat = requireMember(chatSnap, callerUid, memberSnap);
      if (chat.type !== "direct") throw new AppError("failed-precondition", "A room is not a message request.");
      if (!chat.request) {
        // Accepting an accepted chat is a no-op; declining one is refused by `fields`.
        fields(chat);
        return toChatViewOf(chatId, chat, callerUid);
      }
      if (chat.request.to !== callerUid) {
        throw new AppError("failed-precondition", "You sent this message request: only its recipient answers it.");
      }
      const [field, value, ...more] = fields(chat);
      await refs
        .chat(db, chatId)
        .update(field as string | FieldPath, value, ...more, { lastUpdateTime: chatSnap.updateTime as Timestamp });
      return toChatViewOf(chatId, (await chatSnap.ref.get()).data() as ChatDoc, callerUid);
    },
    () => new AppError("aborted", "This chat is changing too fast; retry."),
  );
}
