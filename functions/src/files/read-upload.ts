import { PassThrough, pipeline, type Readable } from "node:stream";
import busboy from "busboy";
import { AppError } from "../shared/errors.js";
import type { UploadRequest } from "../shared/handler.js";

/** The one file part, as it arrives. `filename` and `mimeType` are what the sender claims. */
export interface FilePart {
  stream: Readable;
  filename: string;
  mimeType: string;
}

/** What {@link readUpload} does with the file part. */
export interface FileSink<T> {
  /** Consumes the part's stream; rejects when the stream fails. */
  store(part: FilePart): Promise<T>;
  /** Undoes a successful `store` when the request fails after all. */
  discard(stored: T): Promise<void>;
}

/** Room for the form fields, part headers and boundaries beside the file, in bytes. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * Parses a multipart/form-data body with busboy as a stream: one file part named `file`,
 * handed to `sink.store` as it arrives, and the text fields named in `fieldNames`.
 * A file over `maxFileBytes` is cut off: the stream `store` reads fails with `payload-too-large`
 * at the limit, and the rest of the part is skipped. Resolves once the whole body was parsed
 * and `store` finished.
 * @throws AppError `payload-too-large` (file over `maxFileBytes`, or a declared Content-Length
 *   that can't fit), `invalid-argument` (not multipart, malformed or cut-off body, no file part,
 *   a second file, an unknown or too long field). After a failure nothing stored remains.
 */
export async function readUpload<T>(
  request: UploadRequest,
  limits: { maxFileBytes: number; maxFieldBytes: number },
  fieldNames: readonly string[],
  sink: FileSink<T>,
): Promise<{ fields: Record<string, string>; file: T }> {
  const declaredLength = Number(request.headers["content-length"]);
  if (declaredLength > limits.maxFileBytes + FORM_OVERHEAD_BYTES) throw tooLarge(limits.maxFileBytes);
  const parser = multipartParser(request, limits, fieldNames.length);

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let stored: Promise<T> | undefined;
    let failure: Error | undefined;
    let settled = false;
    const fail = (error: unknown) => (failure ??= error instanceof Error ? error : new Error(String(error)));

    parser.on("file", (name, stream, info) => {
      if (name !== "file") {
        fail(new AppError("invalid-argument", `${name}: is not a known file part; send the file as \`file\``));
        stream.resume();
        return;
      }
      stored = storeFilePart(stream, info, { sink, maxFileBytes: limits.maxFileBytes, fail });
    });
    parser.on("field", (name, value, info) => {
      if (name === "file") fail(new AppError("invalid-argument", "file: must be a file part (with a filename)"));
      else if (!fieldNames.includes(name)) fail(new AppError("invalid-argument", `${name}: is not a known field`));
      else if (info.valueTruncated) fail(new AppError("invalid-argument", `${name}: is too long`));
      else fields[name] = value;
    });
    const tooManyParts = () =>
      fail(new AppError("invalid-argument", `body: send one \`file\` part and at most the fields ${fieldNames.join(", ")}`));
    parser.on("filesLimit", tooManyParts);
    parser.on("fieldsLimit", tooManyParts);
    parser.on("error", (error: Error) => {
      fail(new AppError("invalid-argument", `body: the multipart body is malformed or cut off (${error.message}).`));
      void settle();
    });
    parser.on("close", () => void settle());

    async function settle() {
      if (settled) return;
      settled = true;
      const file = await stored?.catch(() => undefined);
      if (failure === undefined && file !== undefined) return resolve({ fields, file });
      if (file !== undefined) await sink.discard(file).catch(reject);
      reject(failure ?? new AppError("invalid-argument", "file: is required"));
    }

    if (Buffer.isBuffer(request.body)) parser.end(request.body);
    else pipeline(request.body, parser, () => {});
  });
}

/**
 * busboy's parser of `request` as {@link readUpload} reads it: one file part, up to `fieldCount`
 * fields of up to `limits.maxFieldBytes` each.
 * @throws AppError `invalid-argument` when the headers don't say multipart/form-data.
 */
function multipartParser(
  request: UploadRequest,
  limits: { maxFileBytes: number; maxFieldBytes: number },
  fieldCount: number,
): busboy.Busboy {
  try {
    return busboy({
      headers: request.headers,
      // Keep the name as sent ("../a.txt"); safeFileName() makes the object name safe.
      preservePath: true,
      // Browsers send file names as raw UTF-8, not busboy's default latin1.
      defParamCharset: "utf8",
      limits: {
        // busboy reports the limit when a file *reaches* it; one byte more lets a file of
        // exactly maxFileBytes through.
        fileSize: limits.maxFileBytes + 1,
        // At most one file and one of each field: more are skipped and reported.
        files: 1,
        fields: fieldCount,
        fieldSize: limits.maxFieldBytes,
      },
    });
  } catch (error) {
    throw new AppError("invalid-argument", `body: not a multipart/form-data body (${(error as Error).message}).`);
  }
}

/** Where {@link storeFilePart} hands the file part, its size limit, and where a failure goes. */
interface FilePartTarget<T> {
  /** Stores the copy of the part. */
  sink: FileSink<T>;
  /** Past it, the copy fails with `payload-too-large`. */
  maxFileBytes: number;
  /** Records the upload's failure (the first one counts). */
  fail: (error: unknown) => void;
}

/**
 * Hands busboy's file `stream` to `target.sink.store` as a copy, and answers what `store`
 * resolves to; a failed `store` is recorded with `target.fail`.
 */
function storeFilePart<T>(stream: Readable, info: busboy.FileInfo, target: FilePartTarget<T>): Promise<T> {
  const { sink, maxFileBytes, fail } = target;
  // busboy waits for its file stream to be read before it parses on, so the stream must be
  // drained to the end whatever happens to the copy the sink reads.
  const part = new PassThrough();
  const drain = () => {
    stream.unpipe(part);
    stream.resume();
  };
  stream.pipe(part);
  stream.on("error", (error) => part.destroy(error));
  stream.on("limit", () => {
    drain();
    part.destroy(tooLarge(maxFileBytes));
  });
  const stored = sink.store({ stream: part, filename: info.filename ?? "", mimeType: info.mimeType });
  stored.catch((error: unknown) => {
    drain();
    fail(error);
  });
  return stored;
}

function tooLarge(maxFileBytes: number): AppError {
  return new AppError("payload-too-large", `The file is over the limit of ${maxFileBytes} bytes.`);
}
