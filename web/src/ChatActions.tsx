import type { ChatView } from "@parley/client";
import { useState } from "react";
import { parley } from "./parley.js";

/** Runs an action of the chat's menu, then `after`; a failure shows as the menu's note. */
type Act = (action: () => Promise<unknown>, after?: () => void) => () => void;

/** Pin, archive, room invite, leave, link previews, end, block or unblock (1:1), and the history download of an ended chat. */
export function ChatActions({
  chat,
  uid,
  go,
  blocked,
}: {
  chat: ChatView;
  uid: string;
  go: (path: string) => void;
  blocked: Set<string>;
}) {
  const [invite, setInvite] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act: Act = (action, after) => () => void action().then(after, (e: Error) => setNote(e.message));
  const canEnd = chat.status !== "ended" && (chat.type === "direct" || chat.host === uid);
  const other = chat.type === "direct" ? chat.members.find((member) => member !== uid) : undefined;

  return (
    <div className="chat-actions">
      <PlacementActions chat={chat} act={act} />
      {chat.type === "room" && chat.status !== "ended" && <RoomActions chat={chat} go={go} act={act} onInvite={setInvite} />}
      {chat.status !== "ended" && (chat.type === "direct" || chat.host === uid) && <LinkPreviewsToggle chat={chat} act={act} />}
      {canEnd && (
        <button type="button" onClick={act(() => parley.rest.endChat({ chatId: chat.id }))}>
          End chat
        </button>
      )}
      {other &&
        (blocked.has(other) ? (
          <button type="button" onClick={act(() => parley.rest.unblockUser({ uid: other }))}>
            Unblock
          </button>
        ) : (
          <button type="button" onClick={act(() => parley.rest.blockUser({ uid: other }))}>
            Block
          </button>
        ))}
      {chat.export && (
        <button type="button" onClick={() => void downloadExport(chat)}>
          Download history ({chat.export.rows} messages)
        </button>
      )}
      {invite && (
        <label className="invite">
          Invite link
          <input readOnly value={invite} onFocus={(event) => event.currentTarget.select()} />
        </label>
      )}
      {note && <p role="alert">{note}</p>}
    </div>
  );
}

/** Pin or unpin the chat to the top of the user's chat list; archive it or bring it back. */
function PlacementActions({ chat, act }: { chat: ChatView; act: Act }) {
  const chatId = chat.id;
  return (
    <>
      {chat.pinnedAt === null ? (
        <button type="button" onClick={act(() => parley.rest.pinChat({ chatId }))}>
          Pin chat
        </button>
      ) : (
        <button type="button" onClick={act(() => parley.rest.unpinChat({ chatId }))}>
          Unpin chat
        </button>
      )}
      {chat.archived ? (
        <button type="button" onClick={act(() => parley.rest.unarchiveChat({ chatId }))}>
          Unarchive
        </button>
      ) : (
        <button type="button" onClick={act(() => parley.rest.archiveChat({ chatId }))}>
          Archive
        </button>
      )}
    </>
  );
}

/** Turns the chat's link previews off or on (a room's host, either member of a 1:1 chat). */
function LinkPreviewsToggle({ chat, act }: { chat: ChatView; act: Act }) {
  const enabled = !chat.linkPreviews;
  return (
    <button type="button" onClick={act(() => parley.rest.setLinkPreviews({ chatId: chat.id, enabled }))}>
      {chat.linkPreviews ? "Turn link previews off" : "Turn link previews on"}
    </button>
  );
}

/** Downloads an ended chat's history as `parley-{chatId}.csv`. */
async function downloadExport(chat: ChatView) {
  const blob = await parley.rest.download(chat.export!.downloadPath);
  const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: `parley-${chat.id}.csv` });
  a.click();
  URL.revokeObjectURL(a.href);
}

/** A room's invite link (copied, and shown through `onInvite`), leaving it, and saying bye then leaving. */
function RoomActions({
  chat,
  go,
  act,
  onInvite,
}: {
  chat: ChatView;
  go: (path: string) => void;
  act: Act;
  onInvite: (link: string) => void;
}) {
  async function copyInvite() {
    const link = `${location.origin}/join/${chat.inviteCode}`;
    onInvite(link);
    await navigator.clipboard?.writeText(link).catch(() => undefined);
  }
  return (
    <>
      <button type="button" onClick={() => void copyInvite()}>
        Copy invite link
      </button>
      <button
        type="button"
        onClick={act(
          () => parley.rest.leaveRoom({ chatId: chat.id }),
          () => go("/"),
        )}
      >
        Leave room
      </button>
      <button
        type="button"
        onClick={act(
          async () => {
            await parley.rest.sendMessage({
              chatId: chat.id,
              text: "Bye, everyone! 👋",
              clientMessageId: crypto.randomUUID(),
            });
            await parley.rest.leaveRoom({ chatId: chat.id });
          },
          () => go("/"),
        )}
      >
        Say bye
      </button>
    </>
  );
}
