import type { ChatView, MessagesState, MessageView } from "@parley/client";
import { useEffect, useRef, useState } from "react";
import { chatName } from "./ChatList.js";
import { Composer } from "./Composer.js";
import { MessageItem } from "./MessageItem.js";
import { useBlocks } from "./blocks.js";
import { useNames } from "./names.js";
import { parley } from "./parley.js";

/** One chat, live: header with room actions, the messages (older ones on scroll), the composer. */
export function Conversation({ uid, chatId, go }: { uid: string; chatId: string; go: (path: string) => void }) {
  const [chat, setChat] = useState<ChatView | null>(null);
  const [state, setState] = useState<MessagesState>({ messages: [], hasOlder: false });
  const [error, setError] = useState<string | null>(null);
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const subscription = useRef<ReturnType<typeof parley.watchMessages> | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => parley.watchChat(chatId, setChat, () => setError("You are not a member of this chat.")), [chatId]);
  useEffect(() => {
    const watch = parley.watchMessages(chatId, setState, () => setError("You are not a member of this chat."));
    subscription.current = watch;
    return watch;
  }, [chatId]);
  // Reading the chat marks it read, which clears the unread badge everywhere.
  useEffect(() => {
    if (chat && chat.unreadCount > 0 && document.visibilityState === "visible")
      void parley.rest.markRead({ chatId }).catch(() => undefined);
  }, [chat?.unreadCount, state.messages.length]);
  const newest = state.messages.at(-1)?.number;
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: "end" });
  }, [newest]);

  const blocked = useBlocks();
  const names = useNames([...(chat?.members ?? []), ...state.messages.flatMap((m) => (m.from ? [m.from] : []))]);
  if (error) return <p role="alert">{error}</p>;
  if (!chat) return <p>Loading…</p>;
  const title = chatName(chat, uid, names);
  const ended = chat.status === "completed";

  return (
    <section className="conversation" aria-label={`Conversation: ${title}`}>
      <header className="chat-header">
        <button type="button" className="back" onClick={() => go("/")} aria-label="Back to chats">
          ←
        </button>
        <h2>{title}</h2>
        <ChatActions chat={chat} uid={uid} go={go} blocked={blocked} />
      </header>
      <ol
        className="messages"
        aria-label="Messages"
        ref={list}
        onScroll={(event) => event.currentTarget.scrollTop === 0 && state.hasOlder && void subscription.current?.loadOlder()}
      >
        {state.hasOlder && (
          <li className="older">
            <button type="button" onClick={() => void subscription.current?.loadOlder()}>
              Load older messages
            </button>
          </li>
        )}
        {state.messages.map((message) => (
          <MessageItem
            key={message.number}
            message={message}
            uid={uid}
            names={names}
            chatId={chatId}
            onReply={setReplyTo}
            readOnly={ended}
            blocked={message.from !== null && blocked.has(message.from)}
          />
        ))}
      </ol>
      {ended ? (
        <p className="ended">This chat has ended.</p>
      ) : (
        <Composer chatId={chatId} replyTo={replyTo} onReplyDone={() => setReplyTo(null)} names={names} />
      )}
    </section>
  );
}

/** Room invite, leave, end, block or unblock (1:1), and the history download of an ended chat. */
function ChatActions({
  chat,
  uid,
  go,
  blocked,
}: {
  chat: ChatView;
  uid: string;
  go: (path: string) => void;
  blocked: Set<string>;
}) {
  const [invite, setInvite] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act = (action: () => Promise<unknown>, after?: () => void) => () =>
    void action().then(after, (e: Error) => setNote(e.message));
  const canEnd = chat.status !== "completed" && (chat.type === "direct" || chat.host === uid);
  const other = chat.type === "direct" ? chat.members.find((member) => member !== uid) : undefined;

  async function copyInvite() {
    const link = `${location.origin}/join/${chat.inviteCode}`;
    setInvite(link);
    await navigator.clipboard?.writeText(link).catch(() => undefined);
  }
  async function downloadExport() {
    const blob = await parley.rest.download(chat.export!.downloadPath);
    const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: `parley-${chat.id}.csv` });
    a.click();
    URL.revokeObjectURL(a.href);
  }

  return (
    <div className="chat-actions">
      {chat.type === "room" && chat.status !== "completed" && (
        <>
          <button type="button" onClick={() => void copyInvite()}>
            Copy invite link
          </button>
          <button
            type="button"
            onClick={act(
              () => parley.rest.leaveRoom({ chatId: chat.id }),
              () => go("/"),
            )}
          >
            Leave room
          </button>
        </>
      )}
      {canEnd && (
        <button type="button" onClick={act(() => parley.rest.endChat({ chatId: chat.id }))}>
          End chat
        </button>
      )}
      {other &&
        (blocked.has(other) ? (
          <button type="button" onClick={act(() => parley.rest.unblockUser({ uid: other }))}>
            Unblock
          </button>
        ) : (
          <button type="button" onClick={act(() => parley.rest.blockUser({ uid: other }))}>
            Block
          </button>
        ))}
      {chat.export && (
        <button type="button" onClick={() => void downloadExport()}>
          Download history ({chat.export.rows} messages)
        </button>
      )}
      {invite && (
        <label className="invite">
          Invite link
          <input readOnly value={invite} onFocus={(event) => event.currentTarget.select()} />
        </label>
      )}
      {note && <p role="alert">{note}</p>}
    </div>
  );
}
