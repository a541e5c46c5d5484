import * as functionsV1 from "firebase-functions/v1";
import { logs } from "../logs.js";
import { db } from "../shared/firebase.js";
import { handleEvent } from "../triggers.js";
import { createUserProfile } from "./create-user-profile.js";
import { toNewAuthUser } from "./find-auth-user.js";

/**
 * Auth user-created trigger: writes `users/{uid}`. Auth "user created" events exist only as a
 * 1st gen trigger (2nd gen offers blocking functions, which need Identity Platform); it is
 * deployed with "retry on failure" (`failurePolicy`), and fails as `handleEvent` says. Calls that
 * need a profile make it too when this never ran (`ensure-profile.ts`), from the same record.
 */
export const onUserCreated = functionsV1
  .runWith({ failurePolicy: true })
  .auth.user()
  .onCreate((user, context) =>
    handleEvent("onUserCreated", { id: context.eventId, time: context.timestamp, subject: `users/${user.uid}` }, async (now) => {
      const created = await createUserProfile(db(), now, toNewAuthUser(user));
      logs.userProfileCreated(user.uid, created);
    }),
  );
