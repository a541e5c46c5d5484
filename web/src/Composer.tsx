import type { MessageView } from "@parley/client";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { parley } from "./parley.js";
import { PollForm } from "./Poll.js";
import { RecordButton, waveformOf } from "./Voice.js";

/**
 * Drafts by user and chat, kept for the tab's life: switching chats, or a send in flight, loses
 * none, and the next user to sign in on this tab sees none of the last one's.
 */
const drafts = new Map<string, string>();
const draftKey = (chatId: string) => `${parley.auth.currentUser?.uid ?? ""}/${chatId}`;
/** Least time between two typing calls: the server writes at most one per 3 s anyway. */
const TYPING_EVERY_MS = 3000;
/**
 * How long a draft is typed before its typing call goes out. A message sent sooner needs none
 * (sending ends the typing), so its send is the only request in flight: no function call and
 * no Firestore write for nothing, and no typing listener firing in the other window just before
 * the message does (the bench's Enter → other window, bench/browser-latency.mjs).
 */
const TYPING_AFTER_MS = 500;

/** What the composer props are. */
interface ComposerProps {
  chatId: string;
  replyTo: MessageView | null;
  onReplyDone: () => void;
  names: Record<string, string>;
  /** Who may be mentioned: uid -> display name. */
  members: Record<string, string>;
}

/** The chat's draft, kept in {@link drafts} as it is typed. */
function useDraft(chatId: string): [string, (value: string) => void] {
  const [text, setTextState] = useState(() => drafts.get(draftKey(chatId)) ?? "");
  const setText = (value: string) => {
    drafts.set(draftKey(chatId), value);
    setTextState(value);
  };
  useEffect(() => setTextState(drafts.get(draftKey(chatId)) ?? ""), [chatId]);
  return [text, setText];
}

/** The members whose name starts with the `@word` being typed at the end of `text` (at most 5). */
function mentionSuggestions(text: string, members: Record<string, string>): [string, string][] {
  const query = /(?:^|\s)@([^\s@]*)$/.exec(text)?.[1];
  if (query === undefined) return [];
  return Object.entries(members)
    .filter(([, name]) => name.toLowerCase().startsWith(query.toLowerCase()))
    .slice(0, 5);
}

/**
 * Sends a file with the draft as its caption (a recording as a voice message, with its
 * waveform); the upload's progress and error.
 */
function useAttach({ chatId, replyTo, onReplyDone }: ComposerProps, text: string, setText: (value: string) => void) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function attach(file: File, waveform?: number[]) {
    setError(null);
    setProgress(0);
    const caption = text.trim();
    setText("");
    try {
      await parley.rest.sendFile(chatId, file, file.name, {
        text: caption || undefined,
        clientMessageId: crypto.randomUUID(),
        replyTo: replyTo?.number,
        waveform,
        onProgress: setProgress,
      });
      onReplyDone();
    } catch (e) {
      setError((e as Error).message);
      if (!drafts.get(draftKey(chatId))) setText(caption);
    } finally {
      setProgress(null);
    }
  }
  async function sendRecording(recording: Blob) {
    const extension = recording.type.includes("ogg") ? "ogg" : recording.type.includes("mp4") ? "m4a" : "webm";
    const waveform = await waveformOf(recording).catch(() => undefined);
    await attach(new File([recording], `voice-message.${extension}`, { type: recording.type }), waveform);
  }
  return { progress, error, setError, attach, sendRecording };
}

/**
 * The typing calls of chat `chatId`'s composer: `typed(draft)` on each change sends one
 * {@link TYPING_AFTER_MS} after typing starts, then at most one per {@link TYPING_EVERY_MS};
 * emptying the draft or `sent()` drops a call not yet made (the next draft starts afresh).
 */
function useTypingCalls(chatId: string) {
  const lastTyping = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancel = () => {
    clearTimeout(pending.current);
    pending.current = undefined;
  };
  useEffect(() => cancel, [chatId]);
  function typed(draft: string) {
    if (!draft.trim()) return cancel();
    if (pending.current !== undefined || Date.now() - lastTyping.current <= TYPING_EVERY_MS) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      lastTyping.current = Date.now();
      void parley.rest.setTyping({ chatId }).catch(() => undefined);
    }, TYPING_AFTER_MS);
  }
  function sent() {
    cancel();
    lastTyping.current = 0;
  }
  return { typed, sent };
}

