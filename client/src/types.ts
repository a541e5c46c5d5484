// The shapes the Parley API answers with. The views are generated from the server's view schemas
// (`./views.ts`, by `npm run client-types`), so each field carries its schema's description as
// a docstring; a unit test keeps them equal to the server's types. Times are ISO 8601 UTC strings.

export type {
  ChatPresence,
  ChatView,
  DeviceView,
  ExternalEvent,
  FileView,
  HeartbeatState,
  HiddenMessage,
  JoinedRoom,
  LinkPreview,
  LastMessage,
  MembershipResult,
  MessagePage,
  MessageReference,
  MessageType,
  MessageView,
  MuteState,
  NewRoom,
  PersonalExportView,
  PresenceView,
  ReactionState,
  ReadState,
  RoomInvite,
  SystemEvent,
  TypingState,
  UserView,
} from "./views.js";
export type { ErrorCode } from "../../functions/src/shared/errors.js";
export type { OperationInput, SuccessBody } from "../../functions/src/shared/operation.js";
export type { Page } from "../../functions/src/shared/schemas.js";
