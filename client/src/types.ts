// The shapes the Parley API answers with: the server's own view schemas' types, imported from
// where the server declares them (no second copy). Times are ISO 8601 UTC strings.

export type { ChatView, ExternalEventView as ExternalEvent, MuteState } from "../../functions/src/chats/views.js";
export type { DeviceView } from "../../functions/src/devices/views.js";
export type { FileView, HiddenMessage, MessagePage, MessageView, ReadState } from "../../functions/src/messages/views.js";
export type { ChatPresence, HeartbeatState, PresenceView, TypingState } from "../../functions/src/presence/views.js";
export type { ReactionState } from "../../functions/src/reactions/views.js";
export type { JoinedRoom, MembershipResult, NewRoom, RoomInvite } from "../../functions/src/rooms/views.js";
export type { LastMessage, MessageReference, MessageType, SystemEvent } from "../../functions/src/shared/docs.js";
export type { ErrorCode } from "../../functions/src/shared/errors.js";
export type { OperationInput, SuccessBody } from "../../functions/src/shared/operation.js";
export type { Page } from "../../functions/src/shared/schemas.js";
export type { UserView } from "../../functions/src/users/views.js";
