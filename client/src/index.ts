// @parley/client: the package's public API. Everything a user of the library imports is
// re-exported here; the other modules are the library's own.
export { createParleyClient } from "./create-client.js";
export type { ConversationState, ParleyClient, ParleyOptions, WatchChatsOptions } from "./parley-client.js";
export type {
  ChatEvent,
  ChatEventName,
  ChatEventOptions,
  ChatGoneEvent,
  EventOptions,
  EventSubscription,
  MessageEvent,
  ParleyEvent,
  ParleyEventHandler,
  ParleyEventMap,
  ParleyEventName,
  TypingEvent,
  UserEventName,
} from "./events.js";
export { collectionsOf, configureCollections, converters, refs } from "./converters.js";
export type { DocOf } from "./converters.js";
export { emailHash } from "./email-hash.js";
/** What a deleted account's messages carry as `from`: no uid; show it as "Deleted user". */
export { DELETED_USER, defaultCollections } from "../../functions/src/shared/docs.js";
export type { CollectionConfig, CollectionKey, CollectionNames } from "../../functions/src/shared/docs.js";
export { ParleyError } from "./errors.js";
export type { CallableApi } from "./callables.js";
export type { OnError, Unsubscribe } from "./listeners.js";
export type { MessagesState, MessagesSubscription } from "./message-watchers.js";
export type { ThreadState } from "./thread-watchers.js";
export { isTransient, Outbox } from "./outbox.js";
export type { Draft, OutboxStorage, OutboxTransport, OutgoingMessage, SendStatus } from "./outbox.js";
export { missingRanges } from "./gaps.js";
export { DeliveryReporter, messageStatus } from "./delivery.js";
export type { MessageStatus, ReportDelivered } from "./delivery.js";
export type { RestApi, SendFileOptions } from "./rest.js";
export * from "./types.js";
