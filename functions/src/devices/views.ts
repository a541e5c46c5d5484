import { z } from "zod";

/** A registered device as the API returns it (never the token's owner history). */
export const deviceView = z
  .object({
    id: z
      .string()
      .meta({ description: "The device's id: SHA-256 hex of its token (what `DELETE /v1/devices/{deviceId}` takes)" }),
    platform: z.enum(["ios", "android", "web"]).meta({ description: "Its platform" }),
    createdAt: z.string().meta({ description: "When the token was first registered (ISO 8601 UTC)" }),
    updatedAt: z.string().meta({ description: "When it was last registered or refreshed (ISO 8601 UTC)" }),
  })
  .meta({ id: "Device", description: "A registered device" });
export type DeviceView = z.infer<typeof deviceView>;

/** A device token removed from the caller's devices. */
export const removedDevice = z
  .object({ removed: z.literal(true).meta({ description: "Always `true`" }) })
  .meta({ id: "RemovedDevice", description: "A device removed" });
