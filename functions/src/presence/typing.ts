import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type TypingDoc } from "../shared/model.js";
import { isConflict } from "../shared/optimistic.js";
import type { TokenBuckets } from "../shared/token-bucket.js";
import { readAsMember, requireCanSend } from "../timeline/chat-access.js";
import { isRequestTo } from "../timeline/message-requests.js";
import type { TypingState } from "./views.js";

/** How long a typing indicator shows after the call that set it. */
export const TYPING_SECONDS = 5;
/** The least time between two writes of one user's indicator in one chat. */
export const TYPING_WRITE_EVERY_SECONDS = 3;

/** Who {@link setTyping} says is typing, where, when, and this instance's memory of it. */
export interface SetTypingOptions {
  /** The request's time: the indicator shows until {@link TYPING_SECONDS} after it. */
  now: Date;
  /** The member who types. */
  uid: string;
  /** The chat: `chats/{chatId}/typing/{uid}`. */
  chatId: string;
  /** Typing, or `false`: stopped. */
  typing: boolean;
  /** This instance's buckets of typing writes, keyed `chatId/uid`. */
  local: TokenBuckets;
}

/**
 * Says that member `uid` is typing in `chatId` (or, with `typing: false`, stopped): sets
 * `chats/{chatId}/typing/{uid}.until` to now + {@link TYPING_SECONDS} (or now). At most one write
 * per user and chat every {@link TYPING_WRITE_EVERY_SECONDS}, however often and wherever clients
 * call: `local` (this instance's buckets, keyed `chatId/uid`, taken only by a call that passed
 * the membership check) answers its repeats at no cost (`written: false`: they change nothing); past
 * it, the doc's own `writtenAt` decides, and its write carries a precondition, so of calls racing
 * from several instances one writes. A stop that finds no indicator showing writes nothing, and
 * so does the recipient of a message request (its opener sees no typing until it is accepted).
 * Reads `chats/{chatId}`, the member doc (rooms) and the typing doc (2-3 reads; none when
 * `local` refuses); writes the typing doc (at most 1).
 * @throws AppError `not-found` (no chat, not a member), `failed-precondition` (ended chat),
 *   `permission-denied` (a blocked 1:1 chat).
 */
export async function setTyping(db: Firestore, options: SetTypingOptions): Promise<TypingState> {
  const { now, uid, chatId, typing, local } = options;
  const skipped = { chatId, typing, written: false };
  const key = `${chatId}/${uid}`;
  if (local.peek(key, now.getTime()) > 0) return skipped;
  const ref = refs.typing(db, chatId, uid);
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, uid, ref);
  const chat = requireCanSend(chatSnap, uid, memberSnap);
  // Only a call that passed the check spares the next ones theirs.
  local.take(key, now.getTime());
  // A message request's recipient shows its opener no typing until they accept or reply.
  if (isRequestTo(chat, uid)) return skipped;
  const [typingSnap] = more;
  const previous = typingSnap.data();
  const nowMs = now.getTime();
  if (previous && nowMs - previous.writtenAt.toMillis() < TYPING_WRITE_EVERY_SECONDS * 1000) return skipped;
  if (!typing && (!previous || previous.until.toMillis() <= nowMs)) return skipped;
  const doc: TypingDoc = {
    uid,
    until: Timestamp.fromMillis(typing ? nowMs + TYPING_SECONDS * 1000 : nowMs),
    writtenAt: Timestamp.fromMillis(nowMs),
  };
  try {
    if (typingSnap.updateTime) await ref.update({ ...doc }, { lastUpdateTime: typingSnap.updateTime });
    else await ref.create(doc);
  } catch (error) {
    // Another call wrote first: that is this window's one write.
    if (isConflict(error)) return skipped;
    throw error;
  }
  return { chatId, typing, written: true };
}
