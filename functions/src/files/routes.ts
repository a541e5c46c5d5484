import { Router, type Request } from "express";
import { callerUid } from "../api/authenticate.js";
import { chatIdParam } from "../chats/schemas.js";
import { config } from "../config.js";
import { logs } from "../logs.js";
import { messageParams } from "../messages/schemas.js";
import { bucket, db } from "../shared/firebase.js";
import { parseInput } from "../shared/validation.js";
import { findMessageObject } from "./find-message-file.js";
import type { UploadRequest } from "./read-upload.js";
import { sendFileMessage } from "./send-file-message.js";
import { sendObject } from "./send-object.js";

/**
 * `POST /chats/{chatId}/messages` as multipart/form-data (`file`, `text?`, `clientMessageId?`)
 *   → 201 `{message}` (200 on a retry); other content types fall through to the JSON route;
 * `GET|HEAD /chats/{chatId}/messages/{number}/file` and `.../thumbnail` → the bytes.
 */
export function filesRoutes(): Router {
  const router = Router();
  router.post("/chats/:chatId/messages", async (req, res, next) => {
    if (!req.is("multipart/form-data")) return next();
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    const result = await sendFileMessage(
      db(),
      bucket(),
      new Date(),
      callerUid(res),
      chatId,
      uploadRequest(req),
      config().maxUploadBytes,
    );
    logs.messageSent(chatId, result.message.number, result.attempts, result.created);
    res.set("x-parley-send-attempts", String(result.attempts));
    res.status(result.created ? 201 : 200).json({ message: result.message });
  });
  for (const which of ["file", "thumbnail"] as const) {
    router.get(`/chats/:chatId/messages/:number/${which}`, async (req, res) => {
      const { chatId, number } = parseInput(messageParams, req.params, "path");
      const object = await findMessageObject(db(), callerUid(res), chatId, number, which);
      await sendObject(req, res, bucket(), object);
    });
  }
  return router;
}

/** The Cloud Functions runtime has read the body already (`rawBody`); elsewhere it is a stream. */
function uploadRequest(req: Request): UploadRequest {
  const rawBody = (req as { rawBody?: unknown }).rawBody;
  return { headers: req.headers, body: Buffer.isBuffer(rawBody) ? rawBody : req };
}
