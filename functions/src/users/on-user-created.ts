import * as functionsV1 from "firebase-functions/v1";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { createUserProfile } from "./create-user-profile.js";

/**
 * Auth user-created trigger: writes `users/{uid}`. Auth "user created" events exist only as a
 * 1st gen trigger (2nd gen offers blocking functions, which need Identity Platform).
 */
export const onUserCreated = functionsV1.auth.user().onCreate(async (user) => {
  const created = await createUserProfile(db(), new Date(), {
    uid: user.uid,
    email: user.email,
    displayName: user.displayName,
    photoURL: user.photoURL,
  });
  logs.userProfileCreated(user.uid, created);
});
