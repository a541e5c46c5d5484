import { messageStatus, type ChatView, type MessageView } from "@parley/client";
import { useEffect, useState, type FormEvent } from "react";
import { EditedMarker } from "./EditHistory.js";
import { parley } from "./parley.js";
import { formText } from "./form.js";
import { LinkPreviewCard } from "./LinkPreviewCard.js";
import { PollCard } from "./Poll.js";
import { VoicePlayer } from "./Voice.js";
import { OpenThreadButton, ThreadLink } from "./ThreadPane.js";
import { timeOf } from "./time.js";

/** The reactions the actions menu offers in one click. */
const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉"];

/** Which of a message's menus is open: none, the actions, or a form. */
type Menu = "closed" | "open" | "edit" | "forward" | "report";

/** What a message's props are. */
interface MessageItemProps {
  message: MessageView;
  uid: string;
  names: Record<string, string>;
  chat: ChatView;
  readOnly: boolean;
  /** Sent by someone the user blocked: shown folded. */
  blocked: boolean;
  /** The user's newest message the other member of a 1:1 chat has read. */
  seen: boolean;
  onReply: (message: MessageView) => void;
  /** Opens the thread on a message (by number); absent: no threads here. */
  onOpenThread?: (number: number) => void;
}

/** What a message's actions act with: the menu's state, `run` (closes the menu, shows a failure) and `react`. */
interface MessageActionsProps extends Pick<
  MessageItemProps,
  "message" | "uid" | "chat" | "blocked" | "onReply" | "onOpenThread"
> {
  menu: Menu;
  setMenu: (menu: Menu) => void;
  run: (action: () => Promise<unknown>) => void;
  react: (emoji: string) => void;
  onNote: (note: string) => void;
}

/** One message: sender, text or file, quote, and its actions. */
export function MessageItem(props: MessageItemProps) {
  const { message, uid, names, chat, readOnly } = props;
  const chatId = chat.id;
  const [menu, setMenu] = useState<Menu>("closed");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [unfolded, setUnfolded] = useState(false);
  const mine = message.from === uid;
  const sender = message.from ? (names[message.from] ?? "…") : "";
  const run = (action: () => Promise<unknown>) => {
    setMenu("closed");
    void action().catch((e: Error) => setError(e.message));
  };

  const react = (emoji: string) =>
    run(() =>
      message.myReactions.includes(emoji)
        ? parley.rest.removeReaction({ chatId, number: message.number, emoji })
        : parley.rest.addReaction({ chatId, number: message.number, emoji }),
    );

  if (message.type === "system") {
    return (
      <li className="system" data-number={message.number}>
        {message.text}
      </li>
    );
  }
  return (
    <li
      className={`message ${mine ? "mine" : ""}`}
      data-number={message.number}
      aria-label={`Message ${message.number} from ${sender}`}
    >
      <span className="sender">{sender}</span>
      <time className="time" dateTime={message.createdAt ?? undefined}>
        {timeOf(message.createdAt)}
      </time>
      {props.blocked && !unfolded ? (
        <p className="blocked">
          Message from someone you blocked{" "}
          <button type="button" onClick={() => setUnfolded(true)}>
            Show
          </button>
        </p>
      ) : (
        <MessageBody message={message} sender={sender} poll={{ uid, names, readOnly }} />
      )}
      <Reactions message={message} readOnly={readOnly} react={react} />
      <Ticks chat={chat} message={message} uid={uid} />
      {props.onOpenThread && <ThreadLink message={message} open={props.onOpenThread} />}
      {props.seen && <span className="seen">Seen</span>}
      {error && <p role="alert">{error}</p>}
      {note && <p role="status">{note}</p>}
      {!message.deleted && !readOnly && (
        <MessageActions {...props} menu={menu} setMenu={setMenu} run={run} react={react} onNote={setNote} />
      )}
    </li>
  );
}

/** What each status shows: its ticks, and the label that reads them out. */
const TICKS = {
  sent: { marks: "✓", label: "Sent" },
  delivered: { marks: "✓✓", label: "Delivered" },
  seen: { marks: "✓✓", label: "Seen" },
} as const;

