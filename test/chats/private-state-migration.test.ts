import { FieldValue } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { migratePrivateState } from "../../functions/src/chats/migrate-private-state.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { signUpMany } from "../helpers/users.js";

describe("moving blocks and mutes off the shared 1:1 chat doc", () => {
  it("when chats still hold blockedBy and mutedUntil, then the migration leaves only blocked on them, moves each mute to its member, and a rerun changes nothing", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const blockedChat = await createChat(alice, bob);
    const mutedChat = await createChat(alice, carol);
    await send(alice, blockedChat, "hi");
    await api(bob, "POST", "/blocks", { body: { uid: alice.uid } });
    const until = new Date(Date.now() + 3_600_000);
    // As the code before left them: the blocker's uid and the mutes on the chat docs.
    await adminDb()
      .doc(`chats/${blockedChat}`)
      .update({ blocked: FieldValue.delete(), blockedBy: [bob.uid] });
    await adminDb()
      .doc(`chats/${mutedChat}`)
      .update({ mutedUntil: { [alice.uid]: until, [carol.uid]: null } });
    // Carol muted since, privately: her private mute wins over the old one.
    await api(carol, "POST", `/chats/${mutedChat}/mute`, { body: { until: new Date(Date.now() + 7_200_000).toISOString() } });
    await adminDb()
      .doc(`chats/${mutedChat}`)
      .update({ [`mutedUntil.${carol.uid}`]: null });

    const first = await migratePrivateState(adminDb());
    const again = await migratePrivateState(adminDb());

    expect(first.migrated).toBeGreaterThanOrEqual(2);
    expect(again.migrated).toBe(0);
    const blocked = (await adminDb().doc(`chats/${blockedChat}`).get()).data();
    expect(blocked).toMatchObject({ blocked: true });
    expect(blocked).not.toHaveProperty("blockedBy");
    expect((await adminDb().doc(`chats/${mutedChat}`).get()).data()).not.toHaveProperty("mutedUntil");
    const aliceMute = (await adminDb().doc(`user-settings/${alice.uid}`).get()).get(`direct.${mutedChat}.mutedUntil`);
    expect(aliceMute.toMillis()).toBe(until.getTime());
    const carolView = await api<{ chat: { mutedUntil: string | null } }>(carol, "GET", `/chats/${mutedChat}`);
    expect(carolView.body.chat.mutedUntil).not.toBeNull();
    expect((await api(alice, "POST", `/chats/${blockedChat}/messages`, { body: { text: "still there?" } })).status).toBe(403);
  });
});
