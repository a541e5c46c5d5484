import { Router } from "express";
import { callerUid } from "../api/authenticate.js";
import { db } from "../shared/firebase.js";
import { parseInput } from "../shared/validation.js";
import { registerDevice } from "./register-device.js";
import { deviceTokenParam, registerDeviceBody } from "./schemas.js";
import { unregisterDevice } from "./unregister-device.js";

/**
 * `POST /devices` `{token, platform}` → 201 (new) or 200 (refreshed) `{device}`;
 * `DELETE /devices/{token}` → `{removed: true}` (404 when the caller has no such token).
 */
export function devicesRoutes(): Router {
  const router = Router();
  router.post("/devices", async (req, res) => {
    const result = await registerDevice(db(), new Date(), callerUid(res), parseInput(registerDeviceBody, req.body));
    res.status(result.created ? 201 : 200).json({ device: result.device });
  });
  router.delete("/devices/:token", async (req, res) => {
    const { token } = parseInput(deviceTokenParam, req.params, "path");
    res.json(await unregisterDevice(db(), callerUid(res), token));
  });
  return router;
}
