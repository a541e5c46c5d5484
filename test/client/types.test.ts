import { describe, expectTypeOf, it } from "vitest";
import type * as Client from "../../client/src/types.js";
import type { ChatView } from "../../functions/src/chats/chat-view.js";
import type { MuteState } from "../../functions/src/chats/mute-chat.js";
import type { DeviceView } from "../../functions/src/devices/register-device.js";
import type { MessagePage } from "../../functions/src/messages/list-messages.js";
import type { ReadState } from "../../functions/src/messages/mark-read.js";
import type { MessageView } from "../../functions/src/messages/message-view.js";
import type { NewRoom } from "../../functions/src/rooms/create-room.js";
import type { MembershipResult } from "../../functions/src/rooms/leave-room.js";
import type { ErrorCode } from "../../functions/src/shared/errors.js";
import type { UserView } from "../../functions/src/users/user-view.js";

// Checked by `npm run typecheck` (tsc), which `npm test` runs: the client's types must be the
// server's, so a change on one side that the other misses fails the build.
describe("the client library's types", () => {
  it("equal the API's response types", () => {
    expectTypeOf<Client.ErrorCode>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<Client.UserView>().toEqualTypeOf<UserView>();
    expectTypeOf<Client.ChatView>().toEqualTypeOf<ChatView>();
    expectTypeOf<Client.MessageView>().toEqualTypeOf<MessageView>();
    expectTypeOf<Client.MessagePage>().toEqualTypeOf<MessagePage>();
    expectTypeOf<Client.ReadState>().toEqualTypeOf<ReadState>();
    expectTypeOf<Client.MuteState>().toEqualTypeOf<MuteState>();
    expectTypeOf<Client.DeviceView>().toEqualTypeOf<DeviceView>();
    expectTypeOf<Client.NewRoom>().toEqualTypeOf<NewRoom>();
    expectTypeOf<Client.MembershipResult>().toEqualTypeOf<MembershipResult>();
  });
});
