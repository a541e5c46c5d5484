import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Bucket, File } from "@google-cloud/storage";
import { AppError, errorCode } from "../shared/errors.js";
import { sniffContentType } from "./content-type.js";

/** A complete object in Cloud Storage. `size` is in bytes, `sha256` is hex. */
export interface StoredObject {
  path: string;
  contentType: string;
  size: number;
  sha256: string;
  /** The type detected from the first bytes, `undefined` when the bytes say nothing. */
  sniffedType: string | undefined;
}

/** Bytes kept from the start of the stream to detect the type (what file-type needs). */
const SNIFF_BYTES = 4100;

/**
 * Reads `source` to the end and writes it as a new object at `path` of `bucket`, hashing and
 * counting on the way. The content type comes from the bytes (see {@link sniffContentType}).
 *
 * The bytes are held in memory (at most the upload limit; Cloud Functions has the whole request
 * body in memory anyway) so that a write can be sent again: see {@link saveNewObject}.
 * @throws AppError `invalid-argument` for an empty file; whatever `source` fails with; Cloud
 *   Storage's error once its retries are spent. When `source` or the write fails, the object is
 *   deleted and the error is rethrown: a failed call leaves nothing in the bucket.
 */
export async function storeObject(bucket: Bucket, path: string, source: Readable, declaredType: string): Promise<StoredObject> {
  const object = bucket.file(path);
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    const head = await readHead(chunks);
    if (head.length === 0) throw new AppError("invalid-argument", "file: must not be empty");
    const { contentType, sniffedType } = await sniffContentType(head, declaredType);
    const bytes = await readRest(head, chunks);
    await saveNewObject(object, bytes, contentType);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    return { path, contentType, size: bytes.length, sha256, sniffedType };
  } catch (error) {
    await object.delete({ ignoreNotFound: true });
    throw error;
  }
}

/**
 * Writes `bytes` as the new object `object` (private, with `contentType`), in one request.
 * The write asks for "only if no object is there yet" (`ifGenerationMatch: 0`), which makes it
 * safe to send again, so the Storage SDK retries it on a dropped connection (EPIPE, ECONNRESET),
 * 408, 429 and 5xx answers, with backoff. When an earlier try landed but its answer was lost,
 * the retry is refused with 412: the object is there, and it is this call's (the paths are
 * new per upload, and a single-request write is all or nothing), so that counts as written.
 * @throws the Storage SDK's error once its retries are spent.
 */
export async function saveNewObject(object: File, bytes: Buffer, contentType: string): Promise<void> {
  try {
    await object.save(bytes, {
      resumable: false,
      contentType,
      metadata: { cacheControl: "private" },
      preconditionOpts: { ifGenerationMatch: 0 },
    });
  } catch (error) {
    if (errorCode(error) !== 412) throw error;
  }
}

async function readHead(chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const head: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(head);
}

async function readRest(head: Buffer, chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts = [head];
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) parts.push(next.value);
  return Buffer.concat(parts);
}
