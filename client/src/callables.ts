import { httpsCallable, type Functions } from "firebase/functions";
import { errorFromCallable } from "./errors.js";
import type { ChatView, DeviceView, MembershipResult, MessagePage, MessageView, MuteState, NewRoom, ReadState, UserView } from "./types.js";

/**
 * The HTTPS callable functions, typed; they mirror the REST operations (files have none: use
 * `rest.sendFile`). Failures throw {@link ParleyError} with Parley's code.
 */
export function callableApi(functions: Functions) {
  const fn =
    <I, O>(name: string) =>
    async (input: I): Promise<O> => {
      try {
        return (await httpsCallable<I, O>(functions, name)(input)).data;
      } catch (error) {
        throw errorFromCallable(error);
      }
    };
  type Ref = { chatId: string; number: number };
  return {
    listUsers: fn<{ limit?: number; cursor?: string; q?: string }, { users: UserView[]; nextCursor: string | null }>("listUsers"),
    createChat: fn<{ memberUid: string }, { chat: ChatView; created: boolean }>("createChat"),
    listChats: fn<{ limit?: number; cursor?: string; with?: string }, { chats: ChatView[]; nextCursor: string | null }>("listChats"),
    getChat: fn<{ chatId: string }, { chat: ChatView }>("getChat"),
    endChat: fn<{ chatId: string }, { chat: ChatView }>("endChat"),
    muteChat: fn<{ chatId: string; until?: string }, MuteState>("muteChat"),
    unmuteChat: fn<{ chatId: string }, MuteState>("unmuteChat"),
    sendMessage: fn<{ chatId: string; text: string; clientMessageId?: string; replyTo?: number }, { message: MessageView; created: boolean }>(
      "sendMessage",
    ),
    listMessages: fn<{ chatId: string; limit?: number; before?: number; after?: number }, MessagePage>("listMessages"),
    getMessage: fn<Ref, { message: MessageView }>("getMessage"),
    editMessage: fn<Ref & { text: string }, { message: MessageView }>("editMessage"),
    deleteMessage: fn<Ref, { message: MessageView }>("deleteMessage"),
    hideMessage: fn<Ref, { chatId: string; number: number; hidden: true }>("hideMessage"),
    forwardMessage: fn<Ref & { toChatId: string; clientMessageId?: string }, { message: MessageView; created: boolean }>("forwardMessage"),
    markRead: fn<{ chatId: string; upTo?: number }, ReadState>("markRead"),
    registerDevice: fn<{ token: string; platform: DeviceView["platform"] }, { device: DeviceView; created: boolean }>("registerDevice"),
    unregisterDevice: fn<{ token: string }, { removed: true }>("unregisterDevice"),
    createRoom: fn<{ title: string }, NewRoom>("createRoom"),
    joinRoom: fn<{ inviteCode: string }, { chat: ChatView; joined: boolean }>("joinRoom"),
    leaveRoom: fn<{ chatId: string }, MembershipResult>("leaveRoom"),
    rotateInvite: fn<{ chatId: string }, { chatId: string; inviteCode: string; joinUri: string }>("rotateRoomInvite"),
    removeMember: fn<{ chatId: string; uid: string }, MembershipResult>("removeRoomMember"),
  };
}

export type CallableApi = ReturnType<typeof callableApi>;
