import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import type { DownloadObject } from "../shared/handler.js";
import { readAsMember, requireMember } from "../timeline/chat-access.js";

/**
 * The CSV history export of ended chat `chatId`, for a member to download as
 * `parley-chat-{chatId}-{yyyy-mm-dd}.csv`. Reads `chats/{chatId}`.
 * @throws AppError `not-found` (no chat, not a member, or no export yet).
 */
export async function findExport(db: Firestore, callerUid: string, chatId: string): Promise<DownloadObject> {
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, callerUid);
  const chat = requireMember(chatSnap, callerUid, memberSnap);
  if (!chat.export) throw new AppError("not-found", "This chat has no history export (yet).");
  const { path, bytes, createdAt } = chat.export;
  return {
    path,
    contentType: "text/csv; charset=utf-8",
    size: bytes,
    name: `parley-chat-${chatId}-${createdAt.toDate().toISOString().slice(0, 10)}.csv`,
    etag: `${chatId}-${createdAt.toMillis()}`,
    inline: false,
  };
}
