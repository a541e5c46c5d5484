import type { MailDoc } from "../shared/model.js";

/** Where the mail that a user's data export is ready goes, and where its links point. */
export interface PersonalExportMailInput {
  /** Their verified address. */
  to: string;
  /** Their uid (kept on the mail doc, so erasing their account deletes it). */
  uid: string;
  /** The web app, where a signed-in user downloads it (Settings). */
  appUrl: string;
  /** The API: `GET {apiUrl}/me/export/download` with their ID token. */
  apiUrl: string;
}

/**
 * A mail for the "Trigger Email from Firestore" extension telling a user that the export of their
 * data is ready. It holds no data, and no link that works without signing in.
 */
export function personalExportMail(input: PersonalExportMailInput): MailDoc {
  const subject = "Parley: your data is ready to download";
  const download = `${input.apiUrl}/me/export/download`;
  const text = [
    "Hi,",
    "",
    "The export of your Parley data that you asked for is ready: a ZIP with your profile, settings,",
    "blocks, chats and rooms, every message you sent, and your files.",
    `Sign in to Parley to download it: ${input.appUrl}/settings`,
    `Or fetch it from the API with your ID token: ${download}`,
    "",
    "If you did not ask for it, someone who can sign in as you did: change your password.",
  ].join("\n");
  const html = [
    "<p>Hi,</p>",
    "<p>The export of your Parley data that you asked for is ready: a ZIP with your profile, settings, blocks, chats and rooms, every message you sent, and your files.</p>",
    `<p><a href="${input.appUrl}/settings">Sign in to Parley</a> to download it, or fetch it from the API with your ID token: ${download}</p>`,
    "<p>If you did not ask for it, someone who can sign in as you did: change your password.</p>",
  ].join("\n");
  return { to: input.to, uid: input.uid, message: { subject, text, html } };
}