/** The draft, its mentions, typing calls as it changes, and sending it through the outbox. */
function useComposer(props: ComposerProps) {
  const { chatId, replyTo } = props;
  const [text, setText] = useDraft(chatId);
  const [mentions, setMentions] = useState<string[]>([]);
  const typing = useTypingCalls(chatId);
  const upload = useAttach(props, text, setText);
  function typed(value: string) {
    setText(value);
    typing.typed(value);
  }
  function mention(uid: string, name: string) {
    setText(text.replace(/@([^\s@]*)$/, `@${name} `));
    setMentions([...new Set([...mentions, uid])]);
  }
  function send(event?: FormEvent) {
    event?.preventDefault();
    if (!text.trim()) return;
    upload.setError(null);
    const named = mentions.filter((uid) => text.includes(`@${props.members[uid]}`));
    parley.send(chatId, { text, replyTo: replyTo?.number, ...(named.length > 0 && { mentions: named }) });
    setText("");
    setMentions([]);
    typing.sent();
    props.onReplyDone();
  }
  return { text, typed, mention, send, ...upload };
}

/**
 * Text and file sending, with the reply being composed and the upload's progress. A text goes
 * out through the client's outbox: it shows at once (pending) and the box is free for the next
 * draft straight away, whatever the send's fate. `@` offers the chat's members to mention.
 */
export function Composer(props: ComposerProps) {
  const { text, typed, mention, send, progress, error, attach, sendRecording } = useComposer(props);
  const [polling, setPolling] = useState(false);
  const suggestions = mentionSuggestions(text, props.members);
  if (polling) return <PollForm chatId={props.chatId} onDone={() => setPolling(false)} />;
  return (
    <form className="composer" onSubmit={send} aria-label="Send a message">
      {props.replyTo && <ReplyingTo replyTo={props.replyTo} names={props.names} onCancel={props.onReplyDone} />}
      {suggestions.length > 0 && <MentionList suggestions={suggestions} onMention={mention} />}
      {progress !== null && <progress aria-label="Upload progress" max={1} value={progress} />}
      {error && <p role="alert">{error}</p>}
      <div className="row">
        <label className="attach">
          <span>Attach a file</span>
          <input type="file" onChange={(event) => event.target.files?.[0] && void attach(event.target.files[0])} />
        </label>
        <button type="button" className="new-poll" onClick={() => setPolling(true)}>
          Poll
        </button>
        <RecordButton onRecorded={(recording) => void sendRecording(recording)} />
        <label className="visually-hidden" htmlFor="composer-text">
          Message
        </label>
        <textarea
          id="composer-text"
          value={text}
          rows={1}
          maxLength={10000}
          onChange={(event) => typed(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              send();
            }
          }}
        />
        <button type="submit">Send</button>
      </div>
    </form>
  );
}

/** The message being replied to, and the way to cancel the reply. */
function ReplyingTo({ replyTo, names, onCancel }: { replyTo: MessageView; names: Record<string, string>; onCancel: () => void }) {
  return (
    <p className="replying">
      Replying to {replyTo.from ? names[replyTo.from] : ""}: {replyTo.text.slice(0, 80) || replyTo.file?.name}
      <button type="button" onClick={onCancel}>
        Cancel reply
      </button>
    </p>
  );
}

/** The members the `@word` being typed may mention. */
function MentionList({
  suggestions,
  onMention,
}: {
  suggestions: [string, string][];
  onMention: (uid: string, name: string) => void;
}) {
  return (
    <ul className="mentions" aria-label="Mention someone">
      {suggestions.map(([uid, name]) => (
        <li key={uid}>
          <button type="button" onClick={() => onMention(uid, name)}>
            Mention {name}
          </button>
        </li>
      ))}
    </ul>
  );
}
