import { Timestamp, type Firestore, type Transaction } from "firebase-admin/firestore";
import { getAll, refs, type DeviceDoc, type DeviceTokenDoc } from "../shared/model.js";
import type { RegisterDeviceBody } from "./schemas.js";
import { tokenHash } from "./token-hash.js";
import type { DeviceView } from "./views.js";

/** Most devices a user has: a new one past this replaces the least recently refreshed. */
export const MAX_DEVICES_PER_USER = 10;

/**
 * Registers an FCM registration token for the caller, or refreshes it. A token belongs to one
 * user: when another user had it (a shared or handed-on phone), it moves to the caller and that
 * user stops getting pushes on it. A user has at most {@link MAX_DEVICES_PER_USER} devices: a new
 * token past that removes the one refreshed longest ago (apps refresh their token on start, so
 * that is the phone left in a drawer), which bounds every push's fan-out per user. One
 * transaction over `device-tokens/{tokenHash}`, `users/{uid}/devices/{tokenHash}`, the previous
 * owner's device doc and, for a new token, the caller's oldest device (+11 reads at most).
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
    const [ownerSnap, deviceSnap] = await getAll(tx, ownerRef, deviceRef);
    const devices = deviceSnap.exists
      ? undefined
      : await tx.get(refs.devices(db, callerUid).orderBy("updatedAt").limit(MAX_DEVICES_PER_USER));
    if (devices && devices.size >= MAX_DEVICES_PER_USER) evict(tx, db, callerUid, devices.docs[0].id);
    const previousOwner = ownerSnap.data()?.uid;
    if (previousOwner && previousOwner !== callerUid) tx.delete(refs.device(db, previousOwner, id));
    const createdAt = deviceSnap.data()?.createdAt ?? at;
    const device: DeviceDoc = { token: input.token, platform: input.platform, createdAt, updatedAt: at };
    tx.set(deviceRef, device);
    tx.set(ownerRef, { uid: callerUid, updatedAt: at } satisfies DeviceTokenDoc);
    return {
      device: { id, platform: device.platform, createdAt: createdAt.toDate().toISOString(), updatedAt: now.toISOString() },
      created: !deviceSnap.exists,
    };
  });
}

/** Removes `uid`'s device `id` and its owner record (the record is `uid`'s: tokens move whole). */
function evict(tx: Transaction, db: Firestore, uid: string, id: string) {
  tx.delete(refs.device(db, uid, id));
  tx.delete(refs.deviceToken(db, id));
}
