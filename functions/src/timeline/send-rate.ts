import { FieldPath, type DocumentSnapshot } from "firebase-admin/firestore";
import { rateLimited, type AppError } from "../shared/errors.js";
import { collections, converters, exists, type ChatDoc, type StoredBucket } from "../shared/model.js";
import { takeToken, type Rate } from "../shared/token-bucket.js";

/**
 * The send buckets of one commit of appends: each sender's token bucket in this chat, as read
 * with the chat (`chats/{chatId}.sendRate.{uid}` in a 1:1 chat, the sender's member doc's
 * `sendRate` in a room) and as the commit leaves it. The commit writes those docs anyway, so the
 * limit costs no read or write; numbers are won by `create`, so two commits never both spend
 * the same tokens, in any instance.
 */
export class SendBuckets {
  private readonly taken = new Map<string, StoredBucket>();
  private readonly members = new Map<string, DocumentSnapshot<object>>();

  /** `reads`: the docs read with the chat; in a room they hold each limited sender's member doc. */
  constructor(
    private readonly chat: ChatDoc | undefined,
    reads: readonly (DocumentSnapshot<object> | undefined)[],
  ) {
    for (const snap of reads) if (snap?.ref.parent.id === collections.members) this.members.set(snap.id, snap);
  }

  /** Takes a token of `uid`'s bucket at `nowMs`; the refusal to answer when none is left. */
  take(uid: string, nowMs: number, rate: Rate): AppError | undefined {
    const take = takeToken(this.taken.get(uid) ?? this.stored(uid), nowMs, rate);
    if ("waitMs" in take) return rateLimited("You are sending too fast in this chat; slow down.", take.waitMs);
    this.taken.set(uid, take.taken);
    return undefined;
  }

  /** The 1:1 chat doc's `[field, value]` pairs for the buckets taken (none in a room). */
  chatFields(): unknown[] {
    if (this.chat?.type === "room") return [];
    return [...this.taken].flatMap(([uid, bucket]) => [new FieldPath("sendRate", uid), bucket]);
  }

  /** In a room, the member doc fields for the buckets taken: uid -> `{sendRate}`. */
  memberFields(): Map<string, { sendRate: StoredBucket }> {
    if (this.chat?.type !== "room") return new Map();
    return new Map([...this.taken].map(([uid, sendRate]) => [uid, { sendRate }]));
  }

  private stored(uid: string): StoredBucket | undefined {
    if (this.chat?.type !== "room") return this.chat?.sendRate?.[uid];
    const member = this.members.get(uid);
    if (!member) throw new Error(`A limited room send must read its sender's member doc (${uid}).`);
    // Read with docs of other collections, so typed through its own collection's converter.
    return exists(member) ? converters.members.fromFirestore(member).sendRate : undefined;
  }
}
