import { onDocumentCreated } from "firebase-functions/firestore";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { triggerDocuments } from "../shared/collections.js";
import { auth, bucket, db } from "../shared/firebase.js";
import { handleEvent } from "../triggers.js";
import { verifiedEmails } from "../users/verified-emails.js";
import { exportChat } from "./export-chat.js";

/**
 * Export trigger: an ended chat's `ended-chats/{chatId}` record (written with the end)
 * starts its history export and the mails (see `exportChat`). Runs once per ended chat, not on
 * every chat update. Large histories take a while: up to 9 minutes and 1 GiB. Retried on
 * failure (see `handleEvent`): a second run rewrites the same CSV object and skips the mails
 * already queued.
 */
export const onChatEnded = onDocumentCreated(
  { document: triggerDocuments.endedChat, retry: true, timeoutSeconds: 540, memory: "1GiB" },
  (event) =>
    handleEvent("onChatEnded", { id: event.id, time: event.time, subject: event.document }, async (now) => {
      const { appUrl, apiUrl } = config();
      const report = await exportChat(db(), {
        bucket: bucket(),
        now,
        chatId: event.params.chatId,
        links: { appUrl, apiUrl, emails: (uids) => verifiedEmails(auth(), uids) },
      });
      logs.chatExported(event.params.chatId, report);
    }),
);
