import type { ChatView, MessageView, PresenceView } from "@parley/client";
import { useEffect, useState, type FormEvent } from "react";
import { formText } from "./form.js";
import { MuteButton, useMutedUsers } from "./Mutes.js";
import { parley } from "./parley.js";
import { timeOf } from "./time.js";

/** The chat's pinned messages, newest pin last, each with its text; unpin where allowed. */
export function PinnedBar({ chat, uid }: { chat: ChatView; uid: string }) {
  const [pins, setPins] = useState<MessageView[]>([]);
  const key = chat.pinned.join(",");
  useEffect(() => {
    let live = true;
    void Promise.all(chat.pinned.map((number) => parley.rest.getMessage({ chatId: chat.id, number }))).then(
      (found) => live && setPins(found.map((answer) => answer.message)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [chat.id, key]);
  if (chat.pinned.length === 0) return null;
  const mayUnpin = chat.type === "direct" || chat.host === uid;
  return (
    <aside className="pinned" aria-label="Pinned messages">
      {pins.map((message) => (
        <p key={message.number}>
          <span aria-hidden="true">📌</span> {message.deleted ? "Message deleted" : message.text || message.file?.name}
          {mayUnpin && (
            <button type="button" onClick={() => void parley.rest.unpinMessage({ chatId: chat.id, number: message.number })}>
              Unpin
            </button>
          )}
        </p>
      ))}
    </aside>
  );
}

/** Searches the chat's messages (every word, accents aside), newest first. */
export function SearchBox({ chatId, names }: { chatId: string; names: Record<string, string> }) {
  const [results, setResults] = useState<MessageView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    parley.rest.listMessages({ chatId, q: formText(event, "q"), limit: 20 }).then(
      (page) => setResults(page.messages),
      (e: Error) => setError(e.message),
    );
  }
  return (
    <div className="search">
      <form role="search" onSubmit={search} aria-label="Search this chat">
        <label>
          Search messages
          <input name="q" type="search" required maxLength={200} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <p role="alert">{error}</p>}
      {results && (
        <ol className="results" aria-label="Search results">
          {results.length === 0 && <li>No message has all these words.</li>}
          {results.map((message) => (
            <li key={message.number}>
              <span className="sender">{message.from ? names[message.from] : ""}</span> {message.text}{" "}
              <time dateTime={message.createdAt ?? undefined}>{timeOf(message.createdAt)}</time>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** A room's members, a page at a time, each with whether they are online, and a mute for the others. */
export function MembersPanel({ chatId, uid }: { chatId: string; uid: string }) {
  const { muted, toggle } = useMutedUsers();
  const [members, setMembers] = useState<{ uid: string; displayName: string; host: boolean }[]>([]);
  const [presence, setPresence] = useState<Record<string, PresenceView>>({});
  useEffect(() => {
    void parley.rest.listRoomMembers({ chatId, limit: 100 }).then(
      (page) => setMembers(page.members),
      () => undefined,
    );
    void parley.rest.listChatPresence({ chatId, limit: 100 }).then(
      (page) => setPresence(Object.fromEntries(page.members.map((member) => [member.uid, member]))),
      () => undefined,
    );
  }, [chatId]);
  return (
    <aside className="members" aria-label="Members">
      <h3>Members</h3>
      <ul>
        {members.map((member) => (
          <li key={member.uid}>
            <span className={`presence ${presence[member.uid]?.online ? "online" : ""}`} aria-hidden="true" />
            {member.displayName}
            {member.host && " (host)"}
            <span className="visually-hidden">{presence[member.uid]?.online ? ", online" : ", offline"}</span>
            {member.uid !== uid && (
              <MuteButton uid={member.uid} name={member.displayName} muted={muted.has(member.uid)} toggle={toggle} />
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
