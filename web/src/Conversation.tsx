import type { ChatView, ConversationState, MessagesSubscription, MessageView } from "@parley/client";
import { Fragment, useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { chatName } from "./ChatList.js";
import { ChatActions } from "./ChatActions.js";
import { Composer } from "./Composer.js";
import { MessageItem } from "./MessageItem.js";
import { OutgoingItem } from "./Outgoing.js";
import { MembersPanel, PinnedBar, SearchBox } from "./Panels.js";
import { ThreadPane, ThreadsWithNewReplies } from "./ThreadPane.js";
import { RequestBar } from "./RequestBar.js";
import { dayOf } from "./time.js";
import { useBlocks } from "./blocks.js";
import { useNames } from "./names.js";
import { parley } from "./parley.js";

/** Which panel the conversation's header opened. */
type Panel = "none" | "search" | "members";

/** The name of the mark {@link markConversationState} makes. */
const CONVERSATION_STATE_MARK = "parley:conversation-state";

/**
 * Marks when the client hands the conversation a new state (a User Timing mark, `detail`
 * `{ chatId, newest }`, the newest message's number), for a PerformanceObserver (the bench's, or
 * dev tools): it tells the listener's time from the render's. Cleared at once, so marks never pile up.
 */
function markConversationState(chatId: string, state: ConversationState): void {
  performance.mark(CONVERSATION_STATE_MARK, { detail: { chatId, newest: state.messages.at(-1)?.number ?? null } });
  performance.clearMarks(CONVERSATION_STATE_MARK);
}

/** The open chat, its messages with the user's outgoing ones, and who is typing, live. */
function useConversation(chatId: string) {
  const [chat, setChat] = useState<ChatView | null>(null);
  const [state, setState] = useState<ConversationState>({ messages: [], hasOlder: false, outgoing: [] });
  const [error, setError] = useState<string | null>(null);
  const [typing, setTyping] = useState<string[]>([]);
  const subscription = useRef<MessagesSubscription | null>(null);
  useEffect(() => parley.watchChat(chatId, setChat, () => setError("You are not a member of this chat.")), [chatId]);
  useEffect(() => {
    const onState = (next: ConversationState) => {
      markConversationState(chatId, next);
      setState(next);
    };
    const watch = parley.watchConversation(chatId, onState, () => setError("You are not a member of this chat."));
    subscription.current = watch;
    return watch;
  }, [chatId]);
  useEffect(() => parley.watchTyping(chatId, setTyping), [chatId]);
  return { chat, state, error, typing, subscription };
}

/**
 * Marks the chat read while the user reads it (which clears the unread badge everywhere), and
 * keeps the list scrolled to the newest message while the user is at the bottom or just sent one.
 */
function useReading(
  { uid, chatId, chat, state }: { uid: string; chatId: string; chat: ChatView | null; state: ConversationState },
  list: RefObject<HTMLOListElement | null>,
  atBottom: boolean,
) {
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
}

/** Where the list's markers go: the "New messages" divider and the "Seen" of a 1:1 chat. */
function markers(chat: ChatView, uid: string, messages: MessageView[], readWhenOpened: number | null) {
  const other = chat.type === "direct" ? chat.members.find((member) => member !== uid) : undefined;
  const seenUpTo = other ? (chat.lastRead[other] ?? 0) : 0;
  const lastSeenOwn = other ? messages.filter((m) => m.from === uid && m.number <= seenUpTo).at(-1)?.number : undefined;
  const firstUnread = messages.find((m) => m.number > (readWhenOpened ?? Infinity) && m.from !== uid)?.number;
  return { lastSeenOwn, firstUnread };
}

/** One chat, live: header with its actions, pins, the messages (older ones on scroll), who is typing, the composer. */
export function Conversation({ uid, chatId, go }: { uid: string; chatId: string; go: (path: string) => void }) {
  const { chat, state, error, typing, subscription } = useConversation(chatId);
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const [panel, setPanel] = useState<Panel>("none");
  const [thread, setThread] = useState<number | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const list = useRef<HTMLOListElement>(null);
  // Where the user had read to when they opened the chat: the unread divider stays there.
  const readWhenOpened = useRef<number | null>(null);
  if (chat && readWhenOpened.current === null) readWhenOpened.current = chat.lastRead[uid] ?? 0;
  useReading({ uid, chatId, chat, state }, list, atBottom);

  const blocked = useBlocks();
  const names = useNames([...(chat?.members ?? []), ...typing, ...state.messages.flatMap((m) => (m.from ? [m.from] : []))]);
  if (error) return <p role="alert">{error}</p>;
  if (!chat) return <p>Loading…</p>;
  const title = chatName(chat, uid, names);
  const ended = chat.status === "ended";
  const mentionable = Object.fromEntries(Object.entries(names).filter(([member]) => member !== uid));
  const { lastSeenOwn, firstUnread } = markers(chat, uid, state.messages, readWhenOpened.current);

  return (
    <section className="conversation" aria-label={`Conversation: ${title}`}>
      <ChatHeader chat={chat} uid={uid} title={title} panel={panel} setPanel={setPanel} go={go} blocked={blocked} />
      <RequestBar chat={chat} uid={uid} title={title} go={go} />
      {panel === "search" && <SearchBox chatId={chatId} names={names} />}
      {panel === "members" && <MembersPanel chatId={chatId} uid={uid} />}
      <PinnedBar chat={chat} uid={uid} />
      <ThreadsWithNewReplies count={chat.threadsWithNewReplies} />
      <MessageList
        list={list}
        state={state}
        subscription={subscription}
        onScrolled={setAtBottom}
        renderMessage={(message) => (
          <MessageItem
            message={message}
            uid={uid}
            names={names}
            chat={chat}
            onReply={setReplyTo}
            onOpenThread={setThread}
            readOnly={ended}
            blocked={message.from !== null && blocked.has(message.from)}
            seen={message.number === lastSeenOwn}
          />
        )}
        firstUnread={firstUnread}
      />
      {thread !== null && <ThreadPane chatId={chatId} number={thread} names={names} onClose={() => setThread(null)} />}
      {!atBottom && <JumpToLatest list={list} />}
      <TypingLine typing={typing} names={names} />
      {ended ? (
        <p className="ended">This chat has ended.</p>
      ) : (
        <Composer chatId={chatId} replyTo={replyTo} onReplyDone={() => setReplyTo(null)} names={names} members={mentionable} />
      )}
    </section>
  );
}

/** The chat's title, the back button, the panels' toggles and the chat's actions (behind a menu on a phone). */
function ChatHeader(props: {
  chat: ChatView;
  uid: string;
  title: string;
  panel: Panel;
  setPanel: (panel: Panel) => void;
  go: (path: string) => void;
  blocked: Set<string>;
}) {
  const { chat, panel, setPanel, go } = props;
  // On a phone the tools fold into a menu, so the header stays one row.
  const [menu, setMenu] = useState(false);
  return (
    <header className={`chat-header${menu ? " menu-open" : ""}`}>
      <button type="button" className="back" onClick={() => go("/")} aria-label="Back to chats">
        ←
      </button>
      <h2>{props.title}</h2>
      <button type="button" className="menu-toggle" aria-label="Chat menu" aria-expanded={menu} onClick={() => setMenu(!menu)}>
        ⋯
      </button>
      <div className="header-tools">
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
        <ChatActions chat={chat} uid={props.uid} go={go} blocked={props.blocked} />
      </div>
    </header>
  );
}

/** The messages, a day line where the day changes, the unread divider, then the user's outgoing ones; older ones on scroll. */
function MessageList(props: {
  list: RefObject<HTMLOListElement | null>;
  state: ConversationState;
  subscription: RefObject<MessagesSubscription | null>;
  onScrolled: (atBottom: boolean) => void;
  renderMessage: (message: MessageView) => ReactNode;
  firstUnread: number | undefined;
}) {
  const { state, subscription } = props;
  return (
    <ol
      className="messages"
      aria-label="Messages"
      ref={props.list}
      onScroll={(event) => {
        const box = event.currentTarget;
        props.onScrolled(box.scrollHeight - box.scrollTop - box.clientHeight < 40);
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
            {message.number === props.firstUnread && <li className="unread-divider">New messages</li>}
            {props.renderMessage(message)}
          </Fragment>
        );
      })}
      {state.outgoing.map((message) => (
        <OutgoingItem key={message.clientMessageId} message={message} />
      ))}
    </ol>
  );
}

/** Scrolls the list to its newest message. */
function JumpToLatest({ list }: { list: RefObject<HTMLOListElement | null> }) {
  return (
    <button
      type="button"
      className="jump"
      onClick={() => list.current?.lastElementChild?.scrollIntoView({ block: "end", behavior: "smooth" })}
    >
      Jump to latest
    </button>
  );
}

/** Who is typing, by name. */
function TypingLine({ typing, names }: { typing: string[]; names: Record<string, string> }) {
  return (
    <p className="typing" aria-live="polite">
      {typing.length > 0 &&
        `${typing.map((typer) => names[typer] ?? "Someone").join(", ")} ${typing.length > 1 ? "are" : "is"} typing…`}
    </p>
  );
}
