import {
  documentId,
  endAt,
  getDocs,
  limit,
  onSnapshot,
  orderBy,
  query,
  startAt,
  where,
  type CollectionReference,
  type QueryDocumentSnapshot,
} from "firebase/firestore";
import { toMessageViewOfDoc } from "../../functions/src/messages/views.js";
import { refs, type DocOf } from "./converters.js";
import { missingRanges } from "./gaps.js";
import {
  once,
  reportListenerError,
  type ChatWatchOptions,
  type OnError,
  type Unsubscribe,
  type WatchOptions,
} from "./listeners.js";
import type { MessageView } from "./views.js";

type MessageDoc = DocOf<"messages">;
type ReactionDoc = DocOf<"reactions">;

/** What {@link watchMessages} reports: messages in number order, and whether older ones exist. */
export interface MessagesState {
  messages: MessageView[];
  hasOlder: boolean;
}

/** A live message list: call it to stop; `loadOlder()` adds the page before the oldest one shown. */
export interface MessagesSubscription extends Unsubscribe {
  loadOlder(): Promise<void>;
}

/** Options of {@link watchMessages}: a page is `pageSize` messages (default 30). */
export interface MessagesWatchOptions extends ChatWatchOptions<MessagesState> {
  pageSize?: number;
}

/** A message doc of chat `chatId` as {@link MessageView} (without the user's reactions). */
function viewOf(chatId: string, snap: QueryDocumentSnapshot<MessageDoc>): MessageView {
  return toMessageViewOfDoc(chatId, snap.id, snap.data());
}

/**
 * The state behind {@link watchMessages}: the messages seen by number, the user's hidden numbers
 * and own reactions, and the listeners, each message listener covering a range of numbers.
 */
class MessageList {
  private readonly byNumber = new Map<number, MessageView>();
  private hidden = new Set<number>();
  private mine = new Map<number, string[]>();
  private myVotes = new Map<number, number[]>();
  private readonly stops: Unsubscribe[] = [];
  private readonly fetched = new Set<string>();
  // The first state waits for the first snapshot of each listener (hidden, own reactions, the
  // messages): a caller that acts once it has a state knows every listener is listening.
  private readonly loaded = { hidden: false, reactions: false, votes: false, messages: false };
  private readonly messagesRef: CollectionReference<MessageDoc>;
  private readonly fail: OnError;
  oldestShown = Number.POSITIVE_INFINITY;
  stopped = false;

  constructor(private readonly options: MessagesWatchOptions & { pageSize: number }) {
    this.messagesRef = refs.messages(options.db, options.chatId);
    this.fail = once(options.onError ?? reportListenerError);
  }

  /** Listens to the user's hidden messages, own reactions and own votes, and fetches the latest page, then listens to it. */
  start(): void {
    const { db, chatId, uid, pageSize } = this.options;
    this.stops.push(
      onSnapshot(
        refs.hidden(db, chatId, uid),
        (snap) => {
          this.hidden = new Set(snap.data()?.numbers ?? []);
          this.loaded.hidden = true;
          this.emit();
        },
        this.fail,
      ),
    );
    const ownReactions = query(refs.reactions(db, chatId), orderBy(documentId()), startAt(`${uid}_`), endAt(`${uid}_\uf8ff`));
    this.stops.push(
      onSnapshot(
        ownReactions,
        (snap) => {
          this.mine = byMessage(snap.docs.map((reactionDoc) => reactionDoc.data()));
          this.loaded.reactions = true;
          this.emit();
        },
        this.fail,
      ),
    );
    this.listenToVotes();
    void getDocs(query(this.messagesRef, orderBy("number", "desc"), limit(pageSize))).then((latest) => {
      if (this.stopped) return;
      this.oldestShown = latest.empty ? 1 : latest.docs[latest.docs.length - 1].data().number;
      this.listen(this.oldestShown);
    }, this.fail);
  }

  /** Listens to the user's own poll votes in the chat (`chats/{chatId}/votes` where `uid ==`). */
  private listenToVotes(): void {
    const { db, chatId, uid } = this.options;
    this.stops.push(
      onSnapshot(
        query(refs.votes(db, chatId), where("uid", "==", uid)),
        (snap) => {
          this.myVotes = new Map(snap.docs.map((voteDoc) => [voteDoc.data().number, voteDoc.data().options]));
          this.loaded.votes = true;
          this.emit();
        },
        this.fail,
      ),
    );
  }

  /** Reports the messages shown, once every listener has answered. */
  private emit(): void {
    const { hidden, loaded } = this;
    if (this.stopped || !loaded.hidden || !loaded.reactions || !loaded.votes || !loaded.messages) return;
    const messages = [...this.byNumber.values()]
      .filter((m) => !hidden.has(m.number))
      .sort((a, b) => a.number - b.number)
      .map((m) => this.withMine(m));
    this.options.onChange({ messages, hasOlder: this.oldestShown > 1 });
  }

