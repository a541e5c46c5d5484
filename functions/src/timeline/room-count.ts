import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs } from "../shared/model.js";

/**
 * Most rooms one user may be in (as host or member). It bounds what the chat list reads for
 * them: `GET /v1/chats` reads every room of the caller's on each page (2 reads per room).
 */
export const MAX_ROOMS_PER_USER = 100;

/**
 * Refuses a user already in {@link MAX_ROOMS_PER_USER} rooms: a count aggregation over their
 * member docs (collection group `members` where `uid` ==; 1 read per 1,000 rooms, so 1). Joins
 * made at the same moment on other instances can each pass the check, so the count can pass the
 * cap by as many joins as one user can make at once (the membership limit's burst, 10).
 * @throws AppError `failed-precondition`.
 */
export async function requireRoomSlot(db: Firestore, uid: string): Promise<void> {
  const rooms = (await refs.memberGroup(db).where("uid", "==", uid).count().get()).data().count;
  if (rooms >= MAX_ROOMS_PER_USER) {
    throw new AppError(
      "failed-precondition",
      `You are in ${MAX_ROOMS_PER_USER} rooms, the most one user may be in; leave one first.`,
    );
  }
}
