import type { Bucket } from "@google-cloud/storage";
import type { Firestore } from "firebase-admin/firestore";
import { exists, getAll, refs, type LinkPreviewDoc, type MessageDoc, type ThumbnailDoc } from "../shared/model.js";
import { fetchGuarded, type FetchRefusal } from "./fetch-guarded.js";
import { previewImageBase, storePreviewImage } from "./preview-image.js";
import { firstUrl } from "../shared/first-url.js";
import { previewTexts, readPage } from "./read-page.js";

/** Which message {@link previewLink} previews, and with what. */
export interface PreviewLinkOptions {
  /** Where the preview's image is copied. */
  bucket: Bucket;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /** Addresses a fetch may reach although not public (`LINK_PREVIEW_ALLOWED_IPS`). */
  allowedIps: string[];
}

/** What {@link previewLink} did: `written`, or why not. */
export type PreviewOutcome = "written" | "already" | "no-link" | "off" | "no-tags" | "outdated" | FetchRefusal;

/**
 * Writes the link preview of text message `number` of `chatId`: of the first http(s) URL of its
 * text, fetched with {@link fetchGuarded} (SSRF checks, 3 redirects, 5 s, 512 KiB of HTML), its
 * Open Graph tags read ({@link readPage}) and its image, if any (5 MiB), re-encoded into
 * `chats/{chatId}/link-previews/{messageId}.{jpg|png}`. Safe to run again: a message that has a
 * preview, had it removed by its sender, was deleted, or whose first URL changed meanwhile
 * keeps what it has (the write is a transaction that reads the message again), and an image
 * stored for nothing is deleted. A chat with previews off (`linkPreviewsOff`) gets none.
 * Reads `chats/{chatId}` and the message twice (before the fetch and in the transaction:
 * 4 reads), writes the message (1 write, only with a preview).
 * @throws Firestore's or Cloud Storage's errors; never the third party's (those are outcomes).
 */
export async function previewLink(db: Firestore, options: PreviewLinkOptions): Promise<PreviewOutcome> {
  const { bucket, chatId, number, allowedIps } = options;
  const chatRef = refs.chat(db, chatId);
  const messageRef = refs.message(db, chatId, number);
  const [chatSnap, messageSnap] = await getAll(db, chatRef, messageRef);
  if (messageSnap.data()?.linkPreview) return "already";
  const url = previewableUrl(messageSnap.data());
  if (!url) return "no-link";
  if (!exists(chatSnap) || chatSnap.data().linkPreviewsOff) return "off";

  const page = await fetchGuarded(url, { kind: "html", allowedIps });
  if (!page.ok) return page.reason;
  const summary = await readPage(page.body.toString("utf8"), page.url);
  if (!summary) return "no-tags";
  const image = summary.imageUrl
    ? await copyImage(bucket, summary.imageUrl, { allowedIps, chatId, messageId: messageRef.id })
    : undefined;
  const preview: LinkPreviewDoc = { ...previewTexts(url, summary), ...(image && { image }) };

  const written = await db.runTransaction(async (tx) => {
    const [chatNow, messageNow] = await getAll(tx, chatRef, messageRef);
    const current = messageNow.data();
    const still = previewableUrl(current) === url && exists(chatNow) && !chatNow.data().linkPreviewsOff;
    if (!still || current?.linkPreview) return current?.linkPreview;
    tx.update(messageRef, { linkPreview: preview });
    return preview;
  });
  if (image && written?.image?.path !== image.path) await bucket.file(image.path).delete({ ignoreNotFound: true });
  return written === preview ? "written" : "outdated";
}

/** The URL a message's preview would be of: the first of a text message's text, when previews may be written. */
function previewableUrl(message: MessageDoc | undefined): string | undefined {
  if (!message || message.type !== "text" || message.deleted || message.linkPreviewRemoved) return undefined;
  return firstUrl(message.text);
}

/** Fetches the image at `url` and stores it as the message's preview image; `undefined` when it does not load. */
async function copyImage(
  bucket: Bucket,
  url: string,
  where: { allowedIps: string[]; chatId: string; messageId: string },
): Promise<ThumbnailDoc | undefined> {
  const fetched = await fetchGuarded(url, { kind: "image", allowedIps: where.allowedIps });
  if (!fetched.ok) return undefined;
  return storePreviewImage(bucket, previewImageBase(where.chatId, where.messageId), fetched.body);
}
