import type { Firestore } from "firebase-admin/firestore";
import { refs, type UserSettingsDoc } from "../shared/model.js";

/** What {@link userRecords} returns: each entry of the ZIP beside the messages. */
export type UserRecords = {
  profile: Record<string, unknown>;
  settings: Partial<UserSettingsDoc>;
  blocks: { blocked: string; createdAt: unknown }[];
  memberships: {
    directChats: { chatId: string; with: string[]; createdAt: unknown; status: unknown }[];
    rooms: { chatId: string; role: unknown; joinedAt: unknown }[];
  };
};

/**
 * The records of user `uid` that a data export holds beside their messages, by entry name:
 * `profile` (`users/{uid}`), `settings` (`user-settings/{uid}`: privacy, read receipts, muted
 * users, their private state of each 1:1 chat), `blocks` (the users they blocked, from
 * `blocks` where `blocker` is them) and `memberships` (their 1:1 chats, from `chats` where
 * `members` holds them, and their rooms, from the `members` collection group where `uid` is them).
 * Timestamps stay Firestore's: the archive writes them as ISO 8601.
 */
export async function userRecords(db: Firestore, uid: string): Promise<UserRecords> {
  const [profile, settings, blocks, chats, rooms] = await Promise.all([
    refs.user(db, uid).get(),
    refs.userSettings(db, uid).get(),
    refs.blocks(db).where("blocker", "==", uid).get(),
    refs.chats(db).where("members", "array-contains", uid).get(),
    refs.memberGroup(db).where("uid", "==", uid).get(),
  ]);
  return {
    profile: { uid, ...profile.data() },
    settings: settings.data() ?? {},
    blocks: blocks.docs.map((snap) => ({ blocked: snap.data().blocked, createdAt: snap.data().createdAt })),
    memberships: {
      directChats: chats.docs
        .filter((snap) => snap.data().type !== "room")
        .map((snap) => {
          const chat = snap.data();
          return {
            chatId: snap.id,
            with: (chat.members ?? []).filter((member) => member !== uid),
            createdAt: chat.createdAt,
            status: chat.status,
          };
        }),
      rooms: rooms.docs.map((snap) => {
        const member = snap.data();
        return { chatId: member.chatId, role: member.role, joinedAt: member.joinedAt };
      }),
    },
  };
}
