import { FieldValue, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { getAll, refs, type ChatDoc, type MessageRequest } from "../shared/model.js";
import { MAX_ROOMS_PER_USER } from "./room-count.js";

/** Messages the opener of a message request may send before it is accepted, unless a param says otherwise. */
export const DEFAULT_REQUEST_MESSAGE_LIMIT = 3;

/**
 * Whether `uid` received 1:1 chat `chat` as a message request that is still one (pending or
 * declined): they send the opener no presence, typing or "seen", and it is not in their chat list.
 */
export function isRequestTo(chat: ChatDoc, uid: string): boolean {
  return chat.request?.to === uid;
}

/**
 * Why `from` may not send the next message, number `number`, into a 1:1 chat that is still
 * message request `request`: its recipient declined it, or the opener sent `limit` messages
 * already (every message of a request is the opener's: a reply accepts it). `undefined` when
 * they may, or when there is no request.
 */
export function requestRefusal(
  request: MessageRequest | undefined,
  from: string,
  number: number,
  limit: number,
): AppError | undefined {
  if (!request || request.from !== from) return undefined;
  if (request.state === "declined" || number > limit) {
    return new AppError(
      "failed-precondition",
      `This is a message request: you may send ${limit} messages until the other member accepts it.`,
    );
  }
  return undefined;
}

/**
 * The `[field, value]` pairs that make 1:1 chat `chat` an accepted chat: no `request`, and in
 * both members' chat lists.
 */
export function acceptanceFields(chat: ChatDoc): unknown[] {
  return ["request", FieldValue.delete(), "inbox", chat.members ?? []];
}

/**
 * Whether users `a` and `b` are in a room together: `a`'s rooms (collection group `members`
 * where `uid` ==, at most twice {@link MAX_ROOMS_PER_USER}, 1 read each, `select`ed to ids),
 * then `b`'s member doc in each (1 read each): at most 400 reads, on opening a new chat only.
 */
export async function shareARoom(db: Firestore, a: string, b: string): Promise<boolean> {
  const rooms = await refs
    .memberGroup(db)
    .where("uid", "==", a)
    .select()
    .limit(2 * MAX_ROOMS_PER_USER)
    .get();
  if (rooms.empty) return false;
  // A projection is untyped (it holds no doc shape): the room's id is the member doc's path's,
  // `chats/{roomId}/members/{uid}`.
  const roomIds = rooms.docs.flatMap((doc) => doc.ref.parent.parent?.id ?? []);
  if (roomIds.length === 0) return false;
  const theirs = await getAll(db, ...roomIds.map((roomId) => refs.member(db, roomId, b)));
  return theirs.some((snap) => snap.exists);
}
