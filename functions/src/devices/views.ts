import { z } from "zod";

/** A registered device as the API returns it (never the token's owner history). */
export const deviceView = z.object({
  id: z.string(),
  platform: z.enum(["ios", "android", "web"]),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DeviceView = z.infer<typeof deviceView>;

/** A device token removed from the caller's devices. */
export const removedDevice = z.object({ removed: z.literal(true) });
