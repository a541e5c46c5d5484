import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { getAll, refs } from "../shared/model.js";

/**
 * Removes one of `uid`'s registration tokens (sign-out on a device, or FCM said it is dead).
 * Deletes `users/{uid}/devices/{tokenHash}`, and `device-tokens/{tokenHash}` while it still
 * points at `uid`; one transaction. Returns `false` when `uid` had no such token.
 */
export function removeDevice(db: Firestore, uid: string, id: string): Promise<boolean> {
  const ownerRef = refs.deviceToken(db, id);
  const deviceRef = refs.device(db, uid, id);
  return db.runTransaction(async (tx) => {
    const [ownerSnap, deviceSnap] = await getAll(tx, ownerRef, deviceRef);
    if (ownerSnap.data()?.uid === uid) tx.delete(ownerRef);
    tx.delete(deviceRef);
    return deviceSnap.exists;
  });
}

/**
 * `DELETE /v1/devices/{deviceId}`: the caller unregisters one of their devices, by the id
 * `registerDevice` answered (the token's hash).
 * @throws AppError `not-found` when the caller has no such device.
 */
export async function unregisterDevice(db: Firestore, callerUid: string, deviceId: string): Promise<{ removed: true }> {
  if (!(await removeDevice(db, callerUid, deviceId))) {
    throw new AppError("not-found", "This device token is not registered for you.");
  }
  return { removed: true };
}
