import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
  type WriteBatch,
} from "firebase-admin/firestore";
import { AppError, grpcStatus, hasGrpcStatus } from "../shared/errors.js";
import { MAX_LISTED_VOTERS, refs, type PollDoc, type VoteDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import { readAsMember, requireCanSend } from "../timeline/chat-access.js";
import { toMessageViewOfDoc, type MessageView } from "../messages/views.js";
import { requirePoll } from "./poll-access.js";

/** Which vote: member `uid`'s vote for option `option` (an index) of poll message `number` of `chatId`. */
export interface Vote {
  uid: string;
  chatId: string;
  number: number;
  option: number;
}

/** How often a vote re-reads after another writer changed what it read (its own vote doc, the poll's state). */
const MAX_ATTEMPTS = 20;

/** A conflict for `retryOnConflict` (gRPC 9): the poll was closed or deleted since it was read. */
const pollChanged = () => Object.assign(new Error("The poll changed meanwhile."), { code: grpcStatus.failedPrecondition });

/**
 * Votes for `vote.option`: in a single-choice poll the member's vote moves there (from any other
 * option), in a multiple-choice poll the option joins their votes. Voting again is a no-op.
 * See {@link changeVote} for how a vote is written, read and counted.
 * @throws AppError `not-found` (no chat, not a member, no message), `invalid-argument` (not a
 *   poll, no such option), `failed-precondition` (closed or deleted poll, ended chat),
 *   `permission-denied` (a 1:1 chat with a block), `aborted` (lost every race).
 */
export function votePoll(db: Firestore, now: Date, vote: Vote): Promise<MessageView> {
  return changeVote(db, now, vote, (poll, mine) =>
    poll.multiple ? [...new Set([...mine, vote.option])].sort((a, b) => a - b) : [vote.option],
  );
}

/**
 * Takes back the member's vote for `vote.option`; one they don't have is a no-op.
 * @throws AppError as {@link votePoll}.
 */
export function unvotePoll(db: Firestore, now: Date, vote: Vote): Promise<MessageView> {
  return changeVote(db, now, vote, (_, mine) => mine.filter((option) => option !== vote.option));
}

/**
 * Changes one member's votes in a poll to what `next` makes of them, with no read-write
 * transaction: per-voter docs and counts on the message, as reactions do (`react.ts`).
 *
 * Why this shape: the counts live on the poll's message, so every listener of the conversation
 * sees them change with no extra listener. Many members vote at once on one message, and a
 * transaction that reads the message and writes it back serialises behind its lock and aborts
 * under contention (`shared/optimistic.ts`). So the message is never a precondition: its
 * counts change by `increment` (and `arrayUnion`/`arrayRemove` for the voter lists), which
 * commit in any order and stay exact. What must not change under a vote is the voter's own
 * state and the poll's openness, and those live in docs no one else writes:
 * - the voter's {@link VoteDoc} `chats/{chatId}/votes/{uid}_{messageId}` (their options), written
 *   with a precondition (`create`, or the update time as read), so one member's concurrent votes
 *   can't both count: the loser re-reads;
 * - the poll's `chats/{chatId}/open-polls/{messageId}`, which each vote updates (an `exists`
 *   precondition) and the close deletes, so a vote in flight fails once the poll is closed.
 * Sharded counters would spread the message's writes, but then the message would not carry
 * the counts; the open-poll doc takes no more writes than the message, so it adds no new limit.
 * The sustained rate on one message is Firestore's per-document limit (about one write per
 * second sustained, bursts beyond); a burst of 100 voters commits, slower, with exact counts.
 *
 * Reads `chats/{chatId}`, the member doc (rooms), the message and the vote doc (3-4 reads; again
 * per lost race); writes the vote doc, the message and the open-poll doc (3 writes; none for a
 * no-op).
 */
async function changeVote(
  db: Firestore,
  now: Date,
  vote: Vote,
  next: (poll: PollDoc, mine: number[]) => number[],
): Promise<MessageView> {
  const { uid, chatId, number, option } = vote;
  const messageRef = refs.message(db, chatId, number);
  const voteRef = refs.vote(db, chatId, uid, number);
  return retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, uid, messageRef, voteRef);
      const [messageSnap, voteSnap] = more;
      requireCanSend(chatSnap, uid, memberSnap);
      const { message, poll } = requirePoll(messageSnap, number);
      if (option >= poll.options.length) {
        throw new AppError("invalid-argument", `option: poll ${number} has options 0 to ${poll.options.length - 1}`);
      }
      if (poll.closed) throw new AppError("failed-precondition", `Poll ${number} is closed.`);
      const before = voteSnap.data()?.options ?? [];
      const after = next(poll, before);
      if (sameVotes(before, after)) return toMessageViewOfDoc(chatId, messageRef.id, message, { myVotes: before });
      const batch = db.batch();
      writeVoteDoc(batch, voteSnap, { uid, number, options: after, updatedAt: Timestamp.fromDate(now) });
      const [field, value, ...moreFields] = countChanges(poll, uid, before, after);
      batch.update(messageRef, field, value, ...moreFields);
      batch.update(refs.openPoll(db, chatId, number), { number });
      try {
        await batch.commit();
      } catch (error) {
        // The poll was closed or deleted meanwhile (or the vote doc went): re-read to tell.
        if (hasGrpcStatus(error, grpcStatus.notFound)) throw pollChanged();
        throw error;
      }
      const counted = { ...message, poll: recounted(poll, uid, before, after) };
      return toMessageViewOfDoc(chatId, messageRef.id, counted, { myVotes: after });
    },
    () => new AppError("aborted", "Too many votes are changing on this poll at once; retry."),
  );
}

