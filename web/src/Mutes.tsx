import { useEffect, useState } from "react";
import { parley } from "./parley.js";

/** The users the signed-in user muted (loaded once), and a toggle that mutes or unmutes one. */
export function useMutedUsers(): { muted: Set<string>; toggle: (uid: string) => Promise<void> } {
  const [muted, setMuted] = useState<Set<string>>(new Set());
  useEffect(() => {
    let live = true;
    parley.rest.listMutedUsers().then(
      (list) => live && setMuted(new Set(list.mutedUsers.map(({ uid }) => uid))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  async function toggle(uid: string) {
    const answer = muted.has(uid) ? await parley.rest.unmuteUser({ uid }) : await parley.rest.muteUser({ uid });
    setMuted((before) => {
      const next = new Set(before);
      if (answer.muted) next.add(uid);
      else next.delete(uid);
      return next;
    });
  }
  return { muted, toggle };
}

/** "Mute" / "Unmute" for one user: no notifications from their messages in rooms. */
export function MuteButton({
  uid,
  name,
  muted,
  toggle,
}: {
  uid: string;
  name: string;
  muted: boolean;
  toggle: (uid: string) => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        aria-pressed={muted}
        aria-label={`${muted ? "Unmute" : "Mute"} ${name}`}
        title="Muted: no notifications from their messages in rooms"
        onClick={() => void toggle(uid).catch((e: Error) => setError(e.message))}
      >
        {muted ? "Unmute" : "Mute"}
      </button>
      {error && <span role="alert">{error}</span>}
    </>
  );
}
