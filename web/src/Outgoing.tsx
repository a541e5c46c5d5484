import type { OutgoingMessage } from "@parley/client";
import { parley } from "./parley.js";

const STATUS = { pending: "Sending…", sent: "Sent", failed: "Not sent" } as const;

/** A message sent from this device that the chat doesn't show yet: pending, sent or failed. */
export function OutgoingItem({ message }: { message: OutgoingMessage }) {
  return (
    <li
      className={`message mine outgoing ${message.status}`}
      aria-label={`Your message, ${STATUS[message.status].toLowerCase()}`}
      data-status={message.status}
    >
      <p className="text">{message.text}</p>
      <span className="status" role="status">
        {STATUS[message.status]}
      </span>
      {message.status === "failed" && (
        <>
          {message.error && (
            <span className="error" role="alert">
              {message.error}
            </span>
          )}
          <button type="button" onClick={() => parley.retrySend(message.clientMessageId)}>
            Retry
          </button>
          <button type="button" onClick={() => parley.discardSend(message.clientMessageId)}>
            Discard
          </button>
        </>
      )}
    </li>
  );
}
