import { z } from "zod";
import { defineOperations } from "../shared/operation.js";
import { deviceTokenParam, registerDeviceBody } from "./schemas.js";
import { deviceView, removedDevice } from "./views.js";

const device = z.object({ device: deviceView });

/** The caller's devices: FCM registration tokens that get push notifications. */
export const devicesContract = defineOperations({
  registerDevice: {
    method: "post",
    path: "/devices",
    tag: "Devices",
    summary: "Register an FCM registration token (201 new, 200 refreshed)",
    body: registerDeviceBody,
    responses: {
      201: { description: "The device, registered", schema: device },
      200: { description: "The device, refreshed", schema: device },
    },
    errors: [],
  },
  unregisterDevice: {
    method: "delete",
    path: "/devices/:token",
    tag: "Devices",
    summary: "Remove one of your registration tokens",
    params: deviceTokenParam,
    responses: { 200: { description: "Removed", schema: removedDevice } },
    errors: ["not-found"],
  },
});
