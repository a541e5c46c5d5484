import { describe, expect, it } from "vitest";
import { tokenHash } from "../../functions/src/devices/token-hash.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { signUpMany } from "../helpers/users.js";

const deviceDoc = (uid: string, token: string) =>
  adminDb()
    .doc(`users/${uid}/devices/${tokenHash(token)}`)
    .get();

describe("device tokens", () => {
  it("when a user registers a token, then it is stored under the user; registering again refreshes it", async () => {
    const [alice] = await signUpMany("Alice");
    const token = `fcm-token-${alice.uid}:APA91b`;

    const first = await api<{ device: { id: string; platform: string } }>(alice, "POST", "/devices", {
      body: { token, platform: "android" },
    });
    const again = await api<{ device: { id: string; platform: string } }>(alice, "POST", "/devices", {
      body: { token, platform: "android" },
    });

    expect(first.status).toBe(201);
    expect(first.body.device).toMatchObject({ id: tokenHash(token), platform: "android" });
    expect(again.status).toBe(200);
    expect((await deviceDoc(alice.uid, token)).data()).toMatchObject({ token, platform: "android" });
    expect(
      (
        await adminDb()
          .doc(`device-tokens/${tokenHash(token)}`)
          .get()
      ).data(),
    ).toMatchObject({ uid: alice.uid });
  });

  it("when another user registers the same token, then it moves to them", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const token = `shared-phone-${alice.uid}`;
    await api(alice, "POST", "/devices", { body: { token, platform: "ios" } });

    const moved = await api(bob, "POST", "/devices", { body: { token, platform: "ios" } });

    expect(moved.status).toBe(201);
    expect((await deviceDoc(alice.uid, token)).exists).toBe(false);
    expect((await deviceDoc(bob.uid, token)).exists).toBe(true);
    expect(
      (
        await adminDb()
          .doc(`device-tokens/${tokenHash(token)}`)
          .get()
      ).get("uid"),
    ).toBe(bob.uid);
  });

  it("when a user unregisters their device by its id, then it is gone; someone else's or an unknown device is 404, and a token in the URL is refused", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const token = `web-token/${alice.uid}+x=`;
    const registered = await api<{ device: { id: string } }>(alice, "POST", "/devices", { body: { token, platform: "web" } });
    const id = registered.body.device.id;

    const byToken = await api(alice, "DELETE", `/devices/${encodeURIComponent(token)}`);
    const byOther = await api(bob, "DELETE", `/devices/${id}`);
    expect((await deviceDoc(alice.uid, token)).exists).toBe(true);
    const removed = await api(alice, "DELETE", `/devices/${id}`);
    const again = await api(alice, "DELETE", `/devices/${id}`);

    expect(id).toBe(tokenHash(token));
    expect(byToken).toMatchObject({
      status: 400,
      body: { error: { message: "deviceId: must be a device id (the `id` registerDevice answered), not a token" } },
    });
    expect(byOther.status).toBe(404);
    expect(removed).toMatchObject({ status: 200, body: { removed: true } });
    expect(again).toMatchObject({ status: 404, body: { error: { code: "not-found" } } });
    expect((await deviceDoc(alice.uid, token)).exists).toBe(false);
    expect(
      (
        await adminDb()
          .doc(`device-tokens/${tokenHash(token)}`)
          .get()
      ).exists,
    ).toBe(false);
  });

  it("when a user registers an 11th device, then the one refreshed longest ago is removed and 10 remain", async () => {
    const [alice] = await signUpMany("Alice");
    const tokens = Array.from({ length: 11 }, (_, i) => `many-${alice.uid}-${i}`);
    for (const token of tokens.slice(0, 10)) await api(alice, "POST", "/devices", { body: { token, platform: "android" } });
    await api(alice, "POST", "/devices", { body: { token: tokens[0], platform: "android" } });

    const eleventh = await api(alice, "POST", "/devices", { body: { token: tokens[10], platform: "android" } });

    expect(eleventh.status).toBe(201);
    const left = await adminDb().collection(`users/${alice.uid}/devices`).get();
    expect(left.docs.map((doc) => doc.get("token")).sort()).toEqual([tokens[0], ...tokens.slice(2)].sort());
    expect(
      (
        await adminDb()
          .doc(`device-tokens/${tokenHash(tokens[1])}`)
          .get()
      ).exists,
    ).toBe(false);
  });

  it("when the body is wrong, then 400 and nothing is stored", async () => {
    const [alice] = await signUpMany("Alice");

    const badPlatform = await api(alice, "POST", "/devices", { body: { token: "t-1", platform: "symbian" } });
    const noToken = await api(alice, "POST", "/devices", { body: { platform: "ios" } });

    expect(badPlatform).toMatchObject({
      status: 400,
      body: { error: { message: "platform: must be one of ios, android, web" } },
    });
    expect(noToken).toMatchObject({ status: 400, body: { error: { message: "token: is required" } } });
    expect((await adminDb().collection(`users/${alice.uid}/devices`).get()).size).toBe(0);
  });
});

