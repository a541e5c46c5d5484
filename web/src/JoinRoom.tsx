import { useState } from "react";
import { parley } from "./parley.js";

/**
 * Opened from an invite link (`/join/{code}`): asks before joining (a link can come from anyone),
 * then joins and opens the room.
 */
export function JoinRoom({ code, go }: { code: string; go: (path: string) => void }) {
  const [state, setState] = useState<"asking" | "joining" | { error: string }>("asking");
  function join() {
    setState("joining");
    parley.rest.joinRoom({ inviteCode: code }).then(
      ({ chat }) => go(`/chats/${chat.id}`),
      (e: Error) => setState({ error: e.message }),
    );
  }
  if (typeof state === "object") return <p role="alert">Could not join: {state.error}</p>;
  return (
    <section className="join" aria-label="Invitation">
      <h2>You were invited to a room</h2>
      <p>Its members will see your name and what you send. Join only if you know who sent you the link.</p>
      <button type="button" onClick={join} disabled={state === "joining"}>
        Join room
      </button>
      <button type="button" onClick={() => go("/")}>
        Not now
      </button>
    </section>
  );
}
