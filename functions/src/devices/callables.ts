import { authedCallable } from "../api/callable.js";
import { db } from "../shared/firebase.js";
import { registerDevice as register } from "./register-device.js";
import { deviceTokenParam, registerDeviceBody } from "./schemas.js";
import { unregisterDevice as unregister } from "./unregister-device.js";

/** Callable `registerDevice({token, platform})` → `{device, created}`, as `POST /v1/devices`. */
export const registerDevice = authedCallable("registerDevice", registerDeviceBody, (uid, input) =>
  register(db(), new Date(), uid, input),
);

/** Callable `unregisterDevice({token})` → `{removed: true}`, as `DELETE /v1/devices/{token}`. */
export const unregisterDevice = authedCallable("unregisterDevice", deviceTokenParam, (uid, { token }) =>
  unregister(db(), uid, token),
);
