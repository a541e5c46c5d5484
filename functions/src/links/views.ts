import { z } from "zod";

/** A chat's link preview setting. */
export const linkPreviewsSetting = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    linkPreviews: z.boolean().meta({ description: "Text messages get link previews" }),
  })
  .meta({ id: "LinkPreviewsSetting", description: "Whether a chat's text messages get link previews" });
export type LinkPreviewsSetting = z.infer<typeof linkPreviewsSetting>;
