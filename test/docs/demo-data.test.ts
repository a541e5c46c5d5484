import { describe, expect, it } from "vitest";
import { api } from "../helpers/api.js";
import { download } from "../helpers/files.js";
import { signIn } from "../helpers/users.js";

// emulator-data/ is imported by `npm start` and `npm test` alike.
describe("demo data", () => {
  it("when alice signs in with the demo password, then she finds bob, carol and her chat with bob, photo included", async () => {
    const alice = await signIn("alice@example.com", "parley-demo");
    const bob = await signIn("bob@example.com", "parley-demo");
    const carol = await signIn("carol@example.com", "parley-demo");

    const names = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const path: string = `/users?limit=100${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await api<{ users: { uid: string; displayName: string }[]; nextCursor: string | null }>(alice, "GET", path);
      for (const user of page.body.users) names.set(user.uid, user.displayName);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect([names.get(alice.uid), names.get(bob.uid), names.get(carol.uid)]).toEqual(["Alice", "Bob", "Carol"]);

    const chats = await api<{ chats: { id: string; members: string[]; messageCount: number }[] }>(alice, "GET", "/chats");
    const withBob = chats.body.chats.find((chat) => chat.members.includes(bob.uid));
    expect(withBob).toMatchObject({ id: [alice.uid, bob.uid].sort().join("_"), messageCount: 5, type: "direct" });

    const messages = await api<{ messages: { number: number; from: string; type: string }[] }>(
      bob,
      "GET",
      `/chats/${withBob?.id}/messages`,
    );
    expect(messages.body.messages.map((message) => [message.number, message.from, message.type])).toEqual([
      [1, alice.uid, "text"],
      [2, bob.uid, "text"],
      [3, alice.uid, "text"],
      [4, bob.uid, "text"],
      [5, bob.uid, "image"],
    ]);
    // The photo's objects come back from the Storage part of the export.
    const photo = await download(alice, `/v1/chats/${withBob?.id}/messages/5/file`);
    const thumbnail = await download(alice, `/v1/chats/${withBob?.id}/messages/5/thumbnail`);
    expect([photo.status, photo.headers.get("content-type"), thumbnail.status]).toEqual([200, "image/jpeg", 200]);
  });
});
