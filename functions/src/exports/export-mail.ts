import type { MailDoc } from "../shared/model.js";

/** What the mail about an ended chat says, and where its links point. */
export interface ExportMailInput {
  to: string;
  /** The recipient (kept on the mail doc, so erasing their account deletes it). */
  uid: string;
  recipientName: string;
  /** How the chat is named to this recipient: `"Book club"`, or `your chat with "Bob"` ({@link quotedName}). */
  chatLabel: string;
  rows: number;
  /** `GET /v1/chats/{chatId}/export` (needs the member's ID token). */
  exportUrl: string;
  /** The chat in the web app, where a signed-in member downloads the export. */
  appChatUrl: string;
}

/** Longest display name or room title a mail shows, in characters (code points). */
export const MAIL_NAME_LENGTH = 40;

/**
 * `name` (a display name or room title, which their owner picks) as a mail shows it: cut to
 * {@link MAIL_NAME_LENGTH} characters with "…", inner double quotes made single, and in double
 * quotes, so that a name reads as a name and not as a sentence from Parley
 * ("PayPal: verify at …" becomes `"PayPal: verify at …"`).
 */
export function quotedName(name: string): string {
  const chars = Array.from(name.replace(/["“”]/g, "'"));
  const cut = chars.length > MAIL_NAME_LENGTH ? `${chars.slice(0, MAIL_NAME_LENGTH - 1).join("")}…` : chars.join("");
  return `"${cut}"`;
}

/**
 * A mail for the "Trigger Email from Firestore" extension telling a member that a chat ended
 * and where its history is. It holds no message text.
 */
export function exportMail(input: ExportMailInput): MailDoc {
  const subject = `Parley: ${input.chatLabel} has ended`;
  const text = [
    `Hi ${input.recipientName},`,
    "",
    `${input.chatLabel} has ended. Its history (${input.rows} messages) is ready as a CSV file.`,
    `Open the chat in Parley to download it: ${input.appChatUrl}`,
    `Or fetch it from the API with your ID token: ${input.exportUrl}`,
  ].join("\n");
  const html = [
    `<p>Hi ${escapeHtml(input.recipientName)},</p>`,
    `<p>${escapeHtml(input.chatLabel)} has ended. Its history (${input.rows} messages) is ready as a CSV file.</p>`,
    `<p><a href="${escapeHtml(input.appChatUrl)}">Open the chat in Parley</a> to download it, or fetch it from the API with your ID token: <a href="${escapeHtml(input.exportUrl)}">${escapeHtml(input.exportUrl)}</a></p>`,
  ].join("\n");
  return { to: input.to, uid: input.uid, message: { subject, text, html } };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}
