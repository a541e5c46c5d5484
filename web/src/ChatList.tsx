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

/**
 * The live chat list with unread badges and previews, the ways to start a chat, and the message
 * requests sent to the user (from people who share no room with them), behind their own tab.
 */
export function ChatList({ uid, openChatId, go }: { uid: string; openChatId: string | null; go: (path: string) => void }) {
  const [chats, setChats] = useState<ChatView[]>([]);
  const [requests, setRequests] = useState<ChatView[]>([]);
  const [showRequests, setShowRequests] = useState(false);
  const [panel, setPanel] = useState<"none" | "people" | "room">("none");
  useEffect(() => parley.watchChats(setChats), []);
  useEffect(() => parley.watchRequests(setRequests), []);
  const names = useNames([...chats, ...requests].flatMap((chat) => chat.members));
  const shown = showRequests ? requests : chats;

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
      <div className="tabs" role="group" aria-label="Lists">
        <button type="button" aria-pressed={!showRequests} onClick={() => setShowRequests(false)}>
          Chats
        </button>
        <button type="button" aria-pressed={showRequests} onClick={() => setShowRequests(true)}>
          Requests ({requests.length})
        </button>
      </div>
      {showRequests && requests.length === 0 && <p className="empty">No message requests.</p>}
      <ul className="chats">
        {shown.map((chat) => (
          <li key={chat.id}>
            <button
              type="button"
              className={`chat ${chat.id === openChatId ? "open" : ""}`}
              aria-current={chat.id === openChatId ? "page" : undefined}
              onClick={() => go(`/chats/${chat.id}`)}
            >
              <span className="name">{chatName(chat, uid, names)}</span>
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
          </li>
        ))}
      </ul>
    </nav>
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