/** The user's own message in a 1:1 chat: ✓ sent, ✓✓ delivered, ✓✓ highlighted once seen. */
function Ticks({ chat, message, uid }: { chat: ChatView; message: MessageView; uid: string }) {
  const status = messageStatus(chat, message, uid);
  if (!status) return null;
  const { marks, label } = TICKS[status];
  return (
    <span className={`ticks ticks-${status}`} role="img" aria-label={label} title={label}>
      {marks}
    </span>
  );
}

/** A message's reaction counts, each a toggle of the user's own reaction. */
function Reactions({ message, readOnly, react }: { message: MessageView; readOnly: boolean; react: (emoji: string) => void }) {
  if (Object.keys(message.reactions).length === 0) return null;
  return (
    <div className="reactions" aria-label="Reactions">
      {Object.entries(message.reactions).map(([emoji, count]) => (
        <button
          key={emoji}
          type="button"
          aria-pressed={message.myReactions.includes(emoji)}
          aria-label={`${emoji} ${count}`}
          disabled={readOnly}
          onClick={() => react(emoji)}
        >
          {emoji} {count}
        </button>
      ))}
    </div>
  );
}

/** The message's actions button, and the menu or form it opened. */
function MessageActions(props: MessageActionsProps) {
  const { message, chat, menu, setMenu, run } = props;
  const chatId = chat.id;
  return (
    <div className="message-actions">
      <button
        type="button"
        aria-haspopup="true"
        aria-expanded={menu !== "closed"}
        onClick={() => setMenu(menu === "closed" ? "open" : "closed")}
      >
        Message actions
      </button>
      {menu === "open" && <ActionMenu {...props} />}
      {menu === "edit" && (
        <EditForm
          message={message}
          onSave={(text) => run(() => parley.rest.editMessage({ chatId, number: message.number, text }))}
        />
      )}
      {menu === "report" && (
        <ReportForm
          onReport={(reason) =>
            run(async () => {
              await parley.rest.reportMessage({ chatId, number: message.number, reason });
              props.onNote("Reported. Thank you: the moderators will look at it.");
            })
          }
        />
      )}
      {menu === "forward" && (
        <ForwardForm
          onForward={(to) => run(() => parley.rest.forwardMessage({ chatId, number: message.number, toChatId: to }))}
        />
      )}
    </div>
  );
}

/** The actions menu: quick reactions, reply, pin, forward, edit, delete, hide, report, block. */
function ActionMenu({ message, uid, chat, blocked, onReply, onOpenThread, setMenu, run, react }: MessageActionsProps) {
  const chatId = chat.id;
  const number = message.number;
  const mine = message.from === uid;
  const mayPin = chat.type === "direct" || chat.host === uid;
  const pinned = chat.pinned.includes(number);
  return (
    <div role="group" aria-label="Actions">
      {QUICK_REACTIONS.map((emoji) => (
        <button key={emoji} type="button" aria-label={`React ${emoji}`} onClick={() => react(emoji)}>
          {emoji}
        </button>
      ))}
      <button type="button" onClick={() => (setMenu("closed"), onReply(message))}>
        Reply
      </button>
      {onOpenThread && <OpenThreadButton message={message} open={(n) => (setMenu("closed"), onOpenThread(n))} />}
      {mayPin && (
        <button
          type="button"
          onClick={() =>
            run(() => (pinned ? parley.rest.unpinMessage({ chatId, number }) : parley.rest.pinMessage({ chatId, number })))
          }
        >
          {pinned ? "Unpin" : "Pin"}
        </button>
      )}
      <button type="button" onClick={() => setMenu("forward")}>
        Forward
      </button>
      {mine && message.type === "text" && (
        <button type="button" onClick={() => setMenu("edit")}>
          Edit
        </button>
      )}
      {mine && (
        <button type="button" onClick={() => run(() => parley.rest.deleteMessage({ chatId, number }))}>
          Delete for everyone
        </button>
      )}
      <button type="button" onClick={() => run(() => parley.rest.hideMessage({ chatId, number }))}>
        Delete for me
      </button>
      {!mine && message.from && (
        <>
          <button type="button" onClick={() => setMenu("report")}>
            Report
          </button>
          {!blocked && (
            <button type="button" onClick={() => run(() => parley.rest.blockUser({ uid: message.from! }))}>
              Block sender
            </button>
          )}
        </>
      )}
    </div>
  );
}

