import { defineInt, defineString } from "firebase-functions/params";

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
  /** How long after sending a sender may edit a text message, in seconds. */
  editWindowSeconds: defineInt("EDIT_WINDOW_SECONDS", {
    default: 900,
    description: "How long after sending a sender may edit a text message, in seconds.",
  }),
  /** `fcm` sends pushes; `outbox` writes them to `push-outbox/` instead (always so on the emulator). */
  pushTransport: defineString("PUSH_TRANSPORT", {
    default: "fcm",
    input: { select: { options: [{ value: "fcm" }, { value: "outbox" }] } },
    description: "fcm: send pushes through FCM; outbox: write them to push-outbox/ instead.",
  }),
};

/** The values of {@link params}, read at request time (params are not set at import time). */
export function config() {
  return {
    messagesToLoad: Math.min(Math.max(params.messagesToLoad.value(), 1), 100),
    maxJsonBodyBytes: params.maxJsonBodyBytes.value(),
    maxUploadBytes: params.maxUploadBytes.value(),
    editWindowSeconds: params.editWindowSeconds.value(),
    // There is no FCM emulator: under the Functions emulator pushes always go to the outbox.
    pushTransport:
      process.env.FUNCTIONS_EMULATOR === "true" || params.pushTransport.value() === "outbox"
        ? ("outbox" as const)
        : ("fcm" as const),
  };
}
