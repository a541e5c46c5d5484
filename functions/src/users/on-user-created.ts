import * as functionsV1 from "firebase-functions/v1";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { createUserProfile } from "./create-user-profile.js";
import { toNewAuthUser } from "./find-auth-user.js";

/**
 * Auth user-created trigger: writes `users/{uid}`. Auth "user created" events exist only as a
 * 1st gen trigger (2nd gen offers blocking functions, which need Identity Platform). Calls that
 * need a profile make it too when this never ran (`ensure-profile.ts`), from the same record.
 */
export const onUserCreated = functionsV1.auth.user().onCreate(async (user) => {
  const created = await createUserProfile(db(), new Date(), toNewAuthUser(user));
  logs.userProfileCreated(user.uid, created);
});
