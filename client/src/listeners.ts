import type { Firestore } from "firebase/firestore";

/** Stops a listener. */
export type Unsubscribe = () => void;

/** What a listener does with its error: a listener that failed (e.g. `permission-denied`) receives nothing more. */
export type OnError = (error: Error) => void;

/** Where a watcher listens and whom it tells: every state to `onChange`, a failure to `onError`. */
export interface WatchOptions<S> {
  db: Firestore;
  onChange: (state: S) => void;
  /** Default: {@link reportListenerError}. */
  onError?: OnError;
}

/** A watcher of what user `uid` (the signed-in user) sees. */
export interface UserWatchOptions<S> extends WatchOptions<S> {
  uid: string;
}

/** A watcher of one chat, `chatId`, as user `uid` sees it. */
export interface ChatWatchOptions<S> extends UserWatchOptions<S> {
  chatId: string;
}

/**
 * What a realtime helper does with a listener's error when its caller passed no `onError`: it
 * says so on the console (`console.error`), as the Firebase SDK does for a listener without an
 * error callback, instead of letting the listener end in silence. A listener that failed (e.g.
 * `permission-denied`) receives nothing more.
 */
export function reportListenerError(error: Error): void {
  console.error(`[parley] a listener stopped: ${errorCode(error) ?? "error"}: ${error.message}`);
}

/** `onError`, called once at most: a helper made of several listeners reports one failure. */
export function once(onError: OnError): OnError {
  let failed = false;
  return (error) => {
    if (failed) return;
    failed = true;
    onError(error);
  };
}

/** The code of a Firebase error (`permission-denied`, …), if it has one. */
export function errorCode(error: Error): string | undefined {
  return (error as { code?: string }).code;
}
