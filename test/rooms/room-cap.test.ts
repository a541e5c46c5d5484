import { describe, expect, it } from "vitest";
import { createRoom } from "../../functions/src/rooms/create-room.js";
import { MAX_ROOMS_PER_USER } from "../../functions/src/timeline/room-count.js";
import { adminDb } from "../helpers/admin.js";
import { api } from "../helpers/api.js";
import { hostingOrigin } from "../helpers/emulators.js";
import { signUpMany, signUpUnlimited } from "../helpers/users.js";

type NewRoom = { chat: { id: string }; inviteCode: string };

// The first 99 rooms are made by the domain function the API calls (`createRoom`), ten at a
// time: through the API they took 74-194 s of the fresh-clone runs (a request per emulator
// worker, on two cores), and they are set-up here. The 100th room and every refusal go through
// the API.
describe("rooms per user", () => {
  it("when a user is in 100 rooms, then they can create or join no other, may join one again, and the chat list still pages through all", async () => {
    const [busy] = await signUpUnlimited("Busy");
    const [other] = await signUpMany("Other");
    const rooms: NewRoom[] = [];
    const noAuthLookup = () => Promise.resolve(null);
    for (let made = 0; made < MAX_ROOMS_PER_USER - 1; made += 10) {
      const wave = Array.from({ length: Math.min(10, MAX_ROOMS_PER_USER - 1 - made) }, (_, i) =>
        createRoom(adminDb(), {
          now: new Date(),
          callerUid: busy.uid,
          input: { title: `Room ${made + i}` },
          appUrl: hostingOrigin,
          findUser: noAuthLookup,
        }),
      );
      rooms.push(...(await Promise.all(wave)));
    }
    const last = await api<NewRoom>(busy, "POST", "/rooms", { body: { title: "The 100th" } });
    expect(last.status).toBe(201);
    rooms.push(last.body);
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