function sameVotes(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((option) => b.includes(option));
}

/** Adds the voter's doc as `doc` says, over the doc as read: created, updated, or deleted when no vote is left. */
function writeVoteDoc(batch: WriteBatch, snap: DocumentSnapshot<VoteDoc>, doc: VoteDoc): void {
  if (!snap.exists) batch.create(snap.ref, doc);
  else if (doc.options.length === 0) batch.delete(snap.ref, { lastUpdateTime: snap.updateTime as Timestamp });
  else
    batch.update(snap.ref, { options: doc.options, updatedAt: doc.updatedAt }, { lastUpdateTime: snap.updateTime as Timestamp });
}

/**
 * The `[field, value]` pairs of the message's update: each option left loses a vote, each option
 * taken gains one, `voterCount` follows a first vote or a last take-back. Unless the poll is
 * anonymous, the voter leaves the lists of the options left and joins those of the options taken
 * that had fewer than {@link MAX_LISTED_VOTERS} votes as read.
 */
function countChanges(poll: PollDoc, uid: string, before: number[], after: number[]): [FieldPath, unknown, ...unknown[]] {
  const left = before.filter((option) => !after.includes(option));
  const taken = after.filter((option) => !before.includes(option));
  const fields: unknown[] = [];
  const field = (...path: string[]) => new FieldPath("poll", ...path);
  for (const option of left) {
    fields.push(field("votes", String(option)), FieldValue.increment(-1));
    if (!poll.anonymous) fields.push(field("voters", String(option)), FieldValue.arrayRemove(uid));
  }
  for (const option of taken) {
    fields.push(field("votes", String(option)), FieldValue.increment(1));
    const listed = !poll.anonymous && (poll.votes[String(option)] ?? 0) < MAX_LISTED_VOTERS;
    if (listed) fields.push(field("voters", String(option)), FieldValue.arrayUnion(uid));
  }
  const voters = (after.length > 0 ? 1 : 0) - (before.length > 0 ? 1 : 0);
  if (voters !== 0) fields.push(field("voterCount"), FieldValue.increment(voters));
  const [first, value, ...rest] = fields;
  return [first as FieldPath, value, ...rest];
}

/** The poll as the vote left it, from the poll as read (later votes by others are not in it). */
function recounted(poll: PollDoc, uid: string, before: number[], after: number[]): PollDoc {
  const votes = { ...poll.votes };
  const voters: Record<string, string[]> = { ...poll.voters };
  for (const option of before.filter((kept) => !after.includes(kept))) {
    votes[String(option)] = (votes[String(option)] ?? 0) - 1;
    voters[String(option)] = (voters[String(option)] ?? []).filter((voter) => voter !== uid);
  }
  for (const option of after.filter((taken) => !before.includes(taken))) {
    if ((poll.votes[String(option)] ?? 0) < MAX_LISTED_VOTERS) voters[String(option)] = [...(voters[String(option)] ?? []), uid];
    votes[String(option)] = (votes[String(option)] ?? 0) + 1;
  }
  const voterCount = poll.voterCount + (after.length > 0 ? 1 : 0) - (before.length > 0 ? 1 : 0);
  return { ...poll, votes, voterCount, ...(!poll.anonymous && { voters }) };
}
