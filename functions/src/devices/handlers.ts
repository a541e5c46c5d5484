import { limited } from "../config.js";
import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { devicesContract } from "./contract.js";
import { registerDevice } from "./register-device.js";
import { unregisterDevice } from "./unregister-device.js";

/** The handlers of {@link devicesContract}. */
export const devicesHandlers: Implementations<typeof devicesContract> = {
  registerDevice: {
    run: limited("settings", async ({ uid, now }, input) => {
      const { device, created } = await registerDevice(db(), now, uid, input);
      return created ? { status: 201, body: { device } } : { status: 200, body: { device } };
    }),
  },
  unregisterDevice: {
    run: limited("settings", async ({ uid }, { deviceId }) => ({
      status: 200,
      body: await unregisterDevice(db(), uid, deviceId),
    })),
  },
};
