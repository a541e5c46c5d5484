import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUserProfile, newUserProfile, type NewAuthUser } from "../../functions/src/users/create-user-profile.js";
import { emailHash } from "../../functions/src/users/email-hash.js";
import { ensureProfile } from "../../functions/src/users/ensure-profile.js";
import { toNewAuthUser } from "../../functions/src/users/find-auth-user.js";
import { adminAuth, adminDb } from "../helpers/admin.js";
import { api } from "../helpers/api.js";
import { withoutBackgroundTriggers } from "../helpers/emulators.js";
import { signUpMany, signUpWithoutTrigger, type TestUser } from "../helpers/users.js";

const profileOf = async (uid: string) => (await adminDb().doc(`users/${uid}`).get()).data();
/** The profile the trigger would have made from `user`'s Auth record. */
const expectedProfile = async (user: TestUser) => newUserProfile(toNewAuthUser(await adminAuth().getUser(user.uid)), new Date(0));
const systemTexts = async (chatId: string) =>
  (await adminDb().collection(`chats/${chatId}/messages`).orderBy("number").get()).docs
    .filter((snap) => snap.get("type") === "system")
    .map((snap) => snap.get("text") as string);

/**
 * Asserts that `user` has the profile made from their Auth record, and no e-mail link: their
 * address is not verified, and `user-emails` holds verified addresses only.
 */
async function expectRepaired(user: TestUser): Promise<void> {
  expect(await profileOf(user.uid)).toEqual(await expectedProfile(user));
  expect(
    (
      await adminDb()
        .doc(`user-emails/${emailHash(user.email)}`)
        .get()
    ).exists,
  ).toBe(false);
}

// Sign-ups whose Auth user-created trigger never runs: triggers are off while they sign up and
// until the test is done, so no late event can make the profile behind the test's back.
describe("a profile for every account", () => {
  it("when a sign-up's trigger never ran, then their first call, the directory, makes their profile and lists them", async () => {
    await withoutBackgroundTriggers(async () => {
      const ghost = await signUpWithoutTrigger("Ghost");
      expect(await profileOf(ghost.uid)).toBeUndefined();

      const found = await api<{ users: { uid: string }[] }>(ghost, "GET", `/users?q=${encodeURIComponent(ghost.displayName)}`);

      expect(found).toMatchObject({
        status: 200,
        body: { users: [{ uid: ghost.uid, displayName: ghost.displayName, email: ghost.email, photoURL: null }] },
      });
      await expectRepaired(ghost);
    });
  });

  it("when someone blocks a user whose trigger never ran, then the block is made (201) with their name", async () => {
    const [alice] = await signUpMany("Alice");
    await withoutBackgroundTriggers(async () => {
      const ghost = await signUpWithoutTrigger("Ghost");

      const blocked = await api(alice, "POST", "/blocks", { body: { uid: ghost.uid } });
      const again = await api(alice, "POST", "/blocks", { body: { uid: ghost.uid } });

      expect(blocked).toMatchObject({ status: 201, body: { block: { uid: ghost.uid, displayName: ghost.displayName } } });
      expect(again.status).toBe(200);
      await expectRepaired(ghost);
    });
  });

  it("when the blocked uid is unknown to Auth too, then 404 and nothing is written", async () => {
    const [alice] = await signUpMany("Alice");
    const nobody = `nobody-${randomUUID()}`;

    const blocked = await api(alice, "POST", "/blocks", { body: { uid: nobody } });

    expect(blocked).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: `User ${nobody} does not exist.` } },
    });
    expect(await profileOf(nobody)).toBeUndefined();
    expect((await adminDb().doc(`blocks/${alice.uid}_${nobody}`).get()).exists).toBe(false);
  });

  it("when two users whose triggers never ran open a chat, then it opens (201) and both get their profile", async () => {
    await withoutBackgroundTriggers(async () => {
      const [ann, ben] = [await signUpWithoutTrigger("Ann"), await signUpWithoutTrigger("Ben")];

      const opened = await api<{ chat: { id: string } }>(ann, "POST", "/chats", { body: { memberUid: ben.uid } });

      expect(opened.status).toBe(201);
      await expectRepaired(ann);
      await expectRepaired(ben);
      // They share no room: Ben finds the chat among his message requests.
      const listed = await api<{ chats: { id: string }[] }>(ben, "GET", "/chats?filter=requests");
      expect(listed.body.chats.map((chat) => chat.id)).toEqual([opened.body.chat.id]);
    });
  });

  it("when users whose triggers never ran create a room and join it, then both calls work and name them", async () => {
    await withoutBackgroundTriggers(async () => {
      const [host, joiner] = [await signUpWithoutTrigger("Host"), await signUpWithoutTrigger("Joiner")];

      const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Ghosts" } });
      await expectRepaired(host);
      const joined = await api(joiner, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });

      expect(room.status).toBe(201);
      expect(joined).toMatchObject({ status: 200, body: { joined: true, chat: { id: room.body.chat.id, memberCount: 2 } } });
      await expectRepaired(joiner);
      expect(await systemTexts(room.body.chat.id)).toEqual([`${joiner.displayName} joined`]);
    });
  });

  it("when a member's profile is missing as they leave, then it is made again and the message names them", async () => {
    const [host, member] = await signUpMany("Host", "Member");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Old" } });
    await api(member, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    // As a member who joined before profiles were repaired, and whose trigger failed.
    await adminDb().doc(`users/${member.uid}`).delete();

    const left = await api(member, "POST", `/rooms/${room.body.chat.id}/leave`);

    expect(left.status).toBe(200);
    await expectRepaired(member);
    expect(await systemTexts(room.body.chat.id)).toEqual([`${member.displayName} joined`, `${member.displayName} left`]);
  });
});

