import type { ChatView, ConversationState, MessagesSubscription, MessageView } from "@parley/client";
import { Fragment, useEffect, useRef, useState } from "react";
import { chatName } from "./ChatList.js";
import { Composer } from "./Composer.js";
import { MessageItem } from "./MessageItem.js";
import { OutgoingItem } from "./Outgoing.js";
import { MembersPanel, PinnedBar, SearchBox } from "./Panels.js";
import { dayOf } from "./time.js";
import { useBlocks } from "./blocks.js";
import { useNames } from "./names.js";
import { parley } from "./parley.js";

/** One chat, live: header with its actions, pins, the messages (older ones on scroll), who is typing, the composer. */
export function Conversation({ uid, chatId, go }: { uid: string; chatId: string; go: (path: string) => void }) {
  const [chat, setChat] = useState<ChatView | null>(null);
  const [state, setState] = useState<ConversationState>({ messages: [], hasOlder: false, outgoing: [] });
  const [error, setError] = useState<string | null>(null);
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const [typing, setTyping] = useState<string[]>([]);
  const [panel, setPanel] = useState<"none" | "search" | "members">("none");
  const [atBottom, setAtBottom] = useState(true);
  const subscription = useRef<MessagesSubscription | null>(null);
  const list = useRef<HTMLOListElement>(null);
  // Where the user had read to when they opened the chat: the unread divider stays there.
  const readWhenOpened = useRef<number | null>(null);

  useEffect(() => parley.watchChat(chatId, setChat, () => setError("You are not a member of this chat.")), [chatId]);
  useEffect(() => {
    const watch = parley.watchConversation(chatId, setState, () => setError("You are not a member of this chat."));
    subscription.current = watch;
    return watch;
  }, [chatId]);
  useEffect(() => parley.watchTyping(chatId, setTyping), [chatId]);
  if (chat && readWhenOpened.current === null) readWhenOpened.current = chat.lastRead[uid] ?? 0;
  // Reading the chat marks it read, which clears the unread badge everywhere.
  useEffect(() => {
    // A message request is read without "seen": accepting it (or replying) marks it read.
    if (chat && chat.unreadCount > 0 && chat.request?.to !== uid && document.visibilityState === "visible")
      void parley.rest.markRead({ chatId }).catch(() => undefined);
  }, [chat?.unreadCount, state.messages.length]);
  const newest = state.messages.at(-1);
  const lastOwn = state.outgoing.at(-1)?.clientMessageId;
  useEffect(() => {
    if (atBottom || newest?.from === uid || lastOwn) list.current?.lastElementChild?.scrollIntoView({ block: "end" });
  }, [newest?.number, lastOwn, state.outgoing.length]);

  const blocked = useBlocks();
  const names = useNames([...(chat?.members ?? []), ...typing, ...state.messages.flatMap((m) => (m.from ? [m.from] : []))]);
  if (error) return <p role="alert">{error}</p>;
  if (!chat) return <p>Loading…</p>;
  const title = chatName(chat, uid, names);
  const ended = chat.status === "completed";
  const other = chat.type === "direct" ? chat.members.find((member) => member !== uid) : undefined;
  const seenUpTo = other ? (chat.lastRead[other] ?? 0) : 0;
  const lastSeenOwn = other ? state.messages.filter((m) => m.from === uid && m.number <= seenUpTo).at(-1)?.number : undefined;
  const firstUnread = state.messages.find((m) => m.number > (readWhenOpened.current ?? Infinity) && m.from !== uid)?.number;
  const mentionable = Object.fromEntries(Object.entries(names).filter(([member]) => member !== uid));

  return (
    <section className="conversation" aria-label={`Conversation: ${title}`}>
      <header className="chat-header">
        <button type="button" className="back" onClick={() => go("/")} aria-label="Back to chats">
          ←
        </button>
        <h2>{title}</h2>
        <button type="button" aria-pressed={panel === "search"} onClick={() => setPanel(panel === "search" ? "none" : "search")}>
          Search chat
        </button>
        {chat.type === "room" && (
          <button
            type="button"
            aria-pressed={panel === "members"}
            onClick={() => setPanel(panel === "members" ? "none" : "members")}
          >
            Members ({chat.memberCount})
          </button>
        )}
        <ChatActions chat={chat} uid={uid} go={go} blocked={blocked} />
      </header>
      <RequestBar chat={chat} uid={uid} title={title} go={go} />
      {panel === "search" && <SearchBox chatId={chatId} names={names} />}
      {panel === "members" && <MembersPanel chatId={chatId} />}
      <PinnedBar chat={chat} uid={uid} />
      <ol
        className="messages"
        aria-label="Messages"
        ref={list}
        onScroll={(event) => {
          const box = event.currentTarget;
          setAtBottom(box.scrollHeight - box.scrollTop - box.clientHeight < 40);
          if (box.scrollTop === 0 && state.hasOlder) void subscription.current?.loadOlder();
        }}
      >
        {state.hasOlder && (
          <li className="older">
            <button type="button" onClick={() => void subscription.current?.loadOlder()}>
              Load older messages
            </button>
          </li>
        )}
        {state.messages.map((message, i) => {
          const day = dayOf(message.createdAt);
          const newDay = day !== dayOf(state.messages[i - 1]?.createdAt ?? null);
          return (
            <Fragment key={message.number}>
              {newDay && <li className="day">{day}</li>}
              {message.number === firstUnread && <li className="unread-divider">New messages</li>}
              <MessageItem
                message={message}
                uid={uid}
                names={names}
                chat={chat}
                onReply={setReplyTo}
                readOnly={ended}
                blocked={message.from !== null && blocked.has(message.from)}
                seen={message.number === lastSeenOwn}
              />
            </Fragment>
          );
        })}
        {state.outgoing.map((message) => (
          <OutgoingItem key={message.clientMessageId} message={message} />
        ))}
      </ol>
      {!atBottom && (
        <button
          type="button"
          className="jump"
          onClick={() => list.current?.lastElementChild?.scrollIntoView({ block: "end", behavior: "smooth" })}
        >
          Jump to latest
        </button>
      )}
      <p className="typing" aria-live="polite">
        {typing.length > 0 &&
          `${typing.map((typer) => names[typer] ?? "Someone").join(", ")} ${typing.length > 1 ? "are" : "is"} typing…`}
      </p>
      {ended ? (
        <p className="ended">This chat has ended.</p>
      ) : (
        <Composer chatId={chatId} replyTo={replyTo} onReplyDone={() => setReplyTo(null)} names={names} members={mentionable} />
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
          <button
            type="button"
            onClick={act(
              async () => {
                await parley.rest.sendMessage({
                  chatId: chat.id,
                  text: "Bye, everyone! 👋",
                  clientMessageId: crypto.randomUUID(),
                });
                await parley.rest.leaveRoom({ chatId: chat.id });
              },
              () => go("/"),
            )}
          >
            Say bye
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

/**
 * What a message request says: to its recipient, who sent it and the choice (accept, decline;
 * block is in the header); to its opener, that the other member has not accepted yet.
 */
function RequestBar({ chat, uid, title, go }: { chat: ChatView; uid: string; title: string; go: (path: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const request = chat.request;
  if (!request) return null;
  const answer = async (accept: boolean) => {
    try {
      if (accept) await parley.rest.acceptRequest({ chatId: chat.id });
      else {
        await parley.rest.declineRequest({ chatId: chat.id });
        go("/");
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (request.from === uid) {
    return (
      <p className="request-bar" role="status">
        {request.state === "declined"
          ? `${title} did not accept your message request.`
          : `Message request: ${title} can accept it or not. You can send a few messages until then.`}
      </p>
    );
  }
  return (
    <div className="request-bar" role="region" aria-label="Message request">
      <p>
        {title} wants to send you messages. Until you accept or reply, they won&apos;t see when you read their messages or when
        you are online.
      </p>
      <button type="button" onClick={() => void answer(true)}>
        Accept
      </button>
      {request.state === "pending" && (
        <button type="button" onClick={() => void answer(false)}>
          Decline
        </button>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
