import { limitAction } from "../config.js";
import { objectDeleter } from "../files/delete-objects.js";
import { bucket, db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { linksContract } from "./contract.js";
import { findLinkPreviewImage, removeLinkPreview, setLinkPreviews } from "./link-preview-actions.js";

/** The handlers of {@link linksContract}. */
export const linksHandlers: Implementations<typeof linksContract> = {
  removeLinkPreview: {
    run: async (caller, { chatId, number }) => {
      await limitAction(caller, "edits");
      const options = { deleteObjects: objectDeleter(bucket()), callerUid: caller.uid, chatId, number };
      return { status: 200, body: { message: await removeLinkPreview(db(), options) } };
    },
  },
  setLinkPreviews: {
    run: async (caller, { chatId, enabled }) => {
      await limitAction(caller, "settings");
      return { status: 200, body: await setLinkPreviews(db(), { callerUid: caller.uid, chatId, enabled }) };
    },
  },
  downloadLinkPreviewImage: {
    download: ({ uid }, { chatId, number }) => findLinkPreviewImage(db(), uid, chatId, number),
  },
};
