import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type PresenceDoc } from "../shared/model.js";
import { isConflict } from "../shared/optimistic.js";
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

/** Whose heartbeat {@link heartbeat} records, when, and what this instance wrote before. */
export interface HeartbeatOptions {
  /** The request's time: `lastSeen`. */
  now: Date;
  /** The user: `presence/{uid}`. */
  uid: string;
  /** Online now, or `false`: gone now. */
  online: boolean;
  /** This instance's memory of its presence writes. */
  writes: PresenceWrites;
}

/**
 * A heartbeat of user `uid`: online (until {@link ONLINE_SECONDS} from now), or, with
 * `online: false`, gone now. Writes `presence/{uid}` at most once per
 * {@link PRESENCE_WRITE_EVERY_SECONDS} while the state holds, however often and wherever clients
 * call: `writes` (this instance's memory) answers repeats with no read; past it, the doc itself
 * decides (1 read), and its write carries a precondition, so of calls racing from several
 * instances one writes. At one heartbeat every {@link HEARTBEAT_SECONDS}, an online user costs
 * 60 reads and 60 writes an hour at most, and each reader of their presence doc 1 read per write.
 */
export async function heartbeat(db: Firestore, options: HeartbeatOptions): Promise<HeartbeatState> {
  const { now, uid, online, writes } = options;
  const nowMs = now.getTime();
  const doc: PresenceDoc = {
    uid,
    online,
    lastSeen: Timestamp.fromMillis(nowMs),
    onlineUntil: Timestamp.fromMillis(online ? nowMs + ONLINE_SECONDS * 1000 : nowMs),
  };
  const written = writes.due(uid, online, nowMs) && (await writePresence(db, doc, nowMs));
  return { ...toPresenceView(uid, doc, nowMs), written, nextHeartbeatSeconds: HEARTBEAT_SECONDS };
}

/** Writes `doc` unless the stored presence has its state and is fresh; `false` when it wrote nothing. */
async function writePresence(db: Firestore, doc: PresenceDoc, nowMs: number): Promise<boolean> {
  const ref = refs.presence(db, doc.uid);
  const snap = await ref.get();
  const stored = snap.data();
  // A doc that holds only `visibility` (settings changed before any heartbeat) is not fresh.
  const fresh = stored?.lastSeen !== undefined && nowMs - stored.lastSeen.toMillis() < PRESENCE_WRITE_EVERY_SECONDS * 1000;
  if (stored && fresh && stored.online === doc.online) return false;
  try {
    if (snap.updateTime) await ref.update({ ...doc }, { lastUpdateTime: snap.updateTime });
    else await ref.create(doc);
  } catch (error) {
    // Another instance wrote first: that is this window's one write.
    if (isConflict(error)) return false;
    throw error;
  }
  return true;
}
