import type { Bucket } from "@google-cloud/storage";
import { THUMBNAIL_SIZE } from "../files/describe-image.js";
import { saveNewObject } from "../files/store-object.js";
import type { ThumbnailDoc } from "../shared/model.js";

/**
 * Most pixels a preview image may have: 16 MP. A page's image is a stranger's; 5 MiB can encode
 * 50 MP of 16-bit RGBA (about 400 MB decoded), the upload limit, which a trigger needn't risk.
 */
export const MAX_PREVIEW_PIXELS = 16_000_000;

/** Where a message's preview image is stored, without its extension. */
export function previewImageBase(chatId: string, messageId: string): string {
  return `chats/${chatId}/link-previews/${messageId}`;
}

/**
 * Decodes `bytes` (an image a page named, at most 5 MiB) with sharp and stores it re-encoded as
 * a thumbnail (longest side at most {@link THUMBNAIL_SIZE} px, upright; PNG with transparency,
 * else JPEG) at `${base}.{png|jpg}`: what clients load is always our re-encoding, never the
 * third party's bytes. The write is "only if new", so a retried trigger writes it once.
 * Returns `undefined` when the bytes do not decode or have more than {@link MAX_PREVIEW_PIXELS}.
 * @throws Cloud Storage's error once its retries are spent.
 */
export async function storePreviewImage(bucket: Bucket, base: string, bytes: Buffer): Promise<ThumbnailDoc | undefined> {
  const encoded = await encode(bytes);
  if (!encoded) return undefined;
  const { data, info } = encoded;
  const extension = info.format === "png" ? "png" : "jpg";
  const contentType = extension === "png" ? "image/png" : "image/jpeg";
  const path = `${base}.${extension}`;
  await saveNewObject(bucket.file(path), data, contentType);
  return { path, contentType, width: info.width, height: info.height, size: data.length };
}

async function encode(bytes: Buffer) {
  // Loaded on first use: only the link preview trigger and uploads decode images.
  const { default: sharp } = await import("sharp");
  try {
    const image = sharp(bytes, { failOn: "error", limitInputPixels: MAX_PREVIEW_PIXELS });
    const { hasAlpha } = await image.metadata();
    const resized = image
      .rotate()
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: "inside", withoutEnlargement: true });
    const output = hasAlpha ? resized.png() : resized.jpeg({ quality: 80, mozjpeg: true });
    return await output.toBuffer({ resolveWithObject: true });
  } catch {
    return undefined;
  }
}
