import type { MessageView, ThreadState } from "@parley/client";
import { useEffect, useState, type FormEvent } from "react";
import { formText } from "./form.js";
import { parley } from "./parley.js";
import { timeOf } from "./time.js";

/** Where a message's thread opens from: its "N replies", and a reply also shown in the chat. */
export function ThreadLink({ message, open }: { message: MessageView; open: (number: number) => void }) {
  if (message.threadOf !== null) {
    return (
      <button type="button" className="thread-link link" onClick={() => open(message.threadOf ?? message.number)}>
        Replied in a thread
      </button>
    );
  }
  const count = message.thread?.replyCount ?? 0;
  if (count === 0) return null;
  return (
    <button type="button" className="thread-link link" onClick={() => open(message.number)}>
      {count === 1 ? "1 reply" : `${count} replies`}
    </button>
  );
}

/** The action that opens a message's thread (a reply shown in the chat has none: threads are one level deep). */
export function OpenThreadButton({ message, open }: { message: MessageView; open: (number: number) => void }) {
  if (message.threadOf !== null) return null;
  return (
    <button type="button" onClick={() => open(message.number)}>
      Open thread
    </button>
  );
}

/** How many threads the user takes part in have replies they have not read. */
export function ThreadsWithNewReplies({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <p className="threads-unread" role="status">
      {count === 1 ? "1 thread" : `${count} threads`} with new replies
    </p>
  );
}

/** The thread on message `number`, live, marked read as replies come; a form to reply (also to the chat). */
export function ThreadPane(props: { chatId: string; number: number; names: Record<string, string>; onClose: () => void }) {
  const { chatId, number, names, onClose } = props;
  const [state, setState] = useState<ThreadState | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => parley.watchThread(chatId, number, setState, (e) => setError(e.message)), [chatId, number]);
  const replyCount = state?.replies.length ?? 0;
  useEffect(() => {
    void parley.rest.markThreadRead({ chatId, number }).catch(() => undefined);
  }, [chatId, number, replyCount]);
  return (
    <aside className="thread" aria-label={`Thread on message ${number}`}>
      <header>
        <h3>Thread</h3>
        <button type="button" onClick={onClose}>
          Close thread
        </button>
      </header>
      {error && <p role="alert">{error}</p>}
      {state?.parent && <ThreadMessage message={state.parent} names={names} />}
      <ol className="replies" aria-label="Replies">
        {state?.replies.map((reply) => (
          <li key={reply.number}>
            <ThreadMessage message={reply} names={names} />
          </li>
        ))}
      </ol>
      <ThreadComposer chatId={chatId} number={number} onError={setError} />
    </aside>
  );
}

/** One message of a thread: sender, text (or that it was deleted), time. */
function ThreadMessage({ message, names }: { message: MessageView; names: Record<string, string> }) {
  return (
    <p className="thread-message">
      <span className="sender">{message.from ? (names[message.from] ?? "…") : ""}</span>{" "}
      {message.deleted ? <span className="deleted">Message deleted</span> : <span className="text">{message.text}</span>}{" "}
      <time dateTime={message.createdAt ?? undefined}>{timeOf(message.createdAt)}</time>
    </p>
  );
}

/** The thread's reply form: a text and "Also send to chat". */
function ThreadComposer({ chatId, number, onError }: { chatId: string; number: number; onError: (error: string) => void }) {
  const [busy, setBusy] = useState(false);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const text = formText(event, "text").trim();
    if (!text) return;
    const showInChannel = new FormData(form).get("showInChannel") === "on";
    setBusy(true);
    parley.rest
      .sendMessage({ chatId, text, threadOf: number, ...(showInChannel && { showInChannel }) })
      .then(
        () => form.reset(),
        (e: Error) => onError(e.message),
      )
      .finally(() => setBusy(false));
  }
  return (
    <form className="thread-composer" onSubmit={submit} aria-label="Reply in thread">
      <label>
        Reply
        <input name="text" required maxLength={10_000} autoComplete="off" />
      </label>
      <label>
        <input type="checkbox" name="showInChannel" /> Also send to chat
      </label>
      <button type="submit" disabled={busy}>
        Send reply
      </button>
    </form>
  );
}
