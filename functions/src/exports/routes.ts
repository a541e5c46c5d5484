import { Router } from "express";
import { callerUid } from "../api/authenticate.js";
import { requireMember } from "../chats/chat-access.js";
import { chatIdParam } from "../chats/schemas.js";
import { sendObject } from "../files/send-object.js";
import { AppError } from "../shared/errors.js";
import { bucket, db } from "../shared/firebase.js";
import { refs } from "../shared/model.js";
import { parseInput } from "../shared/validation.js";

/** `GET /chats/{chatId}/export` → the ended chat's CSV history, to members only. */
export function exportsRoutes(): Router {
  const router = Router();
  router.get("/chats/:chatId/export", async (req, res) => {
    const { chatId } = parseInput(chatIdParam, req.params, "path");
    const chat = requireMember(await refs.chat(db(), chatId).get(), callerUid(res));
    if (!chat.export) throw new AppError("not-found", "This chat has no history export (yet).");
    const { path, bytes, createdAt } = chat.export;
    await sendObject(req, res, bucket(), {
      path,
      contentType: "text/csv; charset=utf-8",
      size: bytes,
      name: `parley-chat-${chatId}-${createdAt.toDate().toISOString().slice(0, 10)}.csv`,
      etag: `${chatId}-${createdAt.toMillis()}`,
      inline: false,
    });
  });
  return router;
}
