import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type DeviceDoc, type DeviceTokenDoc } from "../shared/model.js";
import type { RegisterDeviceBody } from "./schemas.js";
import { tokenHash } from "./token-hash.js";
import type { DeviceView } from "./views.js";

/**
 * Registers an FCM registration token for the caller, or refreshes it. A token belongs to one
 * user: when another user had it (a shared or handed-on phone), it moves to the caller and that
 * user stops getting pushes on it. One transaction over `device-tokens/{tokenHash}`,
 * `users/{uid}/devices/{tokenHash}` and the previous owner's device doc.
 */
export async function registerDevice(
  db: Firestore,
  now: Date,
  callerUid: string,
  input: RegisterDeviceBody,
): Promise<{ device: DeviceView; created: boolean }> {
  const id = tokenHash(input.token);
  const ownerRef = refs.deviceToken(db, id);
  const deviceRef = refs.device(db, callerUid, id);
  const at = Timestamp.fromDate(now);
  return db.runTransaction(async (tx) => {
    const [ownerSnap, deviceSnap] = await tx.getAll(ownerRef, deviceRef);
    const previousOwner = (ownerSnap.data() as DeviceTokenDoc | undefined)?.uid;
    if (previousOwner && previousOwner !== callerUid) tx.delete(refs.device(db, previousOwner, id));
    const createdAt = (deviceSnap.data() as DeviceDoc | undefined)?.createdAt ?? at;
    const device: DeviceDoc = { token: input.token, platform: input.platform, createdAt, updatedAt: at };
    tx.set(deviceRef, device);
    tx.set(ownerRef, { uid: callerUid, updatedAt: at } satisfies DeviceTokenDoc);
    return {
      device: { id, platform: device.platform, createdAt: createdAt.toDate().toISOString(), updatedAt: now.toISOString() },
      created: !deviceSnap.exists,
    };
  });
}
