import type { ChatView, UserView } from "@parley/client";
import { useEffect, useState, type FormEvent } from "react";
import { useNames } from "./names.js";
import { parley } from "./parley.js";
import { formText } from "./form.js";

/** A chat's name for `uid`: the room's title, or the other member's name. */
export function chatName(chat: ChatView, uid: string, names: Record<string, string>): string {
  if (chat.title) return chat.title;
  const other = chat.members.find((member) => member !== uid);
  return (other && names[other]) || "Chat";
}

/** Which list the sidebar shows. */
type Shown = "chats" | "archived" | "requests";

/**
 * The live chat list with unread badges and previews (the user's pinned chats first, with a
 * pin), the ways to start a chat, and behind their own tabs the chats the user archived and the
 * message requests sent to them (from people who share no room with them).
 */
export function ChatList({ uid, openChatId, go }: { uid: string; openChatId: string | null; go: (path: string) => void }) {
  const [chats, setChats] = useState<ChatView[]>([]);
  const [archived, setArchived] = useState<ChatView[]>([]);
  const [requests, setRequests] = useState<ChatView[]>([]);
  const [list, setList] = useState<Shown>("chats");
  const [panel, setPanel] = useState<"none" | "people" | "room">("none");
  useEffect(() => parley.watchChats(setChats), []);
  useEffect(() => parley.watchChats(setArchived, { archived: true }), []);
  useEffect(() => parley.watchRequests(setRequests), []);
  const names = useNames([...chats, ...archived, ...requests].flatMap((chat) => chat.members));
  const shown = { chats, archived, requests }[list];

  return (
    <nav className="sidebar" aria-label="Chats">
      <div className="actions">
        <button type="button" onClick={() => setPanel(panel === "people" ? "none" : "people")} aria-expanded={panel === "people"}>
          New chat
        </button>
        <button type="button" onClick={() => setPanel(panel === "room" ? "none" : "room")} aria-expanded={panel === "room"}>
          New room
        </button>
      </div>
      {panel === "people" && <Directory uid={uid} onOpen={(chatId) => (setPanel("none"), go(`/chats/${chatId}`))} />}
      {panel === "room" && <NewRoom onCreated={(chatId) => (setPanel("none"), go(`/chats/${chatId}`))} />}
      <ListTabs list={list} setList={setList} archived={archived.length} requests={requests.length} />
      {list === "requests" && requests.length === 0 && <p className="empty">No message requests.</p>}
      {list === "archived" && archived.length === 0 && <p className="empty">No archived chats.</p>}
      <ul className="chats">
        {shown.map((chat) => (
          <li key={chat.id}>
            <ChatRow chat={chat} name={chatName(chat, uid, names)} open={chat.id === openChatId} go={go} />
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The sidebar's tabs: the chat list, the archived chats, the message requests. */
function ListTabs(props: { list: Shown; setList: (list: Shown) => void; archived: number; requests: number }) {
  const tab = (list: Shown, label: string) => (
    <button type="button" aria-pressed={props.list === list} onClick={() => props.setList(list)}>
      {label}
    </button>
  );
  return (
    <div className="tabs" role="group" aria-label="Lists">
      {tab("chats", "Chats")}
      {tab("archived", `Archived (${props.archived})`)}
      {tab("requests", `Requests (${props.requests})`)}
    </div>
  );
}

/** One chat of the list: its name (with a pin when pinned), its newest message, its unread badge. */
function ChatRow({ chat, name, open, go }: { chat: ChatView; name: string; open: boolean; go: (path: string) => void }) {
  return (
    <button
      type="button"
      className={`chat ${open ? "open" : ""}`}
      aria-current={open ? "page" : undefined}
      onClick={() => go(`/chats/${chat.id}`)}
    >
      <span className="name">
        {chat.pinnedAt !== null && (
          <span className="pin" role="img" aria-label="Pinned">
            📌
          </span>
        )}
        {name}
      </span>
      <span className="preview">
        {chat.status === "ended" ? "Ended · " : ""}
        {chat.lastMessage?.preview ?? "No messages yet"}
      </span>
      {chat.unreadCount > 0 && (
        <span className="badge" aria-label={`${chat.unreadCount} unread`}>
          {chat.unreadCount}
        </span>
      )}
    </button>
  );
}

/** The user directory: search by name, pick someone to open the 1:1 chat with them. */
function Directory({ uid, onOpen }: { uid: string; onOpen: (chatId: string) => void }) {
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [q, setQ] = useState("");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const search = setTimeout(() => {
      parley.rest.listUsers({ limit: 50, q: q.trim() || undefined }).then(
        ({ users }) => live && setUsers(users),
        (e: Error) => live && setError(e.message),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(search);
    };
  }, [q]);
  const open = async (memberUid: string) => {
    try {
      onOpen((await parley.rest.createChat({ memberUid })).chat.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="panel" aria-label="People">
      <h2>People</h2>
      <label>
        Search people
        <input type="search" value={q} onChange={(event) => setQ(event.target.value)} placeholder="Name starts with…" />
      </label>
      {error && <p role="alert">{error}</p>}
      {users === null ? (
        <p>Loading…</p>
      ) : (
        <ul>
          {users
            .filter((user) => user.uid !== uid)
            .map((user) => (
              <li key={user.uid}>
                <button type="button" onClick={() => void open(user.uid)}>
                  Chat with {user.displayName}
                </button>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

function NewRoom({ onCreated }: { onCreated: (chatId: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = formText(event, "title");
    try {
      onCreated((await parley.rest.createRoom({ title })).chat.id);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <form className="panel" aria-label="New room" onSubmit={(event) => void submit(event)}>
      <label>
        Room title
        <input name="title" required maxLength={100} />
      </label>
      {error && <p role="alert">{error}</p>}
      <button type="submit">Create room</button>
    </form>
  );
}
