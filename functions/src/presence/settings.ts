import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { receiptsOff, refs, type PresenceDoc, type UserSettingsDoc } from "../shared/model.js";
import { readUserSettings } from "../timeline/private-state.js";
import type { UpdateSettingsBody } from "./schemas.js";
import type { PrivacySettings } from "./views.js";

/** The settings of a user who never changed them. */
export const DEFAULT_SETTINGS: PrivacySettings = { presence: "contacts", readReceipts: true };

/** `user-settings/{uid}` (or nothing: the defaults) as {@link PrivacySettings}. */
function toPrivacySettings(doc: UserSettingsDoc | undefined): PrivacySettings {
  return { presence: doc?.presence ?? DEFAULT_SETTINGS.presence, readReceipts: !receiptsOff(doc) };
}

/** `getSettings`: the caller's privacy settings (`user-settings/{uid}`, or the defaults). 1 read. */
export async function getSettings(db: Firestore, uid: string): Promise<PrivacySettings> {
  return toPrivacySettings(await readUserSettings(db, uid));
}

/**
 * `updateSettings`: stores the given privacy settings in `user-settings/{uid}` (merged: what is
 * left out, and the user's private chat state, stay), and copies who may see their presence onto
 * `presence/{uid}.visibility`, where the rules check it, in one transaction (1 read, 1-2
 * writes): `nobody` hides them from everyone at once, listeners included. Read receipts off make
 * the user's next reads private; back on, their next read of each 1:1 chat is shown again, up to
 * what they read meanwhile (`messages/mark-read.ts`).
 */
export async function updateSettings(db: Firestore, now: Date, uid: string, input: UpdateSettingsBody): Promise<PrivacySettings> {
  return db.runTransaction(async (tx) => {
    const before = await readUserSettings(db, uid, tx);
    const fields: UserSettingsDoc = {
      presence: input.presence ?? before?.presence ?? DEFAULT_SETTINGS.presence,
      ...(input.readReceipts !== undefined && { readReceipts: input.readReceipts }),
      updatedAt: Timestamp.fromDate(now),
    };
    tx.set(refs.userSettings(db, uid), fields, { merge: true });
    if (input.presence !== undefined) {
      const visibility: Pick<PresenceDoc, "visibility"> = { visibility: input.presence };
      tx.set(refs.presence(db, uid), visibility, { merge: true });
    }
    return toPrivacySettings({ ...before, ...fields });
  });
}
