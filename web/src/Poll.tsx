import type { MessageView } from "@parley/client";
import { useState, type FormEvent } from "react";
import { formText } from "./form.js";
import { parley } from "./parley.js";

/** Most options a poll takes (the API's limit). */
const MAX_OPTIONS = 10;

/** What a poll card's props are: a poll message, the user, and the chat's names. */
interface PollCardProps {
  message: MessageView;
  uid: string;
  names: Record<string, string>;
  readOnly: boolean;
}

/**
 * A poll message: its question, each option with its live count as a toggle of the user's vote
 * (and, unless anonymous, who voted for it), and for its sender a button to close it.
 */
export function PollCard({ message, uid, names, readOnly }: PollCardProps) {
  const poll = message.poll!;
  const { chatId, number } = message;
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<unknown>) => {
    setError(null);
    void action().catch((e: Error) => setError(e.message));
  };
  const toggle = (option: number) =>
    run(() =>
      poll.myVotes.includes(option)
        ? parley.rest.unvotePoll({ chatId, number, option })
        : parley.rest.votePoll({ chatId, number, option }),
    );
  const kind = [poll.multiple ? "several choices" : "one choice", poll.anonymous && "anonymous", poll.closed && "closed"];
  return (
    <div className="poll" role="group" aria-label={`Poll: ${poll.question}`}>
      <p className="question">{poll.question}</p>
      <ul>
        {poll.options.map((option, i) => (
          <li key={i}>
            <button
              type="button"
              aria-pressed={poll.myVotes.includes(i)}
              aria-label={`${option.text}: ${option.votes} ${option.votes === 1 ? "vote" : "votes"}`}
              disabled={readOnly || poll.closed}
              onClick={() => toggle(i)}
            >
              {option.text} <span className="votes">{option.votes}</span>
            </button>
            {(poll.voters?.[i]?.length ?? 0) > 0 && (
              <span className="voters">{poll.voters![i].map((voter) => names[voter] ?? "…").join(", ")}</span>
            )}
          </li>
        ))}
      </ul>
      <p className="poll-meta">
        {poll.voterCount} voted · {kind.filter(Boolean).join(" · ")}
      </p>
      {message.from === uid && !poll.closed && !readOnly && (
        <button type="button" onClick={() => run(() => parley.rest.closePoll({ chatId, number }))}>
          Close poll
        </button>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}

/** A small form to compose a poll: a question, 2-10 options, single or multiple choice, anonymous or not. */
export function PollForm({ chatId, onDone }: { chatId: string; onDone: () => void }) {
  const [options, setOptions] = useState(["", ""]);
  const [error, setError] = useState<string | null>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = (name: string) => new FormData(event.currentTarget).get(name) === "on";
    const poll = {
      question: formText(event, "question"),
      options: options.filter((option) => option.trim()),
      multiple: checked("multiple"),
      anonymous: checked("anonymous"),
    };
    setError(null);
    parley.rest
      .sendMessage({ chatId, poll, clientMessageId: crypto.randomUUID() })
      .then(onDone, (e: Error) => setError(e.message));
  }
  const setOption = (i: number, value: string) => setOptions(options.map((option, j) => (j === i ? value : option)));
  return (
    <form className="poll-form" onSubmit={submit} aria-label="New poll">
      <label>
        Question
        <input name="question" required maxLength={300} />
      </label>
      {options.map((option, i) => (
        <label key={i}>
          Option {i + 1}
          <input value={option} required={i < 2} maxLength={100} onChange={(event) => setOption(i, event.target.value)} />
        </label>
      ))}
      {options.length < MAX_OPTIONS && (
        <button type="button" onClick={() => setOptions([...options, ""])}>
          Add option
        </button>
      )}
      <label>
        <input type="checkbox" name="multiple" /> Several choices
      </label>
      <label>
        <input type="checkbox" name="anonymous" /> Anonymous
      </label>
      {error && <p role="alert">{error}</p>}
      <button type="submit">Send poll</button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