  /** `message` with the user's own reactions and, on a poll, votes. */
  private withMine(message: MessageView): MessageView {
    if (message.deleted) return message;
    const myVotes = [...(this.myVotes.get(message.number) ?? [])].sort((a, b) => a - b);
    const poll = message.poll && { ...message.poll, myVotes };
    return { ...message, myReactions: this.mine.get(message.number) ?? [], poll };
  }

  /** Listens to the messages numbered from `from` on (below `below`, when given). */
  listen(from: number, below?: number): void {
    const constraints = [
      where("number", ">=", from),
      ...(below === undefined ? [] : [where("number", "<", below)]),
      orderBy("number"),
    ];
    const stop = onSnapshot(
      query(this.messagesRef, ...constraints),
      (snap) => {
        for (const change of snap.docChanges()) {
          const message = viewOf(this.options.chatId, change.doc);
          if (change.type === "removed") this.byNumber.delete(message.number);
          else this.byNumber.set(message.number, message);
        }
        this.loaded.messages = true;
        this.emit();
        this.repairGaps();
      },
      this.fail,
    );
    this.stops.push(stop);
  }

  /**
   * Numbers are gapless: a hole between the oldest shown and the newest seen is a message this
   * device missed (a listener that lost a change, a long sleep). Fetches each hole once.
   */
  private repairGaps(): void {
    if (!Number.isFinite(this.oldestShown)) return;
    for (const [first, last] of missingRanges(this.byNumber.keys(), this.oldestShown)) {
      const key = `${first}-${last}`;
      if (this.fetched.has(key)) continue;
      this.fetched.add(key);
      const hole = query(this.messagesRef, where("number", ">=", first), where("number", "<=", last), orderBy("number"));
      void getDocs(hole).then((snap) => {
        for (const missed of snap.docs) {
          const message = viewOf(this.options.chatId, missed);
          if (!this.byNumber.has(message.number)) this.byNumber.set(message.number, message);
        }
        if (!snap.empty) this.emit();
      }, this.fail);
    }
  }

  /** Stops every listener; nothing is reported after. */
  stop(): void {
    this.stopped = true;
    this.stops.forEach((stop) => stop());
  }
}

/**
 * A chat's latest `pageSize` messages, then every new one as it arrives, edits, deletions and
 * reaction counts and poll votes included; messages the user hid ("delete for me") are left out.
 * Each message's `myReactions` come from a listener on the user's own reaction docs in the chat
 * (`chats/{chatId}/reactions`, their id range: one read per reaction, then one per change), and
 * a poll's `myVotes` from one on their own vote docs (`chats/{chatId}/votes` where `uid ==`:
 * one read per poll they voted in, then one per change). A poll's counts, `voterCount` and
 * (unless anonymous, while listed) `voters` are on its message doc, so they change live.
 * `loadOlder()` adds the page before the oldest one shown, live too. The first state comes once
 * each of its listeners has answered, so a caller may act on it knowing they all listen.
 */
export function watchMessages(options: MessagesWatchOptions): MessagesSubscription {
  const pageSize = options.pageSize ?? 30;
  const list = new MessageList({ ...options, pageSize });
  list.start();
  const unsubscribe = (() => list.stop()) as MessagesSubscription;
  unsubscribe.loadOlder = () => {
    if (list.oldestShown <= 1 || !Number.isFinite(list.oldestShown)) return Promise.resolve();
    const below = list.oldestShown;
    list.oldestShown = Math.max(1, below - pageSize);
    list.listen(list.oldestShown, below);
    return Promise.resolve();
  };
  return unsubscribe;
}

/** Reactions grouped by message number, each message's emoji oldest first. */
function byMessage(reactions: ReactionDoc[]): Map<number, string[]> {
  const grouped = new Map<number, string[]>();
  const sorted = [...reactions].sort((a, b) => a.createdAt.toDate().getTime() - b.createdAt.toDate().getTime());
  for (const { number, emoji } of sorted) grouped.set(number, [...(grouped.get(number) ?? []), emoji]);
  return grouped;
}

/** Options of {@link watchReactions}: message `number` of `chatId`. */
export interface ReactionsWatchOptions extends WatchOptions<Record<string, string[]>> {
  chatId: string;
  number: number;
}

/**
 * Who reacted to message `number` of `chatId`, live: emoji -> member uids, earliest first
 * (`chats/{chatId}/reactions` where `number ==`: one read per reaction, then one per change).
 */
export function watchReactions({
  db,
  chatId,
  number,
  onChange,
  onError = reportListenerError,
}: ReactionsWatchOptions): Unsubscribe {
  return onSnapshot(
    query(refs.reactions(db, chatId), where("number", "==", number)),
    (snap) => {
      const docs = snap.docs.map((reactionDoc) => reactionDoc.data());
      docs.sort((a, b) => a.createdAt.toDate().getTime() - b.createdAt.toDate().getTime());
      const byEmoji: Record<string, string[]> = {};
      for (const { emoji, uid } of docs) (byEmoji[emoji] ??= []).push(uid);
      onChange(byEmoji);
    },
    onError,
  );
}
