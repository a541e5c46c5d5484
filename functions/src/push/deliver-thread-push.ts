import type { Firestore } from "firebase-admin/firestore";
import { isMuted } from "../chats/mute-chat.js";
import { directMuteOf, getAll, refs, type ChatDoc } from "../shared/model.js";
import { silencersOf } from "../users/mutes.js";
import { mentionedIn, pushes, pushToMembers, type MessageCreatedEvent, type PushReport } from "./deliver-push.js";
import type { PushTransport } from "./transport.js";

/**
 * Sends the push notifications for a new thread reply (`event.message`, its `threadOf` the
 * parent) to the thread's participants but its sender (`chats/{chatId}/threads/{messageId}`,
 * at most `MAX_THREAD_PARTICIPANTS`): those still members, unless they muted the chat (in a
 * room, a mention pushes even so, as for channel messages) or, in a room, muted or blocked the
 * sender (`silencersOf`: two queries). A message request's chat pushes no
 * reply. Retry-safe as every push: the event's claim (`pushToMembers`) sends each device once.
 * Reads `chats/{chatId}`, the thread doc, and each participant's member doc (rooms) or
 * `user-settings/{uid}` (1:1); then as `pushToMembers`.
 */
export async function deliverThreadPush(
  db: Firestore,
  now: Date,
  transport: PushTransport,
  event: MessageCreatedEvent,
): Promise<PushReport> {
  const { chatId, message } = event;
  const threadOf = message.threadOf;
  if (!pushes(message) || threadOf === undefined) return pushToMembers(db, { now, transport, event, recipients: [] });
  const [chatSnap, threadSnap] = await getAll(db, refs.chat(db, chatId), refs.thread(db, chatId, threadOf));
  const chat = chatSnap.data();
  const others = (threadSnap.data()?.participants ?? []).filter((uid) => uid !== message.from);
  const recipients = chat && !chat.request && others.length > 0 ? await unmuted(db, { now, chatId, chat, event, others }) : [];
  const style = chat?.type === "room" ? { roomTitle: chat.title ?? "" } : {};
  return pushToMembers(db, { now, transport, event, recipients, style });
}

/**
 * Of `others`, the members of the chat who did not mute it (or, in a room, are mentioned) and,
 * in a room, did not mute or block the sender.
 */
async function unmuted(
  db: Firestore,
  {
    now,
    chatId,
    chat,
    event,
    others,
  }: { now: Date; chatId: string; chat: ChatDoc; event: MessageCreatedEvent; others: string[] },
): Promise<string[]> {
  if (chat.type === "room") {
    const [members, silenced] = await Promise.all([
      getAll(db, ...others.map((uid) => refs.member(db, chatId, uid))),
      event.message.from ? silencersOf(db, event.message.from) : new Set<string>(),
    ]);
    return others.filter((uid, i) => {
      const member = members[i].data();
      const heard = !isMuted(member?.mutedUntil, now) || mentionedIn(event.message, uid);
      return member !== undefined && heard && !silenced.has(uid);
    });
  }
  const inChat = others.filter((uid) => (chat.members ?? []).includes(uid));
  if (inChat.length === 0) return [];
  const settings = await getAll(db, ...inChat.map((uid) => refs.userSettings(db, uid)));
  return inChat.filter((uid, i) => !isMuted(directMuteOf(chat, chatId, uid, settings[i].data()), now));
}
