import type { ChatView } from "@parley/client";
import { useState } from "react";
import { parley } from "./parley.js";

/**
 * What a message request says: to its recipient, who sent it and the choice (accept, decline;
 * block is in the header); to its opener, that the other member has not accepted yet.
 */
export function RequestBar({ chat, uid, title, go }: { chat: ChatView; uid: string; title: string; go: (path: string) => void }) {
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
