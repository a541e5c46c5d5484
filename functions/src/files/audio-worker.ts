// The worker thread in which `audioDurationIsolated` (describe-audio.ts) parses an upload: its
// `workerData` is `{bytes, typeHint}`, and it posts the duration in seconds, or `null`.
import { parentPort, workerData } from "node:worker_threads";
import { audioDuration } from "./describe-audio.js";

const { bytes, typeHint } = workerData as { bytes: Uint8Array; typeHint: string | undefined };
void audioDuration(bytes, typeHint).then((seconds) => parentPort?.postMessage(seconds ?? null));
