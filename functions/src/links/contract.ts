import { z } from "zod";
import { chatIdParam } from "../chats/schemas.js";
import { messageParams } from "../messages/schemas.js";
import { messageView } from "../messages/views.js";
import { defineOperations } from "../shared/operation.js";
import { setLinkPreviewsBody } from "./schemas.js";
import { linkPreviewsSetting } from "./views.js";

/** Link previews: removing one, a chat's setting, and downloading a preview's image. */
export const linksContract = defineOperations({
  removeLinkPreview: {
    method: "delete",
    path: "/chats/:chatId/messages/:number/preview",
    tag: "Messages",
    summary: "Remove your message's link preview (none is fetched again for it)",
    params: messageParams,
    responses: { 200: { description: "The message, without preview", schema: z.object({ message: messageView }) } },
    errors: ["permission-denied", "not-found", "failed-precondition", "resource-exhausted"],
  },
  setLinkPreviews: {
    method: "put",
    path: "/chats/:chatId/link-previews",
    tag: "Chats",
    summary: "Turn link previews on or off for a chat (a room's host; either member of a 1:1 chat)",
    params: chatIdParam,
    body: setLinkPreviewsBody,
    responses: { 200: { description: "The chat's setting", schema: linkPreviewsSetting } },
    errors: ["permission-denied", "not-found", "failed-precondition", "resource-exhausted"],
  },
  downloadLinkPreviewImage: {
    method: "get",
    path: "/chats/:chatId/messages/:number/preview/image",
    tag: "Files",
    summary: "Download a link preview's image (our copy, at most 320 px)",
    params: messageParams,
    download: { description: "The image (image/jpeg or image/png)" },
    errors: ["not-found"],
  },
});
