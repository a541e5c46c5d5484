import type { Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { refs, type DeviceTokenDoc } from "../shared/model.js";
import { tokenHash } from "./token-hash.js";

/**
 * Removes one of `uid`'s registration tokens (sign-out on a device, or FCM said it is dead).
 * Deletes `users/{uid}/devices/{tokenHash}`, and `device-tokens/{tokenHash}` while it still
 * points at `uid`; one transaction. Returns `false` when `uid` had no such token.
 */
export function removeDevice(db: Firestore, uid: string, id: string): Promise<boolean> {
  const ownerRef = refs.deviceToken(db, id);
  const deviceRef = refs.device(db, uid, id);
  return db.runTransaction(async (tx) => {
    const [ownerSnap, deviceSnap] = await tx.getAll(ownerRef, deviceRef);
    if ((ownerSnap.data() as DeviceTokenDoc | undefined)?.uid === uid) tx.delete(ownerRef);
    tx.delete(deviceRef);
    return deviceSnap.exists;
  });
}

/**
 * `DELETE /v1/devices/{token}`: the caller unregisters one of their tokens.
 * @throws AppError `not-found` when the caller has no such token.
 */
export async function unregisterDevice(db: Firestore, callerUid: string, token: string): Promise<{ removed: true }> {
  if (!(await removeDevice(db, callerUid, tokenHash(token)))) {
    throw new AppError("not-found", "This device token is not registered for you.");
  }
  return { removed: true };
}
