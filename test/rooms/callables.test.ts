import { afterAll, describe, expect, it } from "vitest";
import { callFailure, clientFor, type Client } from "../helpers/client.js";
import { registerVerifiedEmail, signUpMany } from "../helpers/users.js";

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

describe("rooms and ending through callables", () => {
  it("when called through the web SDK, then they act as their REST routes and fail with the same codes", async () => {
    const [alice, signedUpBob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const bob = await registerVerifiedEmail(signedUpBob);
    const [asAlice, asBob, asCarol] = await Promise.all([alice, bob, carol].map(clientFor));
    clients.push(asAlice, asBob, asCarol);

    const room = await asAlice.call<{ chat: { id: string }; inviteCode: string; joinUri: string }>("createRoom", {
      title: "Callables",
    });
    const joined = await asBob.call<{ joined: boolean }>("joinRoom", { inviteCode: room.inviteCode });
    const rotated = await asAlice.call<{ inviteCode: string }>("rotateRoomInvite", { chatId: room.chat.id });
    await asCarol.call("joinRoom", { inviteCode: rotated.inviteCode });
    const removed = await asAlice.call<{ memberCount: number }>("removeRoomMember", { chatId: room.chat.id, uid: carol.uid });
    await asBob.call("sendMessage", { chatId: room.chat.id, text: "hi" });
    const withBob = await asAlice.call<{ chats: { id: string }[] }>("listChats", { with: bob.email });
    const left = await asBob.call<{ memberCount: number }>("leaveRoom", { chatId: room.chat.id });
    const ended = await asAlice.call<{ chat: { status: string } }>("endChat", { chatId: room.chat.id });

    expect(joined.joined).toBe(true);
    expect(removed.memberCount).toBe(2);
    expect(withBob.chats.map((chat) => chat.id)).toEqual([room.chat.id]);
    expect(left.memberCount).toBe(1);
    expect(ended.chat.status).toBe("ended");
    expect(await callFailure(asCarol.call("joinRoom", { inviteCode: room.inviteCode }))).toMatchObject({
      code: "functions/not-found",
    });
    // Carol was removed: banned, whatever the code.
    expect(await callFailure(asCarol.call("joinRoom", { inviteCode: rotated.inviteCode }))).toMatchObject({
      code: "functions/permission-denied",
      details: { code: "permission-denied" },
    });
    // Bob left: to him the room is as good as gone.
    expect(await callFailure(asBob.call("endChat", { chatId: room.chat.id }))).toMatchObject({
      code: "functions/not-found",
    });
    expect(await callFailure(asBob.call("createRoom", { title: "" }))).toMatchObject({ code: "functions/invalid-argument" });
  });
});
