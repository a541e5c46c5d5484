import { describe, expect, it } from "vitest";
import { newUserProfile } from "../../functions/src/users/create-user-profile.js";
import { authCreationTime, toNewAuthUser } from "../../functions/src/users/find-auth-user.js";

const now = new Date("2026-12-02T08:00:00.000Z");

describe("profiles made from Firebase Auth", () => {
  it("when the trigger's record and an Auth lookup describe one account, then both make the same profile", () => {
    // The Auth user-created event carries an ISO time to the millisecond; getUser a UTC string to the second.
    const fromTrigger = toNewAuthUser({
      uid: "u1",
      email: "dana@example.com",
      displayName: "Dana",
      photoURL: null,
      metadata: { creationTime: "2026-12-01T10:15:30.789Z" },
    });
    const fromLookup = toNewAuthUser({
      uid: "u1",
      email: "dana@example.com",
      displayName: "Dana",
      metadata: { creationTime: "Tue, 01 Dec 2026 10:15:30 GMT" },
    });

    const a = newUserProfile(fromTrigger, now);
    const b = newUserProfile(fromLookup, new Date(now.getTime() + 60_000));

    expect(a).toEqual(b);
    expect(a).toMatchObject({ displayName: "Dana", photoURL: null });
    expect(a.createdAt.toDate().toISOString()).toBe("2026-12-01T10:15:30.000Z");
  });

  it("when Auth gives no usable creation time, then the profile's createdAt is now", () => {
    expect(authCreationTime(undefined)).toBeUndefined();
    expect(authCreationTime(null)).toBeUndefined();
    expect(authCreationTime("")).toBeUndefined();
    expect(authCreationTime("not a date")).toBeUndefined();
    const user = toNewAuthUser({ uid: "u2", metadata: { creationTime: "not a date" } });
    expect(user).not.toHaveProperty("createdAt");
    expect(newUserProfile(user, now).createdAt.toDate()).toEqual(now);
    expect(newUserProfile(toNewAuthUser({ uid: "u3" }), now).createdAt.toDate()).toEqual(now);
  });

  it("when the account has no display name, then the e-mail's local part, or else 'Parley user', cleaned of control and bidi characters", () => {
    expect(newUserProfile({ uid: "u", email: "erin.k@example.com" }, now).displayName).toBe("erin.k");
    expect(newUserProfile({ uid: "u", displayName: "  ", email: "\u202Eevil@example.com" }, now).displayName).toBe("evil");
    expect(newUserProfile({ uid: "u", displayName: "\u202E" }, now).displayName).toBe("Parley user");
    expect(newUserProfile({ uid: "u", displayName: "Zoë\u0007", photoURL: "https://example.com/z.png" }, now)).toMatchObject({
      displayName: "Zoë",
      photoURL: "https://example.com/z.png",
    });
  });
});
