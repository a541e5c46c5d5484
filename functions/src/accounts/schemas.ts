import { z } from "zod";
import { uid } from "../shared/schemas.js";

/** Path parameter `{uid}` of `DELETE /v1/users/{uid}`. */
export const deletedUidParam = z.strictObject({ uid: uid.meta({ description: "The user whose account to delete" }) });
export type DeletedUidParam = z.infer<typeof deletedUidParam>;
