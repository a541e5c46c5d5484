import { afterAll, describe, expect, it } from "vitest";
import { api, createChat } from "../helpers/api.js";
import { clientFor, type Client } from "../helpers/client.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

interface MemberPage {
  members: { uid: string; displayName: string; host: boolean }[];
  nextCursor: string | null;
}

/** A room hosted by `host` that `guests` joined; returns its id. */
async function roomOf(host: TestUser, ...guests: TestUser[]): Promise<string> {
  const created = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Members" } });
  for (const guest of guests) await api(guest, "POST", "/rooms/join", { body: { inviteCode: created.body.inviteCode } });
  return created.body.chat.id;
}

describe("a room's member list", () => {
  it("when a member pages through it, then every member comes once, by uid, with names and the host marked", async () => {
    const users = await signUpMany("Ann", "Ben", "Cat", "Dan", "Eve");
    const chatId = await roomOf(users[0], ...users.slice(1));

    const pages: MemberPage[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "limit=2" : `limit=2&cursor=${encodeURIComponent(cursor)}`;
      const page = await api<MemberPage>(users[3], "GET", `/rooms/${chatId}/members?${query}`);
      expect(page.status).toBe(200);
      pages.push(page.body);
      cursor = page.body.nextCursor;
    } while (cursor !== null);

    expect(pages.map((page) => page.members.length)).toEqual([2, 2, 1]);
    const listed = pages.flatMap((page) => page.members);
    expect(listed.map((member) => member.uid)).toEqual(users.map((user) => user.uid).sort());
    expect(listed.filter((member) => member.host).map((member) => member.uid)).toEqual([users[0].uid]);
    expect(listed.find((member) => member.uid === users[1].uid)?.displayName).toBe(users[1].displayName);
    expect(JSON.stringify(listed)).not.toContain("@");
  });

  it("when a member leaves between pages, then the next page still starts after the cursor", async () => {
    const users = await signUpMany("Ann", "Ben", "Cat", "Dan");
    const chatId = await roomOf(users[0], ...users.slice(1));
    const byUid = users.map((user) => user.uid).sort();

    const first = await api<MemberPage>(users[0], "GET", `/rooms/${chatId}/members?limit=2`);
    // The member the cursor names leaves (a host leaving hands the room on).
    const leaver = users.find((user) => user.uid === byUid[1]) as TestUser;
    expect((await api(leaver, "POST", `/rooms/${chatId}/leave`)).status).toBe(200);
    const asker = users.find((user) => user.uid === byUid[3]) as TestUser;
    const second = await api<MemberPage>(asker, "GET", `/rooms/${chatId}/members?limit=2&cursor=${first.body.nextCursor}`);

    expect(first.body.members.map((member) => member.uid)).toEqual(byUid.slice(0, 2));
    expect(second.body.members.map((member) => member.uid)).toEqual(byUid.slice(2));
  });

  it("when a non-member asks, or the chat is not a room, then it is refused; the callable answers as REST", async () => {
    const [ann, ben, eve] = await signUpMany("Ann", "Ben", "Eve");
    const chatId = await roomOf(ann, ben);
    const direct = await createChat(ann, ben);
    const asBen = await clientFor(ben);
    clients.push(asBen);

    const outsider = await api(eve, "GET", `/rooms/${chatId}/members`);
    const notARoom = await api(ann, "GET", `/rooms/${direct}/members`);
    const viaCallable = await asBen.call<MemberPage>("listRoomMembers", { chatId, limit: 10 });

    expect(outsider.status).toBe(404);
    expect(notARoom.status).toBe(404);
    expect(viaCallable.members.map((member) => member.uid).sort()).toEqual([ann.uid, ben.uid].sort());
    expect(viaCallable.nextCursor).toBeNull();
  });
});
