import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Bucket } from "@google-cloud/storage";
import { AppError } from "../shared/errors.js";
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
 * Streams `source` into a new object at `path` of `bucket`, hashing and counting on the way.
 * The content type comes from the bytes (see {@link sniffContentType}), so it is decided after
 * the first {@link SNIFF_BYTES} bytes and before the object is opened. Only those bytes are held
 * in memory.
 * @throws AppError `invalid-argument` for an empty file; whatever `source` fails with. When
 *   `source` or the write fails, the partial object is deleted and the error is
 * rethrown: a failed call leaves nothing in the bucket.
 */
export async function storeObject(bucket: Bucket, path: string, source: Readable, declaredType: string): Promise<StoredObject> {
  const object = bucket.file(path);
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const hash = createHash("sha256");
  let size = 0;
  try {
    const head = await readHead(chunks);
    if (head.length === 0) throw new AppError("invalid-argument", "file: must not be empty");
    const { contentType, sniffedType } = await sniffContentType(head, declaredType);
    await pipeline(
      async function* () {
        for (let chunk = head, next; ;) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
          next = await chunks.next();
          if (next.done) return;
          chunk = next.value;
        }
      },
      object.createWriteStream({ resumable: false, contentType, metadata: { cacheControl: "private" } }),
    );
    return { path, contentType, size, sha256: hash.digest("hex"), sniffedType };
  } catch (error) {
    await object.delete({ ignoreNotFound: true });
    throw error;
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