describe("mute", () => {
  it("when a member mutes a chat, then their chat view says so until they unmute; other members are unaffected", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const until = new Date(Date.now() + 3_600_000).toISOString();

    const muted = await api(alice, "POST", `/chats/${chatId}/mute`, { body: { until } });
    const aliceView = await api<{ chat: Record<string, unknown> }>(alice, "GET", `/chats/${chatId}`);
    const bobView = await api<{ chat: Record<string, unknown> }>(bob, "GET", `/chats/${chatId}`);
    const forever = await api(alice, "POST", `/chats/${chatId}/mute`, { body: {} });
    const unmuted = await api(alice, "POST", `/chats/${chatId}/unmute`);

    expect(muted).toMatchObject({ status: 200, body: { chatId, muted: true, mutedUntil: until } });
    expect(aliceView.body.chat).toMatchObject({ muted: true, mutedUntil: until });
    expect(bobView.body.chat).toMatchObject({ muted: false, mutedUntil: null });
    expect(forever.body).toEqual({ chatId, muted: true, mutedUntil: null });
    expect(unmuted.body).toEqual({ chatId, muted: false, mutedUntil: null });
    // A 1:1 mute is private: never on the chat doc both members read.
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("mutedUntil")).toBeUndefined();
    expect((await adminDb().doc(`user-settings/${alice.uid}`).get()).get(`direct.${chatId}`)).toEqual({});
  });

  it("when a 1:1 chat was muted by a version that kept mutes on the chat doc, then it stays muted, and unmuting clears it", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await adminDb()
      .doc(`chats/${chatId}`)
      .update({ [`mutedUntil.${alice.uid}`]: null });

    const before = await api<{ chat: Record<string, unknown> }>(alice, "GET", `/chats/${chatId}`);
    await api(alice, "POST", `/chats/${chatId}/unmute`);
    const after = await api<{ chat: Record<string, unknown> }>(alice, "GET", `/chats/${chatId}`);

    expect(before.body.chat).toMatchObject({ muted: true, mutedUntil: null });
    expect(after.body.chat).toMatchObject({ muted: false });
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("mutedUntil")).toEqual({});
  });

  it("when until is in the past or not a date, or the caller is not a member, then it is refused", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);

    const past = await api(alice, "POST", `/chats/${chatId}/mute`, { body: { until: "2020-01-01T00:00:00Z" } });
    const notADate = await api(alice, "POST", `/chats/${chatId}/mute`, { body: { until: "tomorrow" } });
    const outsider = await api(mallory, "POST", `/chats/${chatId}/mute`, { body: {} });

    expect(past).toMatchObject({ status: 400, body: { error: { message: "until: must be in the future" } } });
    expect(notADate).toMatchObject({ status: 400, body: { error: { code: "invalid-argument" } } });
    expect(outsider.status).toBe(404);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("mutedUntil")).toBeUndefined();
    expect((await adminDb().doc(`user-settings/${alice.uid}`).get()).exists).toBe(false);
    expect((await adminDb().doc(`user-settings/${mallory.uid}`).get()).exists).toBe(false);
  });
});
