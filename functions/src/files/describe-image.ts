import type { Bucket } from "@google-cloud/storage";
import type sharpModule from "sharp";
import type { ThumbnailDoc } from "../shared/model.js";
import { IMAGE_TYPES } from "./content-type.js";
import { saveNewObject, type StoredObject } from "./store-object.js";

/**
 * Most pixels an image may have to be decoded (50 megapixels: a 48 MP phone photo fits). sharp's
 * own default is 268 MP, about 1 GiB of pixels; a bigger image stays a plain file message.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Longest side of a thumbnail, in pixels. Smaller images are not enlarged. */
export const THUMBNAIL_SIZE = 320;

/** An image's displayed size in pixels and its stored thumbnail. */
export interface ImageDescription {
  width: number;
  height: number;
  thumbnail: ThumbnailDoc;
}

/**
 * Decodes `object` with sharp, streaming it from Cloud Storage, when its bytes were sniffed as
 * a displayable image, and stores a thumbnail (longest side {@link THUMBNAIL_SIZE} px, turned
 * upright by its EXIF orientation; PNG when the image has transparency, else JPEG) at
 * `${folder}/thumbnail/320.{png|jpg}`.
 * Returns `undefined` when the object is not an image, does not decode or has more than
 * {@link MAX_IMAGE_PIXELS} pixels: it stays a file.
 * Throws only when Cloud Storage fails; then no thumbnail is left behind.
 */
export async function describeImage(bucket: Bucket, object: StoredObject, folder: string): Promise<ImageDescription | undefined> {
  if (!object.sniffedType || !IMAGE_TYPES.has(object.sniffedType)) return undefined;
  const decoded = await decodeThumbnail(bucket, object.path);
  if (!decoded) return undefined;

  const { metadata, thumbnail, info } = decoded;
  const extension = info.format === "png" ? "png" : "jpg";
  const path = `${folder}/thumbnail/${THUMBNAIL_SIZE}.${extension}`;
  const contentType = extension === "png" ? "image/png" : "image/jpeg";
  await saveNewObject(bucket.file(path), thumbnail, contentType);
  return {
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    thumbnail: { path, contentType, width: info.width, height: info.height, size: thumbnail.length },
  };
}

async function decodeThumbnail(bucket: Bucket, path: string) {
  // Loaded on first use: every function of the codebase loads this module, few decode images.
  const { default: sharp } = await import("sharp");
  const image = sharp({ failOn: "error", limitInputPixels: MAX_IMAGE_PIXELS });
  const download = bucket.file(path).createReadStream();
  let downloadError: Error | undefined;
  const downloadFailed = new Promise<never>((_resolve, reject) =>
    download.on("error", (error) => reject((downloadError = error))),
  );
  download.pipe(image);
  try {
    return await Promise.race([encodeThumbnail(image), downloadFailed]);
  } catch {
    // A Storage failure is rethrown; a decode failure means "not an image".
    if (downloadError) throw downloadError;
    download.destroy();
    return undefined;
  }
}

async function encodeThumbnail(image: ReturnType<typeof sharpModule>) {
  const metadata = await image.metadata();
  const resized = image.rotate().resize({
    width: THUMBNAIL_SIZE,
    height: THUMBNAIL_SIZE,
    fit: "inside",
    withoutEnlargement: true,
  });
  const encoded = metadata.hasAlpha ? resized.png() : resized.jpeg({ quality: 80, mozjpeg: true });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { metadata, thumbnail: data, info };
}
