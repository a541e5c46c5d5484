import type { MessageView } from "@parley/client";
import { useEffect, useState } from "react";
import { parley } from "./parley.js";
import { timeOf } from "./time.js";

/** An earlier text of a message, as `listMessageEdits` answers it. */
type EarlierText = Awaited<ReturnType<typeof parley.rest.listMessageEdits>>["edits"][number];

/**
 * The "edited" marker of an edited message: a button that opens (and closes) the list of its
 * earlier texts, newest first, loaded when opened and again after each further edit.
 */
export function EditedMarker({ message }: { message: MessageView }) {
  const [open, setOpen] = useState(false);
  const [edits, setEdits] = useState<EarlierText[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { chatId, number, editCount } = message;
  useEffect(() => {
    if (!open) return;
    let live = true;
    parley.rest.listMessageEdits({ chatId, number }).then(
      (history) => live && setEdits(history.edits),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [open, chatId, number, editCount]);
  const label = editCount > 1 ? `edited ${editCount} times` : "edited";
  return (
    <>
      <button type="button" className="edited link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {label}
      </button>
      {error && <p role="alert">{error}</p>}
      {open && edits && (
        <ol className="edit-history" aria-label={`Earlier versions of message ${number}`}>
          {edits.length === 0 && <li>No earlier version is kept.</li>}
          {edits.map((edit) => (
            <li key={edit.version}>
              <span className="text">{edit.text}</span> <time dateTime={edit.editedAt}>replaced {timeOf(edit.editedAt)}</time>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
