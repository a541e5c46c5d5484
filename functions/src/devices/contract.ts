import { z } from "zod";
import { defineOperations } from "../shared/operation.js";
import { deviceIdParam, registerDeviceBody } from "./schemas.js";
import { deviceView, removedDevice } from "./views.js";

const device = z.object({ device: deviceView });

/** The caller's devices: FCM registration tokens that get push notifications. */
export const devicesContract = defineOperations({
  registerDevice: {
    method: "post",
    path: "/devices",
    tag: "Devices",
    summary: "Register an FCM registration token (201 new, 200 refreshed); past 10 devices, the least recently refreshed goes",
    body: registerDeviceBody,
    responses: {
      201: { description: "The device, registered", schema: device },
      200: { description: "The device, refreshed", schema: device },
    },
    errors: ["resource-exhausted"],
  },
  unregisterDevice: {
    method: "delete",
    path: "/devices/:deviceId",
    tag: "Devices",
    summary: "Remove one of your devices, by the id registerDevice answered",
    params: deviceIdParam,
    responses: { 200: { description: "Removed", schema: removedDevice } },
    errors: ["not-found", "resource-exhausted"],
  },
});
