import { defineInt } from "firebase-functions/params";

/**
 * Every tunable of Parley, read only here. Set them in `functions/.env` (or
 * `.env.<project>`), or answer the prompt at `firebase deploy`.
 */
export const params = {
  /** Messages a listing returns when the client gives no `limit` (1-100). */
  messagesToLoad: defineInt("MESSAGES_TO_LOAD", {
    default: 15,
    description: "Messages returned by a message listing without a limit (1-100).",
  }),
  /** Largest JSON request body the REST API accepts, in bytes. */
  maxJsonBodyBytes: defineInt("MAX_JSON_BODY_BYTES", {
    default: 64 * 1024,
    description: "Largest JSON request body the REST API accepts, in bytes.",
  }),
  /** Largest file a file or image message may carry, in bytes. */
  maxUploadBytes: defineInt("MAX_UPLOAD_BYTES", {
    default: 25 * 1024 * 1024,
    description:
      "Largest file a file or image message may carry, in bytes (default 25 MiB; the whole " +
      "request must stay under Cloud Functions' 32 MiB limit).",
  }),
};

/** The values of {@link params}, read at request time (params are not set at import time). */
export function config() {
  return {
    messagesToLoad: Math.min(Math.max(params.messagesToLoad.value(), 1), 100),
    maxJsonBodyBytes: params.maxJsonBodyBytes.value(),
    maxUploadBytes: params.maxUploadBytes.value(),
  };
}
