import { useState } from "react";
import { parley } from "./parley.js";

/**
 * "Delete my account", behind a confirmation: `DELETE /v1/me` deletes the Firebase Auth user at
 * once (the app then signs out) and everything else of theirs in the background.
 */
export function DeleteAccount() {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    try {
      await parley.rest.deleteMe();
      await parley.signOut();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Delete my account
      </button>
    );
  }
  return (
    <div role="alertdialog" aria-label="Delete your account?" className="confirm">
      <p>Delete your account? Your profile, chats and settings go for good; others see your messages as from “Deleted user”.</p>
      <button type="button" onClick={() => void confirm()}>
        Delete for good
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Keep my account
      </button>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
