import { describe, expect, it } from "vitest";
import type { MutedUsers, UserMute } from "../../functions/src/users/views.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { newClient } from "../helpers/parley-client.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

/** A room hosted by `host` that `others` joined, each member with a device; its id. */
async function roomWithDevices(host: TestUser, ...others: TestUser[]): Promise<string> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Mutes" } });
  for (const user of others) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  for (const user of [host, ...others]) {
    await api(user, "POST", "/devices", { body: { token: `mute-${user.uid}`, platform: "ios" } });
  }
  return room.body.chat.id;
}

/** Whom room message `number` was pushed to, once its fan-out (one range in a small room) is done. */
function pushedTo(chatId: string, number: number): Promise<unknown[]> {
  return eventually(async () => {
    const marker = await adminDb().doc(`fan-outs/${chatId}-${number}-0`).get();
    if (marker.get("state") !== "done") throw new Error("push not finished yet");
    const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).get();
    return outbox.docs
      .filter((doc) => doc.get("number") === number)
      .map((doc): unknown => doc.get("uid"))
      .sort();
  });
}

/** Whom 1:1 message `number` was pushed to, once its push claim is done. */
function directPushedTo(chatId: string, number: number): Promise<unknown[]> {
  return eventually(async () => {
    const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).get();
    const pushed = outbox.docs.filter((doc) => doc.get("number") === number).map((doc): unknown => doc.get("uid"));
    if (pushed.length === 0) throw new Error("not pushed yet");
    return pushed;
  });
}

const mute = (user: TestUser, uid: string) => api<UserMute>(user, "POST", `/users/${uid}/mute`);
const unmute = (user: TestUser, uid: string) => api<UserMute>(user, "POST", `/users/${uid}/unmute`);

describe("mute a user", () => {
  it("when A muted B in a room, then B's messages push to the others but not to A, even mentioning A; an unmute restores them", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const roomId = await roomWithDevices(alice, bob, mallory);

    const muted = await mute(alice, mallory.uid);
    const whileMuted = await send(mallory, roomId, "buy my stuff");
    // Bob has an unread pushed message by now: only a mention pushes him again (one push per unread streak).
    const mention = await api<{ message: { number: number } }>(mallory, "POST", `/chats/${roomId}/messages`, {
      body: { text: "@Alice @Bob look", mentions: [alice.uid, bob.uid] },
    });
    const fromBob = await send(bob, roomId, "hi all");

    expect(muted).toMatchObject({ status: 200, body: { uid: mallory.uid, muted: true } });
    expect(await pushedTo(roomId, whileMuted.number)).toEqual([bob.uid]);
    expect(await pushedTo(roomId, mention.body.message.number)).toEqual([bob.uid]);
    expect(await pushedTo(roomId, fromBob.number)).toEqual([alice.uid, mallory.uid].sort());

    const unmuted = await unmute(alice, mallory.uid);
    // Alice reads what Bob's message pushed her, so Mallory's next one opens a new streak for her.
    await api(alice, "POST", `/chats/${roomId}/read`, { body: {} });
    const afterUnmute = await send(mallory, roomId, "sorry");

    expect(unmuted).toMatchObject({ status: 200, body: { uid: mallory.uid, muted: false, mutedAt: null } });
    expect(await pushedTo(roomId, afterUnmute.number)).toEqual([alice.uid, bob.uid].sort());
  });

  it("when A muted B, then their 1:1 chat still pushes: a 1:1 chat has its own mute", async () => {
    const [alice, mallory] = await signUpMany("Alice", "Mallory");
    const chatId = await createChat(alice, mallory);
    await api(alice, "POST", "/devices", { body: { token: `mute-direct-${alice.uid}`, platform: "ios" } });
    await mute(alice, mallory.uid);

    const sent = await send(mallory, chatId, "still here");

    expect(await directPushedTo(chatId, sent.number)).toEqual([alice.uid]);
  });

  it("when a user mutes some users, then they are listed newest first with their names; muting again keeps the first time", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");

    const [first] = await Promise.all([mute(alice, bob.uid), mute(alice, carol.uid)]);
    const again = await mute(alice, bob.uid);
    const listed = await api<MutedUsers>(alice, "GET", "/users/muted");
    const theirs = await api<MutedUsers>(bob, "GET", "/users/muted");

    expect(again.body).toEqual(first.body);
    expect(listed.body.mutedUsers.map(({ uid, displayName }) => [uid, displayName]).sort()).toEqual(
      [
        [bob.uid, bob.displayName],
        [carol.uid, carol.displayName],
      ].sort(),
    );
    const times = listed.body.mutedUsers.map(({ mutedAt }) => mutedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(theirs.body.mutedUsers).toEqual([]);
    const settings = await adminDb().doc(`user-settings/${alice.uid}`).get();
    expect(Object.keys(settings.get("mutedUsers") as object).sort()).toEqual([bob.uid, carol.uid].sort());
  });

  it("when a user mutes themselves or an unknown uid, then 400 or 404 and nothing is stored; the callables answer the same", async () => {
    const [bob, carol] = await signUpMany("Bob", "Carol");

    expect(await mute(bob, bob.uid)).toMatchObject({
      status: 400,
      body: { error: { code: "invalid-argument", message: "uid: you cannot mute yourself" } },
    });
    expect(await mute(bob, "no-such-user")).toMatchObject({ status: 404, body: { error: { code: "not-found" } } });
    expect((await adminDb().doc(`user-settings/${bob.uid}`).get()).get("mutedUsers")).toBeUndefined();

    const asBob = await clientFor(bob);
    try {
      const muted = await asBob.call<UserMute>("muteUser", { uid: carol.uid });
      const listed = await asBob.call<MutedUsers>("listMutedUsers", {});
      const unmuted = await asBob.call<UserMute>("unmuteUser", { uid: carol.uid });
      expect(muted).toMatchObject({ uid: carol.uid, muted: true });
      expect(listed.mutedUsers.map(({ uid }) => uid)).toEqual([carol.uid]);
      expect(unmuted).toEqual({ uid: carol.uid, muted: false, mutedAt: null });
      expect(await callFailure(asBob.call("muteUser", { uid: bob.uid }))).toMatchObject({ code: "functions/invalid-argument" });
      expect((await asBob.call<MutedUsers>("listMutedUsers", {})).mutedUsers).toEqual([]);
    } finally {
      await asBob.close();
    }
  });

  it("when the client library mutes and unmutes, then its REST and callable wrappers answer as the API does", async () => {
    const [dana, erin] = await Promise.all([newClient("Dana"), newClient("Erin")]);

    const muted = await dana.client.rest.muteUser({ uid: erin.uid });
    const listed = await dana.client.callables.listMutedUsers({});
    const unmuted = await dana.client.callables.unmuteUser({ uid: erin.uid });

    expect(muted).toMatchObject({ uid: erin.uid, muted: true });
    const displayName: unknown = (await adminDb().doc(`users/${erin.uid}`).get()).get("displayName");
    expect(listed.mutedUsers).toEqual([{ uid: erin.uid, displayName, mutedAt: muted.mutedAt }]);
    expect(unmuted).toEqual({ uid: erin.uid, muted: false, mutedAt: null });
    expect((await dana.client.rest.listMutedUsers()).mutedUsers).toEqual([]);
  });
});
