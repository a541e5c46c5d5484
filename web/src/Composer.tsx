import type { MessageView } from "@parley/client";
import { useState, type FormEvent } from "react";
import { parley } from "./parley.js";

/** Text and file sending, with the reply being composed and the upload's progress. */
export function Composer(props: {
  chatId: string;
  replyTo: MessageView | null;
  onReplyDone: () => void;
  names: Record<string, string>;
}) {
  const { chatId, replyTo } = props;
  const [text, setText] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (!text.trim()) return;
    setError(null);
    try {
      await parley.rest.sendMessage({ chatId, text, clientMessageId: crypto.randomUUID(), replyTo: replyTo?.number });
      setText("");
      props.onReplyDone();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function attach(file: File) {
    setError(null);
    setProgress(0);
    try {
      await parley.rest.sendFile(chatId, file, file.name, {
        text: text.trim() || undefined,
        clientMessageId: crypto.randomUUID(),
        replyTo: replyTo?.number,
        onProgress: setProgress,
      });
      setText("");
      props.onReplyDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setProgress(null);
    }
  }

  return (
    <form className="composer" onSubmit={(event) => void send(event)} aria-label="Send a message">
      {replyTo && (
        <p className="replying">
          Replying to {replyTo.from ? props.names[replyTo.from] : ""}: {replyTo.text.slice(0, 80) || replyTo.file?.name}
          <button type="button" onClick={props.onReplyDone}>
            Cancel reply
          </button>
        </p>
      )}
      {progress !== null && <progress aria-label="Upload progress" max={1} value={progress} />}
      {error && <p role="alert">{error}</p>}
      <div className="row">
        <label className="attach">
          <span>Attach a file</span>
          <input type="file" onChange={(event) => event.target.files?.[0] && void attach(event.target.files[0])} />
        </label>
        <label className="visually-hidden" htmlFor="composer-text">
          Message
        </label>
        <textarea
          id="composer-text"
          value={text}
          rows={1}
          maxLength={10000}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit">Send</button>
      </div>
    </form>
  );
}
