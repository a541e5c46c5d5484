import { z } from "zod";

/** `PUT /v1/chats/{chatId}/link-previews {enabled}` and the `setLinkPreviews` callable (minus `chatId`). */
export const setLinkPreviewsBody = z
  .strictObject({
    enabled: z.boolean().meta({ description: "`true`: text messages get link previews; `false`: none from now on" }),
  })
  .meta({ id: "SetLinkPreviewsBody", description: "Whether the chat's text messages get link previews" });
