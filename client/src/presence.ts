import { onSnapshot, query, Timestamp, where } from "firebase/firestore";
import { toPresenceView } from "../../functions/src/presence/views.js";
import { refs, type DocOf } from "./converters.js";
import { once, reportListenerError, type ChatWatchOptions, type Unsubscribe, type WatchOptions } from "./listeners.js";
import type { PresenceView } from "./views.js";

/**
 * Calls `emit` now and again when the earliest of `deadlines` (ms since the epoch) passes, so
 * that indicators that end by themselves (typing, online) disappear without a new snapshot.
 * Returns a function that cancels the pending timer.
 */
function expiring(emit: () => void, deadlines: () => number[]): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    clearTimeout(timer);
    emit();
    const upcoming = deadlines().filter((at) => at > Date.now());
    if (upcoming.length > 0) timer = setTimeout(run, Math.min(...upcoming) - Date.now() + 10);
  };
  run();
  return () => clearTimeout(timer);
}

/**
 * Who else is typing in `chatId`, live: the uids whose indicator
 * (`chats/{chatId}/typing/{uid}.until`) is still in the future, the user left out. An indicator
 * ends by itself 5 s after it was set. One read per indicator written while listening.
 */
export function watchTyping({
  db,
  uid,
  chatId,
  onChange,
  onError = reportListenerError,
}: ChatWatchOptions<string[]>): Unsubscribe {
  const until = new Map<string, number>();
  let cancel = () => undefined as void;
  const live = query(refs.typing(db, chatId), where("until", ">", Timestamp.fromMillis(Date.now())));
  const stop = onSnapshot(
    live,
    (snap) => {
      for (const typingDoc of snap.docs) {
        const typing = typingDoc.data();
        if (typing.uid !== uid) until.set(typing.uid, typing.until.toDate().getTime());
      }
      cancel();
      const emit = () =>
        onChange(
          [...until]
            .filter(([, at]) => at > Date.now())
            .map(([typer]) => typer)
            .sort(),
        );
      cancel = expiring(emit, () => [...until.values()]);
    },
    onError,
  );
  return () => {
    cancel();
    stop();
  };
}

/** Options of {@link watchPresence}: the users whose presence to follow. */
export interface PresenceWatchOptions extends WatchOptions<Record<string, PresenceView>> {
  uids: string[];
}

/**
 * The presence of `uids`, live: uid -> online and last seen, from their `presence/{uid}` docs.
 * The rules let a user read their own and those of the people they have a 1:1 chat with (a
 * room's members: `listChatPresence`). Someone online turns offline by themselves when their
 * heartbeats stop. One read per heartbeat written.
 */
export function watchPresence({ db, uids, onChange, onError = reportListenerError }: PresenceWatchOptions): Unsubscribe {
  const fail = once(onError);
  const docs = new Map<string, DocOf<"presence"> | undefined>();
  let cancel = () => undefined as void;
  const refresh = () => {
    if (docs.size < uids.length) return;
    cancel();
    const emit = () => onChange(Object.fromEntries(uids.map((uid) => [uid, toPresenceView(uid, docs.get(uid), Date.now())])));
    const deadlines = () => [...docs.values()].flatMap((presence) => (presence ? [presence.onlineUntil.toDate().getTime()] : []));
    cancel = expiring(emit, deadlines);
  };
  const stops = uids.map((uid) =>
    onSnapshot(
      refs.presence(db, uid),
      (snap) => {
        docs.set(uid, snap.data());
        refresh();
      },
      fail,
    ),
  );
  return () => {
    cancel();
    stops.forEach((stop) => stop());
  };
}
