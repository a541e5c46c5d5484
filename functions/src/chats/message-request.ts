import { FieldPath, FieldValue, type Firestore, type Timestamp } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { existing, getAll, receiptsOff, refs, type ChatDoc, type UserSettingsDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { requireMember } from "../timeline/chat-access.js";
import { privateStateWrite, readAsViewer, type DirectStateWrite } from "../timeline/private-state.js";
import { acceptanceFields } from "../timeline/message-requests.js";
import { BadgeEdit, isRoomId, writeBadge } from "../timeline/badge.js";
import { toChatViewOfDoc, type ChatView } from "./views.js";

/** How often an answer to a request re-reads the chat after a send changed it first. */
const MAX_ATTEMPTS = 20;

/** What answering a request writes: fields of the chat doc, and of the caller's private state of it. */
interface Answer {
  chat: unknown[];
  own?: DirectStateWrite;
  /** What it does to the recipient's app badge: accepting reads the chat, declining drops it. */
  badge: "read" | "drop";
}

/**
 * The recipient accepts the message request `chatId`, pending or declined: it leaves their
 * requests for their chat list (`request` removed, `inbox` both members), and it counts as read
 * up to the newest message: with read receipts on, their public read position moves there
 * (accepting is when the opener may see "seen"); with them off, their private one
 * (`user-settings/{uid}.direct.{chatId}`). Accepting a 1:1 chat that is no request (any more)
 * answers it unchanged. The request's messages leave the recipient's app badge: accepting reads
 * them, declining drops the chat from it (`users-external-event/{uid}`, over the doc as read).
 * Reads `chats/{chatId}`, `user-settings/{uid}` and the event doc, writes the chat under its
 * update time as read (and the private state, 1 write more when it changes; the event doc, 1
 * more when the badge changes), and reads the chat again for the answer (4 reads, 1-3 writes; +3
 * reads per send that came first).
 * @throws AppError `not-found` (no chat, not a member), `failed-precondition` (the caller opened
 *   this request: only its recipient answers it; a room), `aborted` (the chat kept changing).
 */
export async function acceptRequest(db: Firestore, callerUid: string, chatId: string): Promise<ChatView> {
  return answerRequest(db, callerUid, chatId, (chat, settings) => {
    const accepted = acceptanceFields(chat);
    if (receiptsOff(settings)) {
      return {
        chat: accepted,
        own: { readUpTo: chat.messageCount, readOffset: chat.unread?.[callerUid] ?? 0 },
        badge: "read",
      };
    }
    const read = [new FieldPath("lastRead", callerUid), chat.messageCount, new FieldPath("unread", callerUid), 0];
    const stale = settings?.direct?.[chatId]?.readOffset !== undefined;
    return {
      chat: [...accepted, ...read],
      ...(stale && { own: { readUpTo: FieldValue.delete(), readOffset: FieldValue.delete() } }),
      badge: "read",
    };
  });
}

/**
 * The recipient declines the message request `chatId`: it leaves their requests (`request.state`
 * `declined`, `inbox` the opener only) and its opener may send no more (409). It stays readable
 * by both (`GET /v1/chats/{chatId}`), and the recipient may still accept it. Declining again
 * changes nothing. Reads and writes as {@link acceptRequest} (1 write).
 * @throws AppError as {@link acceptRequest}, and `failed-precondition` for a chat that is no
 *   request (an accepted chat is ended or blocked instead).
 */
export async function declineRequest(db: Firestore, callerUid: string, chatId: string): Promise<ChatView> {
  return answerRequest(db, callerUid, chatId, (chat) => {
    if (!chat.request) throw new AppError("failed-precondition", "This chat is not a message request.");
    return { chat: ["request.state", "declined", "inbox", [chat.request.from]], badge: "drop" };
  });
}

/** Reads the chat, checks the caller is a request's recipient, and writes `answer(chat)` over it as read. */
async function answerRequest(
  db: Firestore,
  callerUid: string,
  chatId: string,
  answer: (chat: ChatDoc, settings: UserSettingsDoc | undefined) => Answer,
): Promise<ChatView> {
  return retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const [{ chatSnap, memberSnap, settings }, eventSnap] = await Promise.all([
        readAsViewer(db, chatId, callerUid),
        refs.externalEvent(db, callerUid).get(),
      ]);
      const chat = requireMember(chatSnap, callerUid, memberSnap);
      if (chat.type !== "direct") throw new AppError("failed-precondition", "A room is not a message request.");
      if (!chat.request) {
        // Accepting an accepted chat is a no-op; declining one is refused by `answer`.
        answer(chat, settings);
        return toChatViewOfDoc(chatId, chat, callerUid, { settings });
      }
      if (chat.request.to !== callerUid) {
        throw new AppError("failed-precondition", "You sent this message request: only its recipient answers it.");
      }
      const { chat: fields, own, badge: toBadge } = answer(chat, settings);
      const [field, value, ...more] = fields;
      const batch = db.batch();
      batch.update(refs.chat(db, chatId), field as string | FieldPath, value, ...more, {
        lastUpdateTime: chatSnap.updateTime as Timestamp,
      });
      if (own) batch.set(...privateStateWrite(db, callerUid, chatId, own), { merge: true });
      const badge = new BadgeEdit(eventSnap.data(), isRoomId);
      if (toBadge === "read") badge.read(chatId, chat.messageCount);
      else badge.drop(chatId);
      if (badge.changed) writeBadge(batch, eventSnap, badge);
      await batch.commit();
      const [after, settingsAfter] = await getAll(db, chatSnap.ref, refs.userSettings(db, callerUid));
      return toChatViewOfDoc(chatId, existing(after).data(), callerUid, {
        settings: settingsAfter.data(),
      });
    },
    () => new AppError("aborted", "This chat is changing too fast; retry."),
  );
}
