import { onDocumentCreated } from "firebase-functions/firestore";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { bucket, db } from "../shared/firebase.js";
import { handleEvent } from "../triggers.js";
import { previewLink } from "./preview-link.js";

/**
 * Message trigger: the link preview of a new text message ({@link previewLink}), after the send,
 * so a send never waits for a third party's site. Retried on failure (see `handleEvent`);
 * `previewLink` is safe to run again. Nothing when `LINK_PREVIEWS` is off.
 */
export const onMessageLinkPreview = onDocumentCreated(
  { document: "chats/{chatId}/messages/{messageId}", retry: true, timeoutSeconds: 60, memory: "512MiB" },
  (event) =>
    handleEvent("onMessageLinkPreview", { id: event.id, time: event.time, subject: event.document }, async () => {
      const number = Number(event.data?.get("number"));
      if (!config().linkPreviews || event.data?.get("type") !== "text" || !Number.isInteger(number)) return;
      const { chatId } = event.params;
      const outcome = await previewLink(db(), { bucket: bucket(), chatId, number, allowedIps: config().linkPreviewAllowedIps });
      logs.linkPreview(chatId, number, outcome);
    }),
);
