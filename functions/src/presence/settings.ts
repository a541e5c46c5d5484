import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { refs, type PresenceDoc, type UserSettingsDoc } from "../shared/model.js";
import type { UpdateSettingsBody } from "./schemas.js";
import type { PrivacySettings } from "./views.js";

/** The settings of a user who never changed them. */
export const DEFAULT_SETTINGS: PrivacySettings = { presence: "contacts" };

/** `getSettings`: the caller's privacy settings (`user-settings/{uid}`, or the defaults). 1 read. */
export async function getSettings(db: Firestore, uid: string): Promise<PrivacySettings> {
  const doc = (await refs.userSettings(db, uid).get()).data() as UserSettingsDoc | undefined;
  return { presence: doc?.presence ?? DEFAULT_SETTINGS.presence };
}

/**
 * `updateSettings`: stores the caller's privacy settings in `user-settings/{uid}` and copies who
 * may see their presence onto `presence/{uid}.visibility`, where the rules check it, in one
 * batch (2 writes): `nobody` hides them from everyone at once, listeners included.
 */
export async function updateSettings(db: Firestore, now: Date, uid: string, input: UpdateSettingsBody): Promise<PrivacySettings> {
  const settings: UserSettingsDoc = { presence: input.presence, updatedAt: Timestamp.fromDate(now) };
  const visibility: Pick<PresenceDoc, "visibility"> = { visibility: input.presence };
  await db.batch().set(refs.userSettings(db, uid), settings).set(refs.presence(db, uid), visibility, { merge: true }).commit();
  return { presence: input.presence };
}