/** An image's thumbnail (fetched with the ID token: Storage is closed to clients) or a file link. */
function Attachment({ message, sender }: { message: MessageView; sender: string }) {
  const file = message.file!;
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!file.thumbnail) return;
    let url: string | null = null;
    void parley.rest.download(file.thumbnail.downloadPath).then((blob) => setSrc((url = URL.createObjectURL(blob))));
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.thumbnail?.downloadPath]);
  async function open() {
    const blob = await parley.rest.download(file.downloadPath);
    const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: file.name });
    a.click();
  }
  return (
    <div className="attachment">
      {file.thumbnail &&
        (src ? (
          <img src={src} alt={`Photo from ${sender}`} width={file.thumbnail.width} height={file.thumbnail.height} />
        ) : (
          <span className="thumb-placeholder">Loading photo…</span>
        ))}
      <button type="button" className="link" onClick={() => void open()}>
        {file.name} ({Math.ceil(file.size / 1024)} KB)
      </button>
    </div>
  );
}

function EditForm({ message, onSave }: { message: MessageView; onSave: (text: string) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSave(formText(event, "text"));
  };
  return (
    <form onSubmit={submit} aria-label="Edit message">
      <label>
        Edit message
        <input name="text" defaultValue={message.text} required />
      </label>
      <button type="submit">Save</button>
    </form>
  );
}

function ForwardForm({ onForward }: { onForward: (toChatId: string) => void }) {
  const [chats, setChats] = useState<ChatView[]>([]);
  useEffect(() => parley.watchChats(setChats), []);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onForward(formText(event, "to"));
  };
  return (
    <form onSubmit={submit} aria-label="Forward message">
      <label>
        Forward to
        <select name="to" required>
          {chats
            .filter((chat) => chat.status === "active")
            .map((chat) => (
              <option key={chat.id} value={chat.id}>
                {chat.title ?? chat.lastMessage?.preview ?? chat.id}
              </option>
            ))}
        </select>
      </label>
      <button type="submit">Forward</button>
    </form>
  );
}

/** What a message says: its quote, file and text or poll, or that it was deleted. */
function MessageBody({
  message,
  sender,
  poll,
}: {
  message: MessageView;
  sender: string;
  poll: { uid: string; names: Record<string, string>; readOnly: boolean };
}) {
  return (
    <>
      {message.reference && (
        <blockquote className="reference">
          {message.reference.type === "forward" ? "Forwarded" : `Reply to: ${message.reference.preview ?? ""}`}
        </blockquote>
      )}
      {message.deleted ? (
        <p className="deleted">Message deleted</p>
      ) : (
        <>
          {message.file &&
            (message.type === "voice" ? (
              <VoicePlayer file={message.file} sender={sender} />
            ) : (
              <Attachment message={message} sender={sender} />
            ))}
          {message.poll ? <PollCard message={message} {...poll} /> : message.text && <p className="text">{message.text}</p>}
          {message.linkPreview && <LinkPreviewCard message={message} removable={message.from === poll.uid && !poll.readOnly} />}
          {message.editedAt && <EditedMarker message={message} />}
        </>
      )}
    </>
  );
}

/** Asks why a message is reported, then sends the report. */
function ReportForm({ onReport }: { onReport: (reason: string) => void }) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onReport(formText(event, "reason"));
  }
  return (
    <form onSubmit={submit} className="report" aria-label="Report message">
      <label>
        Why are you reporting this message?
        <input name="reason" required maxLength={500} />
      </label>
      <button type="submit">Send report</button>
    </form>
  );
}
