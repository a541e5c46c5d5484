import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type PresenceDoc } from "../shared/model.js";
import { toPresenceView, type HeartbeatState } from "./views.js";

/** How often clients send a heartbeat while the app is in the foreground. */
export const HEARTBEAT_SECONDS = 60;
/** A user shows online this long after their last heartbeat: one missed heartbeat is forgiven. */
export const ONLINE_SECONDS = 90;
/** The least time between two writes of one user's presence by one instance, while the state holds. */
export const PRESENCE_WRITE_EVERY_SECONDS = 30;

/**
 * What this instance last wrote of each user's presence, so that a client calling too often
 * costs no writes. Bounded: the oldest entries go first once `max` users are held.
 */
export class PresenceWrites {
  private readonly last = new Map<string, { online: boolean; atMs: number }>();

  constructor(private readonly max = 10_000) {}

  /** Whether `uid`'s presence needs a write at `nowMs`: a change of state, or the last one aged. */
  due(uid: string, online: boolean, nowMs: number): boolean {
    const last = this.last.get(uid);
    if (last && last.online === online && nowMs - last.atMs < PRESENCE_WRITE_EVERY_SECONDS * 1000) return false;
    this.last.delete(uid);
    this.last.set(uid, { online, atMs: nowMs });
    if (this.last.size > this.max) this.last.delete(this.last.keys().next().value as string);
    return true;
  }
}

/**
 * A heartbeat of user `uid`: online (until {@link ONLINE_SECONDS} from now), or, with
 * `online: false`, gone now. Sets `presence/{uid}` with no read: 1 write, none when `writes`
 * says this instance wrote the same state less than {@link PRESENCE_WRITE_EVERY_SECONDS} ago.
 * At one heartbeat every {@link HEARTBEAT_SECONDS}, an online user costs 60 writes an hour at
 * most (fewer when heartbeats reach the same instance), and each reader of their presence doc
 * 1 read per write.
 */
export async function heartbeat(
  db: Firestore,
  now: Date,
  uid: string,
  online: boolean,
  writes: PresenceWrites,
): Promise<HeartbeatState> {
  const nowMs = now.getTime();
  const doc: PresenceDoc = {
    uid,
    online,
    lastSeen: Timestamp.fromMillis(nowMs),
    onlineUntil: Timestamp.fromMillis(online ? nowMs + ONLINE_SECONDS * 1000 : nowMs),
  };
  const written = writes.due(uid, online, nowMs);
  if (written) await refs.presence(db, uid).set(doc);
  return { ...toPresenceView(uid, doc, nowMs), written, nextHeartbeatSeconds: HEARTBEAT_SECONDS };
}
