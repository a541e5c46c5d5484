import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Bucket } from "@google-cloud/storage";
import { AppError } from "../shared/errors.js";
import { isEbml, readMatroskaBlocks } from "./matroska-duration.js";
import type { StoredObject } from "./store-object.js";

/**
 * Containers that file-type names as video by their first bytes, whatever tracks they hold: a
 * browser's audio recording is `video/webm` (Chrome, Firefox) or `video/mp4` (Safari) to it.
 */
const AUDIO_CONTAINERS: ReadonlySet<string> = new Set([
  "video/webm",
  "video/x-matroska",
  "video/mp4",
  "video/ogg",
  "video/quicktime",
]);

/** The codecs a voice message may be in, as music-metadata names them: Opus, AAC, MP3. */
const VOICE_CODECS = /^(opus|aac|mpeg-4\/aac|mp4a|mpeg [12](\.5)? layer 3)/i;

/**
 * Most bytes a second of a voice message may take: 64 kB/s, twice AAC at 256 kbit/s. More is not
 * a voice recording, or a header whose duration the bytes don't bear out.
 */
export const MAX_AUDIO_BYTES_PER_SECOND = 64_000;

/**
 * Limits of the worker thread that parses an upload ({@link audioDurationIsolated}): heap, and
 * wall time. A crafted file can make a parser loop or allocate without end; it fails alone.
 */
const PARSE_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, timeoutMs: 5_000 };

/**
 * {@link audioDuration} in a worker thread of its own, with at most 96 MB of heap and 5 s: a file
 * that makes music-metadata run out of memory or time (a crafted MP4 run of 2^32 samples, 25 MiB
 * of MP3 sync words) ends the worker, not the instance and its other requests, and counts as not
 * audio (`undefined`). Needs the compiled `audio-worker.js` beside this file.
 */
export function audioDurationIsolated(bytes: Uint8Array, typeHint: string | undefined): Promise<number | undefined> {
  return new Promise((resolve) => {
    const { timeoutMs, ...resourceLimits } = PARSE_LIMITS;
    const worker = new Worker(join(__dirname, "audio-worker.js"), { workerData: { bytes, typeHint }, resourceLimits });
    const done = (seconds: number | undefined) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(seconds);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    worker.once("message", (seconds: number | null) => done(seconds ?? undefined));
    worker.once("error", () => done(undefined));
    worker.once("exit", () => done(undefined));
  });
}

/** What the formats a voice message may be are called in refusals. */
const SUPPORTED = "Ogg Opus, WebM Opus, AAC/M4A or MP3";

/**
 * Whether an upload is audio, and so a voice message: its bytes say audio (`audio/*`), or the
 * sender says `audio/*` and the bytes say nothing or name a container that may hold audio
 * alone (WebM, MP4, Ogg). Bytes that say image or anything else stay a file.
 */
export function isAudioUpload(sniffedType: string | undefined, declaredType: string): boolean {
  if (sniffedType?.startsWith("audio/")) return true;
  const declaredAudio = declaredType.trim().toLowerCase().startsWith("audio/");
  return declaredAudio && (sniffedType === undefined || AUDIO_CONTAINERS.has(sniffedType));
}

/** A voice message's audio: its duration in milliseconds and the media type to serve it as. */
export interface AudioDescription {
  durationMs: number;
  contentType: string;
}

/**
 * The duration of audio `bytes` in seconds, read with music-metadata (its parser picked by the
 * bytes, `typeHint` helping where they are ambiguous). A WebM/Matroska file is parsed up to its
 * first Cluster (the header: codec, tracks, a `Duration` if any), and its duration, when the
 * header has none, read from its blocks ({@link readMatroskaBlocks}): a browser's MediaRecorder
 * writes no `Duration` and Clusters of unknown size, which music-metadata cannot skip.
 * `undefined` when the bytes are not audio music-metadata knows, hold video, or have no duration.
 */
export async function audioDuration(bytes: Uint8Array, typeHint: string | undefined): Promise<number | undefined> {
  // music-metadata is ESM only; this package is CommonJS.
  const { parseBuffer } = await import("music-metadata");
  const blocks = isEbml(bytes) ? readMatroskaBlocks(bytes) : undefined;
  const parsed = blocks?.firstCluster === undefined ? bytes : bytes.subarray(0, blocks.firstCluster);
  try {
    const { format } = await parseBuffer(
      parsed,
      { mimeType: typeHint, size: parsed.length },
      { duration: true, skipCovers: true },
    );
    if (!format.hasAudio || format.hasVideo || !format.codec || !VOICE_CODECS.test(format.codec)) return undefined;
    const seconds = format.duration || blocks?.seconds;
    return seconds !== undefined && Number.isFinite(seconds) ? seconds : undefined;
  } catch {
    // music-metadata throws on bytes it cannot parse: they are not audio we take.
    return undefined;
  }
}

/**
 * Reads the audio `object` (already stored, sniffed by its bytes) from Cloud Storage and checks
 * that it is a voice message Parley keeps: audio music-metadata parses with a duration above 0
 * and at most `maxSeconds`. The media type served is the sniffed one, with a `video/` container
 * type read as `audio/` (`video/webm` → `audio/webm`).
 * The bytes are parsed in a worker thread with bounded heap and time ({@link audioDurationIsolated}),
 * and must be no more than {@link MAX_AUDIO_BYTES_PER_SECOND} a second of the duration they declare.
 * @throws AppError `invalid-argument` when the bytes are not audio in a supported format (Opus,
 *   AAC, MP3), have no duration, hold more bytes than it bears, or last longer than `maxSeconds`;
 *   Cloud Storage's error when the read fails.
 */
export async function describeAudio(bucket: Bucket, object: StoredObject, maxSeconds: number): Promise<AudioDescription> {
  const tooLong = () => new AppError("invalid-argument", `file: a voice message may last at most ${maxSeconds} seconds`);
  if (object.size > maxSeconds * MAX_AUDIO_BYTES_PER_SECOND) throw tooLong();
  const [bytes] = await bucket.file(object.path).download();
  const seconds = await audioDurationIsolated(bytes, object.sniffedType ?? object.contentType);
  const durationMs = seconds === undefined ? 0 : Math.round(seconds * 1000);
  if (seconds === undefined || durationMs < 1 || bytes.length > (seconds + 1) * MAX_AUDIO_BYTES_PER_SECOND) {
    throw new AppError("invalid-argument", `file: is not audio in a supported format (${SUPPORTED}) with a duration`);
  }
  if (durationMs > maxSeconds * 1000) {
    throw new AppError(
      "invalid-argument",
      `file: a voice message may last at most ${maxSeconds} seconds; this one lasts ${Math.ceil(seconds)}`,
    );
  }
  return { durationMs, contentType: object.contentType.replace(/^video\//, "audio/") };
}
