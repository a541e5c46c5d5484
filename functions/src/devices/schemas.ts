import { z } from "zod";

/** An FCM registration token as apps get it from the FCM SDK (about 160 characters). */
const token = z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters");

/** `POST /v1/devices` and the `registerDevice` callable. */
export const registerDeviceBody = z
  .strictObject({
    token: token.meta({ description: "The FCM registration token the FCM SDK gave the app" }),
    platform: z.enum(["ios", "android", "web"], "must be one of ios, android, web").meta({ description: "The app's platform" }),
  })
  .meta({ id: "RegisterDeviceBody", description: "A device to push to" });
export type RegisterDeviceBody = z.infer<typeof registerDeviceBody>;

/**
 * `DELETE /v1/devices/{deviceId}` and the `unregisterDevice` callable: the device's `id` as
 * `registerDevice` answers it (SHA-256 hex of the token). The token itself never travels in a
 * URL, where request logs would keep it.
 */
export const deviceIdParam = z.strictObject({
  deviceId: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be a device id (the `id` registerDevice answered), not a token")
    .meta({ description: "The device's `id` as `registerDevice` answered it (SHA-256 hex of the token)" }),
});
