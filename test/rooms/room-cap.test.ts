import { describe, expect, it } from "vitest";
import { MAX_ROOMS_PER_USER } from "../../functions/src/timeline/room-count.js";
import { api } from "../helpers/api.js";
import { signUpMany, signUpUnlimited } from "../helpers/users.js";

type NewRoom = { chat: { id: string }; inviteCode: string };

// 100 room creations through the API: 74-88 s on the fresh-clone runs of 2026-12-02, under the
// suite's load; the timeout leaves room for a slower machine.
describe("rooms per user", () => {
  it("when a user is in 100 rooms, then they can create or join no other, may join one again, and the chat list still pages through all", async () => {
    const [busy] = await signUpUnlimited("Busy");
    const [other] = await signUpMany("Other");
    const rooms: NewRoom[] = [];
    for (let wave = 0; wave < MAX_ROOMS_PER_USER / 10; wave++) {
      const made = await Promise.all(
        Array.from({ length: 10 }, (_, i) => api<NewRoom>(busy, "POST", "/rooms", { body: { title: `Room ${wave}-${i}` } })),
      );
      rooms.push(...made.map((room) => room.body));
    }
    const elsewhere = await api<NewRoom>(other, "POST", "/rooms", { body: { title: "One more" } });

    const create = await api<{ error: { code: string } }>(busy, "POST", "/rooms", { body: { title: "Too many" } });
    const join = await api<{ error: { code: string } }>(busy, "POST", "/rooms/join", {
      body: { inviteCode: elsewhere.body.inviteCode },
    });
    const again = await api(busy, "POST", "/rooms/join", { body: { inviteCode: rooms[0].inviteCode } });

    expect(create).toMatchObject({ status: 409, body: { error: { code: "failed-precondition" } } });
    expect(join).toMatchObject({ status: 409, body: { error: { code: "failed-precondition" } } });
    expect(again.status).toBe(200);
    const listed = new Set<string>();
    for (let cursor: string | null = null, pages = 0; pages === 0 || cursor; pages++) {
      const page: { body: { chats: { id: string }[]; nextCursor: string | null } } = await api(
        busy,
        "GET",
        `/chats?limit=50${cursor ? `&cursor=${cursor}` : ""}`,
      );
      page.body.chats.forEach((chat) => listed.add(chat.id));
      cursor = page.body.nextCursor;
    }
    expect(listed).toEqual(new Set(rooms.map((room) => room.chat.id)));
  }, 300_000);
});
