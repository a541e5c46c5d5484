import { useEffect, useState } from "react";
import { parley } from "./parley.js";

/** Opened from an invite link (`/join/{code}`): joins the room, then opens it. */
export function JoinRoom({ code, go }: { code: string; go: (path: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    parley.rest.joinRoom({ inviteCode: code }).then(
      ({ chat }) => go(`/chats/${chat.id}`),
      (e: Error) => setError(e.message),
    );
  }, [code]);
  return error ? <p role="alert">Could not join: {error}</p> : <p>Joining the room…</p>;
}