describe("the trigger and a repair at once", () => {
  /** An Auth record (no Auth user needed: the repair gets Auth lookups as an argument). */
  const record = (): NewAuthUser => {
    const uid = `race-${randomUUID()}`;
    return {
      uid,
      email: `${uid}@example.com`,
      emailVerified: true,
      displayName: "Racer",
      createdAt: new Date("2026-12-01T09:00:00.000Z"),
    };
  };
  const orders = {
    "the trigger, then the repair": async (user: NewAuthUser, findUser: () => Promise<NewAuthUser>) => {
      const trigger = await createUserProfile(adminDb(), new Date(1_000), user);
      return { trigger, repair: await ensureProfile(adminDb(), { now: new Date(2_000), uid: user.uid, findUser }) };
    },
    "the repair, then the trigger": async (user: NewAuthUser, findUser: () => Promise<NewAuthUser>) => {
      const repair = await ensureProfile(adminDb(), { now: new Date(2_000), uid: user.uid, findUser });
      return { repair, trigger: await createUserProfile(adminDb(), new Date(1_000), user) };
    },
    "both at once, the trigger first": async (user: NewAuthUser, findUser: () => Promise<NewAuthUser>) => {
      const [trigger, repair] = await Promise.all([
        createUserProfile(adminDb(), new Date(1_000), user),
        ensureProfile(adminDb(), { now: new Date(2_000), uid: user.uid, findUser }),
      ]);
      return { trigger, repair };
    },
    "both at once, the repair first": async (user: NewAuthUser, findUser: () => Promise<NewAuthUser>) => {
      const [repair, trigger] = await Promise.all([
        ensureProfile(adminDb(), { now: new Date(2_000), uid: user.uid, findUser }),
        createUserProfile(adminDb(), new Date(1_000), user),
      ]);
      return { trigger, repair };
    },
  };

  for (const [order, run] of Object.entries(orders)) {
    it(`when ${order} run, then the profile is created once and is the same either way`, async () => {
      const user = record();
      let lookups = 0;
      const findUser = () => {
        lookups++;
        return Promise.resolve(user);
      };

      const { trigger, repair } = await run(user, findUser);

      const stored = await profileOf(user.uid);
      expect(stored).toEqual(newUserProfile(user, new Date(0)));
      expect(repair?.profile).toEqual(stored);
      expect([trigger, repair?.created].filter(Boolean)).toEqual([true]);
      expect(lookups).toBe(repair?.repaired ? 1 : 0);
      expect(
        (
          await adminDb()
            .doc(`user-emails/${emailHash(user.email ?? "")}`)
            .get()
        ).data(),
      ).toEqual({ uid: user.uid });
    });
  }
});
