import { describe, expectTypeOf, it } from "vitest";
import type { CallableApi, RestApi } from "../../client/src/index.js";
import type { createDirectChat } from "../../functions/src/chats/create-chat.js";
import type { muteChat } from "../../functions/src/chats/mute-chat.js";
import type { registerDevice } from "../../functions/src/devices/register-device.js";
import type { hideMessage } from "../../functions/src/messages/hide-message.js";
import type { listMessages } from "../../functions/src/messages/list-messages.js";
import type { markRead } from "../../functions/src/messages/mark-read.js";
import type { sendMessage } from "../../functions/src/messages/send-message.js";
import type { createRoom } from "../../functions/src/rooms/create-room.js";
import type { joinRoom } from "../../functions/src/rooms/join-room.js";
import type { leaveRoom } from "../../functions/src/rooms/leave-room.js";
import type { rotateInvite } from "../../functions/src/rooms/rotate-invite.js";

type Returns<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
type RestAnswer<K extends keyof RestApi> = RestApi[K] extends (...args: never[]) => Promise<infer R> ? R : never;
type CallableAnswer<K extends keyof CallableApi> = CallableApi[K] extends (...args: never[]) => Promise<infer R> ? R : never;

// Checked by `npm run typecheck` (tsc), which `npm test` runs. The client's wrappers are typed
// from the operation declarations; these pin them to what the domain functions really return,
// so a declaration whose response schema drifts from its domain function fails the build.
describe("the client library's types", () => {
  it("equal what the domain functions return", () => {
    expectTypeOf<RestAnswer<"hideMessage">>().toEqualTypeOf<Returns<typeof hideMessage>>();
    expectTypeOf<RestAnswer<"listMessages">>().toEqualTypeOf<Returns<typeof listMessages>>();
    expectTypeOf<RestAnswer<"markRead">>().toEqualTypeOf<Returns<typeof markRead>>();
    expectTypeOf<RestAnswer<"muteChat">>().toEqualTypeOf<Returns<typeof muteChat>>();
    expectTypeOf<RestAnswer<"createRoom">>().toEqualTypeOf<Returns<typeof createRoom>>();
    expectTypeOf<RestAnswer<"joinRoom">>().toEqualTypeOf<Returns<typeof joinRoom>>();
    expectTypeOf<RestAnswer<"leaveRoom">>().toEqualTypeOf<Returns<typeof leaveRoom>>();
    expectTypeOf<RestAnswer<"rotateRoomInvite">>().toEqualTypeOf<Returns<typeof rotateInvite>>();
    expectTypeOf<RestAnswer<"sendMessage">>().toEqualTypeOf<{ message: Returns<typeof sendMessage>["message"] }>();
  });

  it("give callables the REST body plus `created` where REST answers 201 or 200", () => {
    expectTypeOf<CallableAnswer<"createChat">>().toEqualTypeOf<Returns<typeof createDirectChat>>();
    expectTypeOf<CallableAnswer<"registerDevice">>().toEqualTypeOf<Returns<typeof registerDevice>>();
    expectTypeOf<CallableAnswer<"sendMessage">>().toEqualTypeOf<Omit<Returns<typeof sendMessage>, "attempts">>();
    expectTypeOf<CallableAnswer<"hideMessage">>().toEqualTypeOf<Returns<typeof hideMessage>>();
  });
});
