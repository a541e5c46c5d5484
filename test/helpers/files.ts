import sharp from "sharp";
import type { MessageView } from "../../functions/src/messages/views.js";
import { apiBase } from "./emulators.js";
import type { TestUser } from "./users.js";

/** A message as the API returns it (the API's own type). */
export type FileMessage = MessageView;

export interface UploadParts {
  bytes: Uint8Array;
  filename: string;
  /** The type the sender claims for the file part. */
  type?: string;
  text?: string;
  clientMessageId?: string;
  replyTo?: number;
}

/** Sends a file message as multipart/form-data, the way `curl -F file=@...` does. */
export async function upload(user: TestUser | null, chatId: string, parts: UploadParts) {
  const form = new FormData();
  if (parts.text !== undefined) form.append("text", parts.text);
  if (parts.clientMessageId !== undefined) form.append("clientMessageId", parts.clientMessageId);
  if (parts.replyTo !== undefined) form.append("replyTo", String(parts.replyTo));
  form.append(
    "file",
    new Blob([new Uint8Array(parts.bytes)], { type: parts.type ?? "application/octet-stream" }),
    parts.filename,
  );
  return postForm(user, chatId, form);
}

/** POSTs any form to the chat's messages route; returns status and JSON body. */
export async function postForm(user: TestUser | null, chatId: string, form: FormData) {
  const response = await fetch(`${apiBase}/chats/${chatId}/messages`, {
    method: "POST",
    headers: user ? { authorization: `Bearer ${user.token}` } : {},
    body: form,
  });
  const body = (await response.json()) as { message: FileMessage; error?: { code: string; message: string } };
  return { status: response.status, body };
}

/** GETs an API path (as in `file.downloadPath`) and returns the status, headers and bytes. */
export async function download(user: TestUser, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${apiBase}${path.replace(/^\/v1/, "")}`, {
    headers: { authorization: `Bearer ${user.token}`, ...headers },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A PNG with transparency, `width` × `height`. */
export function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 40, g: 120, b: 200, alpha: 0.6 } } })
    .png()
    .toBuffer();
}

/** An opaque JPEG, `width` × `height`, optionally with an EXIF orientation (6 = turned 90°). */
export function jpeg(width: number, height: number, orientation?: number): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });
  return (orientation ? image.withMetadata({ orientation }) : image).jpeg().toBuffer();
}
