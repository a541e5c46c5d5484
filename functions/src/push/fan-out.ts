import { FieldPath, Timestamp, type Firestore } from "firebase-admin/firestore";
import { isMuted } from "../chats/mute-chat.js";
import { blockersOf } from "../users/blocks.js";
import { isAlreadyExists } from "../shared/errors.js";
import { refs, type ChatDoc, type ExternalEventDoc, type FanOutDoc, type MemberDoc, type MessageDoc } from "../shared/model.js";
import { mentionedIn, pushes, pushToMembers, type PushReport } from "./deliver-push.js";
import type { PushTransport } from "./transport.js";

/** Members per fan-out page: one batch of their external events and the page's marker (< 500 writes). */
export const FAN_OUT_PAGE = 400;

/** How long a page's marker is kept (a TTL policy on `fan-outs.expiresAt` may purge it). */
const MARKER_DAYS = 7;

/** One page of a room message's fan-out: page `page` starts after member uid `after`. */
export interface FanOutTask {
  chatId: string;
  message: MessageDoc;
  page: number;
  after: string | null;
}

/** What one page of a fan-out did. */
export interface FanOutReport {
  /** Members whose external event this run set (0 when the page had been done before). */
  events: number;
  /** The page had been done before: its external events were not written again. */
  duplicate: boolean;
  /** Whether another page follows. */
  more: boolean;
  push: PushReport;
}

/**
 * Tells one page of a room's members (`chats/{roomId}/members`, by uid, {@link FAN_OUT_PAGE} at
 * a time) about a new message, off the send's request path. One batch sets each recipient's
 * `users-external-event/{uid}` and creates the page's marker `fan-outs/{chatId}-{number}-{page}`;
 * the marker's creation starts the next page (its `next` is this page's last uid). A redelivered
 * page finds its marker: the batch fails as a whole and writes nothing twice. Then the page's
 * recipients who have not blocked the sender and have not muted the room (or are mentioned) get their pushes (claimed per page in
 * `push-events/`, see {@link pushToMembers}).
 *
 * The sender, and the member a system message is about, are not told. Joins, leaves and
 * removals fan out nothing: filling a room costs O(members) writes, not O(members²); a "chat
 * ended" message sets external events but pushes nothing.
 * Reads `chats/{roomId}`, one page of its members and, for a push, the sender's blockers
 * (`blocks` where `blocked ==` sender: one read per blocker, at least one); writes as above.
 */
export async function fanOutPage(db: Firestore, now: Date, transport: PushTransport, task: FanOutTask): Promise<FanOutReport> {
  const { chatId, message, page, after } = task;
  const nothing: FanOutReport = {
    events: 0,
    duplicate: false,
    more: false,
    push: { duplicate: false, sent: 0, failed: 0, removedDevices: 0 },
  };
  if (message.type === "system" && message.event?.type !== "chat-ended") return nothing;
  let query = refs.members(db, chatId).orderBy(FieldPath.documentId()).limit(FAN_OUT_PAGE);
  if (after !== null) query = query.startAfter(after);
  const [roomSnap, membersSnap] = await Promise.all([refs.chat(db, chatId).get(), query.get()]);
  const room = roomSnap.data() as ChatDoc | undefined;
  if (!room) return nothing;
  const members = membersSnap.docs.map((doc) => doc.data() as MemberDoc);
  const skip = message.from ?? message.event?.uid;
  const recipients = members.filter(({ uid }) => uid !== skip);
  const more = members.length === FAN_OUT_PAGE;

  const at = message.createdAt;
  const event: ExternalEventDoc = { notifyNewMessage: true, lastEvent: { chatId, number: message.number, at } };
  const marker: FanOutDoc = {
    chatId,
    number: message.number,
    page,
    next: more ? members[members.length - 1].uid : null,
    createdAt: Timestamp.fromDate(now),
    expiresAt: Timestamp.fromMillis(now.getTime() + MARKER_DAYS * 86_400_000),
  };
  const batch = db.batch();
  for (const { uid } of recipients) batch.set(refs.externalEvent(db, uid), event, { merge: true });
  batch.create(refs.fanOut(db, chatId, message.number, page), marker);
  let duplicate = false;
  try {
    await batch.commit();
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    duplicate = true;
  }

  let push = nothing.push;
  if (pushes(message)) {
    const blockers = message.from ? await blockersOf(db, message.from) : new Set<string>();
    const pushed = recipients
      .filter(({ uid, mutedUntil }) => (!isMuted(mutedUntil, now) || mentionedIn(message, uid)) && !blockers.has(uid))
      .map(({ uid }) => uid);
    const pushEvent = { id: `${chatId}-${message.number}-${page}`, chatId, message };
    push = await pushToMembers(db, now, transport, pushEvent, pushed, room.title);
  }
  return { events: duplicate ? 0 : recipients.length, duplicate, more, push };
}
