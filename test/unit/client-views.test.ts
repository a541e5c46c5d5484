import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as client from "../../client/src/index.js";
import type * as chats from "../../functions/src/chats/views.js";
import type * as devices from "../../functions/src/devices/views.js";
import type * as messages from "../../functions/src/messages/views.js";
import type * as presence from "../../functions/src/presence/views.js";
import type * as reactions from "../../functions/src/reactions/views.js";
import type * as rooms from "../../functions/src/rooms/views.js";
import type * as docs from "../../functions/src/shared/doc-schemas.js";
import type * as users from "../../functions/src/users/views.js";
import { renderClientTypes, target } from "../../scripts/client-types.mjs";

// client/src/views.ts is generated from the server's view schemas (scripts/client-types.mjs) so
// that the client's types carry the schemas' descriptions. These keep it from drifting: the file
// must be what the generator makes of functions/src today, and each type must equal the server's.

describe("the client's generated view types (client/src/views.ts)", () => {
  it("when regenerated from functions/src, then they equal the committed file", async () => {
    const source = (module: string) => resolve(import.meta.dirname, "../../functions/src", `${module}.ts`);
    const load = (module: string) => import(source(module)) as Promise<Record<string, unknown>>;
    const committed = readFileSync(target, "utf8");
    expect(committed, "client/src/views.ts is out of date: run `npm run client-types` and commit it").toBe(
      await renderClientTypes(load),
    );
  });

  it("equal the server's z.infer types (checked by `npm run typecheck`)", () => {
    expectTypeOf<client.ChatView>().toEqualTypeOf<chats.ChatView>();
    expectTypeOf<client.ExternalEvent>().toEqualTypeOf<chats.ExternalEventView>();
    expectTypeOf<client.MuteState>().toEqualTypeOf<chats.MuteState>();
    expectTypeOf<client.DeviceView>().toEqualTypeOf<devices.DeviceView>();
    expectTypeOf<client.FileView>().toEqualTypeOf<messages.FileView>();
    expectTypeOf<client.HiddenMessage>().toEqualTypeOf<messages.HiddenMessage>();
    expectTypeOf<client.MessagePage>().toEqualTypeOf<messages.MessagePage>();
    expectTypeOf<client.MessageView>().toEqualTypeOf<messages.MessageView>();
    expectTypeOf<client.ReadState>().toEqualTypeOf<messages.ReadState>();
    expectTypeOf<client.ChatPresence>().toEqualTypeOf<presence.ChatPresence>();
    expectTypeOf<client.HeartbeatState>().toEqualTypeOf<presence.HeartbeatState>();
    expectTypeOf<client.PresenceView>().toEqualTypeOf<presence.PresenceView>();
    expectTypeOf<client.TypingState>().toEqualTypeOf<presence.TypingState>();
    expectTypeOf<client.ReactionState>().toEqualTypeOf<reactions.ReactionState>();
    expectTypeOf<client.JoinedRoom>().toEqualTypeOf<rooms.JoinedRoom>();
    expectTypeOf<client.MembershipResult>().toEqualTypeOf<rooms.MembershipResult>();
    expectTypeOf<client.NewRoom>().toEqualTypeOf<rooms.NewRoom>();
    expectTypeOf<client.RoomInvite>().toEqualTypeOf<rooms.RoomInvite>();
    expectTypeOf<client.LastMessage>().toEqualTypeOf<docs.LastMessage>();
    expectTypeOf<client.MessageReference>().toEqualTypeOf<docs.MessageReference>();
    expectTypeOf<client.MessageType>().toEqualTypeOf<docs.MessageType>();
    expectTypeOf<client.SystemEvent>().toEqualTypeOf<docs.SystemEvent>();
    expectTypeOf<client.UserView>().toEqualTypeOf<users.UserView>();
  });
});
