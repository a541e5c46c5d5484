import { limit, onSnapshot, orderBy, query } from "firebase/firestore";
import { toMessageViewOfDoc } from "../../functions/src/messages/views.js";
import { refs } from "./converters.js";
import { once, reportListenerError, type ChatWatchOptions, type Unsubscribe } from "./listeners.js";
import type { MessageView } from "./views.js";

/** What {@link watchThread} reports: the parent (`null` while unknown or missing) and its replies in reply-number order. */
export interface ThreadState {
  parent: MessageView | null;
  replies: MessageView[];
}

/** Options of {@link watchThread}: the thread on message `number` of `chatId`; at most `pageSize` replies (default 100). */
export interface ThreadWatchOptions extends ChatWatchOptions<ThreadState> {
  number: number;
  pageSize?: number;
}

/**
 * The thread on message `number` of `chatId`, live: the parent message (its `thread` summary
 * included; a tombstone once deleted) and the latest `pageSize` replies, each new one as it
 * arrives (`chats/{chatId}/messages/{messageId}`: one read, then one per change;
 * `chats/{chatId}/threads/{messageId}/replies` by number: one read per reply, then one per new
 * reply). The first state comes once both listeners have answered.
 */
export function watchThread(options: ThreadWatchOptions): Unsubscribe {
  const { db, chatId, number, onChange, pageSize = 100 } = options;
  const onError = once(options.onError ?? reportListenerError);
  let parent: MessageView | null | undefined;
  let replies: MessageView[] | undefined;
  const emit = () => {
    if (parent !== undefined && replies !== undefined) onChange({ parent, replies });
  };
  const stopParent = onSnapshot(
    refs.message(db, chatId, number),
    (snap) => {
      const data = snap.data();
      parent = data ? toMessageViewOfDoc(chatId, snap.id, data) : null;
      emit();
    },
    onError,
  );
  const latest = query(refs.replies(db, chatId, number), orderBy("number", "desc"), limit(pageSize));
  const stopReplies = onSnapshot(
    latest,
    (snap) => {
      replies = snap.docs.map((doc) => toMessageViewOfDoc(chatId, doc.id, doc.data())).reverse();
      emit();
    },
    onError,
  );
  return () => {
    stopParent();
    stopReplies();
  };
}
