// Generated from the server's zod view schemas (functions/src/*/views.ts, shared/doc-schemas.ts)
// by scripts/client-types.mjs: do not edit. After changing a view schema, run `npm run client-types`.
// Each field's docstring is its schema's `description`.

/**
 * A chat as one of its members sees it. Times are ISO 8601 UTC.
 */
export interface ChatView {
  /**
   * The chat's id: `<lower uid>_<higher uid>` for a 1:1 chat, an auto id for a room
   */
  id: string;
  /**
   * `direct`: a 1:1 chat; `room`: a room joined by invite
   */
  type: "direct" | "room";
  /**
   * A 1:1 chat's two members; empty for a room (list those with `GET /v1/rooms/{chatId}/members`)
   */
  members: string[];
  /**
   * How many members the chat has
   */
  memberCount: number;
  /**
   * How many messages it holds: the newest message's number
   */
  messageCount: number;
  /**
   * The newest message, in short; `null` before the first
   */
  lastMessage: LastMessage | null;
  /**
   * When the newest message was sent; `null` before the first
   */
  lastMessageAt: string | null;
  /**
   * Messages from others the viewer has not read
   */
  unreadCount: number;
  /**
   * Of those, the messages that mention the viewer
   */
  unreadMentionCount: number;
  /**
   * Threads the viewer takes part in with replies they have not read (replies are not in `unreadCount`)
   */
  threadsWithNewReplies: number;
  /**
   * uid -> highest message number that member has read: the viewer, and in a 1:1 chat the other member's "seen" while the viewer's read receipts are on; in a room the viewer only
   */
  lastRead: {
    [k: string]: number;
  };
  /**
   * uid -> highest message number delivered to that member (reported by their devices, or read): the viewer, and in a 1:1 chat the other member's while both members' read receipts are on; in a room the viewer only
   */
  delivered: {
    [k: string]: number;
  };
  /**
   * The chat holds a message
   */
  started: boolean;
  /**
   * When the chat was created
   */
  createdAt: string | null;
  /**
   * When the chat was created or last got a message (system messages included)
   */
  updatedAt: string | null;
  /**
   * The viewer has muted push notifications of this chat (see `mutedUntil`)
   */
  muted: boolean;
  /**
   * End of the viewer's mute; `null` when not muted or muted until unmuted
   */
  mutedUntil: string | null;
  /**
   * A room's title; `null` for a 1:1 chat
   */
  title: string | null;
  /**
   * A room's host (uid); `null` for a 1:1 chat
   */
  host: string | null;
  /**
   * A room's current invite code; `null` for a 1:1 chat
   */
  inviteCode: string | null;
  /**
   * Pinned message numbers, oldest pin first (at most 10)
   */
  pinned: number[];
  /**
   * Text messages get link previews (`PUT /v1/chats/{chatId}/link-previews`; a room's host, either member of a 1:1 chat)
   */
  linkPreviews: boolean;
  /**
   * When the viewer pinned this chat to the top of their chat list (`POST /v1/chats/{chatId}/pin`); `null`: not pinned. Not to be confused with `pinned`, the chat's pinned messages
   */
  pinnedAt: string | null;
  /**
   * The viewer archived this chat (`POST /v1/chats/{chatId}/archive`): it leaves their chat list until a message arrives while they have not muted it
   */
  archived: boolean;
  /**
   * `active` accepts messages; `ended` once a member (a room's host) ended it: read-only for good
   */
  status: "active" | "ended";
  /**
   * When the chat ended; `null` while active
   */
  endedAt: string | null;
  /**
   * 1:1 chats: while the chat is a message request, who sent it to whom and whether the recipient declined it (see `POST /v1/chats/{chatId}/accept`); `null` for any other chat
   */
  request: {
    /**
     * Who opened the chat (uid)
     */
    from: string;
    /**
     * Whom it was sent to (uid): the one who may accept or decline it
     */
    to: string;
    /**
     * `pending` until the recipient answers; `declined` after
     */
    state: "pending" | "declined";
  } | null;
  /**
   * The ended chat's CSV history, once written: download it from `downloadPath`; `null` before
   */
  export: {
    /**
     * Messages in the CSV
     */
    rows: number;
    /**
     * The CSV's size in bytes
     */
    bytes: number;
    /**
     * When the export was written
     */
    createdAt: string | null;
    /**
     * Where to download it, relative to the API's base URL
     */
    downloadPath: string;
  } | null;
}

/**
 * The caller's "something new" doc (`users-external-event/{uid}`)
 */
export interface ExternalEvent {
  /**
   * A message arrived since the user last marked a chat read
   */
  notifyNewMessage: boolean;
  /**
   * The newest message for the user; `null` before any
   */
  lastEvent: {
    /**
     * The chat of the newest message
     */
    chatId: string;
    /**
     * Its number
     */
    number: number;
    /**
     * When it was sent
     */
    at: string | null;
  } | null;
  /**
   * The app badge: unread messages and thread replies across the user's chats, leaving out muted chats and muted or blocked senders
   */
  unreadTotal: number;
}

/**
 * The caller's mute of one chat
 */
export interface MuteState {
  /**
   * The chat
   */
  chatId: string;
  /**
   * The caller has muted its push notifications
   */
  muted: boolean;
  /**
   * End of the mute (ISO 8601 UTC); `null` when not muted or muted until unmuted
   */
  mutedUntil: string | null;
}

/**
 * A registered device
 */
export interface DeviceView {
  /**
   * The device's id: SHA-256 hex of its token (what `DELETE /v1/devices/{deviceId}` takes)
   */
  id: string;
  /**
   * Its platform
   */
  platform: "ios" | "android" | "web";
  /**
   * When the token was first registered (ISO 8601 UTC)
   */
  createdAt: string;
  /**
   * When it was last registered or refreshed (ISO 8601 UTC)
   */
  updatedAt: string;
}

/**
 * The state of the caller's newest export of their data
 */
export interface PersonalExportView {
  /**
   * `running` while it is built; `ready` once the ZIP can be downloaded
   */
  status: "running" | "ready";
  /**
   * When it was asked for (ISO 8601 UTC)
   */
  requestedAt: string;
  /**
   * When the ZIP was done (ISO 8601 UTC); `null` while running
   */
  readyAt: string | null;
  /**
   * Messages of theirs it holds (so far, while running)
   */
  messages: number;
  /**
   * Thread replies of theirs it holds (so far, while running)
   */
  replies: number;
  /**
   * Files they sent that it holds (known once ready)
   */
  files: number;
  /**
   * The ZIP's size in bytes; `null` while running
   */
  bytes: number | null;
  /**
   * The earliest time a new export may be asked for (ISO 8601 UTC): a day after this one
   */
  nextAllowedAt: string;
}

/**
 * A message's file: no Cloud Storage location, only the API paths that stream it to members
 */
export interface FileView {
  /**
   * The file's name as uploaded (made safe)
   */
  name: string;
  /**
   * Its media type: detected from its bytes, else the one sent (never `image/*` then)
   */
  contentType: string;
  /**
   * Its size in bytes
   */
  size: number;
  /**
   * SHA-256 of its bytes, hex
   */
  sha256: string;
  /**
   * Where members download it, relative to the API's base URL
   */
  downloadPath: string;
  /**
   * Voice messages: how long the audio lasts, in milliseconds (read from its bytes)
   */
  durationMs?: number;
  /**
   * Voice messages: 64 amplitudes 0-255 over the recording, when the sender's app sent them
   */
  waveform?: number[];
  /**
   * Images: width in pixels
   */
  width?: number;
  /**
   * Images: height in pixels
   */
  height?: number;
  /**
   * Images: a thumbnail
   */
  thumbnail?: {
    /**
     * Where members download it, relative to the API's base URL
     */
    downloadPath: string;
    /**
     * `image/jpeg` or `image/png`
     */
    contentType: string;
    /**
     * Width in pixels (at most 320)
     */
    width: number;
    /**
     * Height in pixels (at most 320)
     */
    height: number;
    /**
     * Size in bytes
     */
    size: number;
  };
}

/**
 * A message deleted for the caller only
 */
export interface HiddenMessage {
  /**
   * The chat
   */
  chatId: string;
  /**
   * The message the caller no longer lists
   */
  number: number;
  /**
   * Always `true`
   */
  hidden: true;
}

/**
 * A link preview: a page's title, description, site name and image
 */
export interface LinkPreview {
  /**
   * The URL of the text the preview is of: its first http(s) URL
   */
  url: string;
  /**
   * The page's title (Open Graph, Twitter card or `<title>`); `""` for none
   */
  title: string;
  /**
   * The page's description; `""` for none
   */
  description: string;
  /**
   * The site's name; `""` for none
   */
  siteName: string;
  /**
   * Our copy of the page's image (longest side at most 320 px); `null` for none
   */
  image: {
    /**
     * Where members download it, relative to the API's base URL
     */
    downloadPath: string;
    /**
     * `image/jpeg` or `image/png`
     */
    contentType: string;
    /**
     * Width in pixels (at most 320)
     */
    width: number;
    /**
     * Height in pixels (at most 320)
     */
    height: number;
  } | null;
}

/**
 * A slice of a chat's messages
 */
export interface MessagePage {
  /**
   * The messages, in number order (a search's: newest first)
   */
  messages: MessageView[];
  /**
   * More messages exist beyond this slice: older ones, or newer ones for `after`
   */
  hasMore: boolean;
  /**
   * Searches only (`q`): pass it as `before` for the next page; `null` when nothing is left
   */
  nextBefore?: number | null;
}

/**
 * A message as members see it. Times are ISO 8601 UTC.
 */
export interface MessageView {
  /**
   * The message's doc id: its number, zero-padded to 10 digits
   */
  id: string;
  /**
   * Its chat
   */
  chatId: string;
  /**
   * Its number in the chat: 1, 2, 3..., gapless
   */
  number: number;
  /**
   * The sender's uid; `null` for a system message
   */
  from: string | null;
  /**
   * `text`, `file`, `image`, `voice` (audio; see `file.durationMs`), `poll` (see `poll`), or `system` (a chat event, see `event`)
   */
  type: "text" | "file" | "image" | "voice" | "system" | "poll";
  /**
   * The text, a file's caption, or a poll's question; `""` for none and once deleted
   */
  text: string;
  /**
   * The sender's id for the send (retries); `null` when none was given
   */
  clientMessageId: string | null;
  /**
   * When it was sent
   */
  createdAt: string | null;
  /**
   * A file or image message's file; `null` for other messages and once deleted
   */
  file: FileView | null;
  /**
   * A reply's quoted message, or where a forward came from; `null` otherwise
   */
  reference: MessageReference | null;
  /**
   * A system message's event; `null` otherwise
   */
  event: SystemEvent | null;
  /**
   * When it was last edited; `null` if never
   */
  editedAt: string | null;
  /**
   * How many times it was edited (its history: `GET .../edits`); 0 if never, and once deleted
   */
  editCount: number;
  /**
   * Deleted for everyone: text and file are gone
   */
  deleted: boolean;
  /**
   * The members the message mentions (uids)
   */
  mentions: string[];
  /**
   * emoji -> how many members reacted with it (emoji nobody uses any more are left out)
   */
  reactions: {
    [k: string]: number;
  };
  /**
   * The emoji the caller reacted with, in the order they were added
   */
  myReactions: string[];
  /**
   * A poll message's poll; `null` for other messages and once deleted
   */
  poll: {
    /**
     * The question
     */
    question: string;
    /**
     * The options, in order; votes name them by index from 0
     */
    options: {
      /**
       * The option's text
       */
      text: string;
      /**
       * How many members voted for it
       */
      votes: number;
    }[];
    /**
     * Members may vote for several options (else one: a new vote moves it)
     */
    multiple: boolean;
    /**
     * No one sees who voted for what
     */
    anonymous: boolean;
    /**
     * Its sender closed it: no more votes
     */
    closed: boolean;
    /**
     * How many members voted (for at least one option)
     */
    voterCount: number;
    /**
     * The options the caller voted for (indexes, ascending)
     */
    myVotes: number[];
    /**
     * Per option, the uids of its voters; `null` for anonymous polls and once an option had 50 votes or more (counts stay exact)
     */
    voters: string[][] | null;
  } | null;
  /**
   * A thread reply (then `number` is its number in the thread), or a reply also shown in the chat: its thread's parent message; `null` otherwise
   */
  threadOf: number | null;
  /**
   * A thread's parent: its replies so far (kept once the parent is deleted); `null` without replies
   */
  thread: {
    /**
     * How many replies the thread has
     */
    replyCount: number;
    /**
     * When the latest reply was sent
     */
    lastReplyAt: string | null;
    /**
     * The first members who replied (uids, at most 3)
     */
    repliers: string[];
  } | null;
  /**
   * A text message's link preview, arriving shortly after the send (listeners see it); `null` for none, once removed and once deleted
   */
  linkPreview: LinkPreview | null;
}

/**
 * The caller's read state in a chat
 */
export interface ReadState {
  /**
   * The chat
   */
  chatId: string;
  /**
   * The caller's read position: the highest message number read
   */
  lastRead: number;
  /**
   * Messages from others still unread
   */
  unreadCount: number;
}

/**
 * The presence of a chat's members
 */
export interface ChatPresence {
  /**
   * The chat
   */
  chatId: string;
  /**
   * The members' presence, by uid (a hidden one shows as never seen)
   */
  members: PresenceView[];
  /**
   * Rooms: pass it as `cursor` for the next page; `null` on the last
   */
  nextCursor: string | null;
}

/**
 * The caller's presence after a heartbeat
 */
export interface HeartbeatState {
  /**
   * The user
   */
  uid: string;
  /**
   * Online now (a heartbeat within the last 90 s, and not signed off)
   */
  online: boolean;
  /**
   * When they were last seen (ISO 8601 UTC); `null`: never, or hidden
   */
  lastSeen: string | null;
  /**
   * This call wrote the presence doc (`false`: the same state was written under 30 s ago)
   */
  written: boolean;
  /**
   * When to send the next heartbeat, in seconds
   */
  nextHeartbeatSeconds: number;
}

/**
 * A user's presence
 */
export interface PresenceView {
  /**
   * The user
   */
  uid: string;
  /**
   * Online now (a heartbeat within the last 90 s, and not signed off)
   */
  online: boolean;
  /**
   * When they were last seen (ISO 8601 UTC); `null`: never, or hidden
   */
  lastSeen: string | null;
}

/**
 * The answer to a typing call
 */
export interface TypingState {
  /**
   * The chat
   */
  chatId: string;
  /**
   * What the call said: typing, or stopped
   */
  typing: boolean;
  /**
   * This call wrote the indicator (`false`: throttled, nothing changed)
   */
  written: boolean;
}

/**
 * A message's reactions after the caller added or removed one
 */
export interface ReactionState {
  /**
   * The chat
   */
  chatId: string;
  /**
   * The message
   */
  number: number;
  /**
   * The emoji, as stored ("❤" becomes "❤️")
   */
  emoji: string;
  /**
   * The caller now has this emoji on the message
   */
  reacted: boolean;
  /**
   * emoji -> count, as this change left them
   */
  reactions: {
    [k: string]: number;
  };
}

/**
 * A room after a join
 */
export interface JoinedRoom {
  chat: ChatView;
  /**
   * `false` when the caller was a member already
   */
  joined: boolean;
}

/**
 * A room after someone left or was removed
 */
export interface MembershipResult {
  /**
   * The room
   */
  chatId: string;
  /**
   * How many members it has now
   */
  memberCount: number;
  /**
   * Its host now (a leaving host hands over to a member); `null` once empty
   */
  host: string | null;
  /**
   * `ended` once the room ended (its last member left)
   */
  status: "active" | "ended";
}

/**
 * A room as its host gets it on creation, with the invite to share
 */
export interface NewRoom {
  chat: ChatView;
  /**
   * The code others join with (`POST /v1/rooms/join`)
   */
  inviteCode: string;
  /**
   * The web app's join link for the code (`APP_URL/join/{code}`)
   */
  joinUri: string;
}

/**
 * A room's current invite
 */
export interface RoomInvite {
  /**
   * The room
   */
  chatId: string;
  /**
   * The new code; the old one no longer joins
   */
  inviteCode: string;
  /**
   * The web app's join link for the code (`APP_URL/join/{code}`)
   */
  joinUri: string;
}

/**
 * The chat's preview of its newest message ("Message deleted" once that is deleted for everyone)
 */
export interface LastMessage {
  /**
   * The newest message's number
   */
  number: number;
  /**
   * Its sender's uid; `null` for a system message
   */
  from: string | null;
  /**
   * Its type
   */
  type: "text" | "file" | "image" | "voice" | "system" | "poll";
  /**
   * Its text, or what it is ("Photo", "Voice message (0:12)", a file name), in at most 100 characters
   */
  preview: string;
  /**
   * `true` once it was deleted for everyone (`preview` is then "Message deleted")
   */
  deleted?: boolean;
}

/**
 * What a message refers to: the message a reply quotes, or the one a forward copied
 */
export interface MessageReference {
  /**
   * `reply`: this message quotes another; `forward`: it is a copy of another
   */
  type: "reply" | "forward";
  /**
   * The chat of the referenced message (a reply's own chat)
   */
  chatId: string;
  /**
   * The referenced message's number in that chat
   */
  number: number;
  /**
   * The referenced message's sender; `null` for a system message
   */
  from: string | null;
  /**
   * The referenced message's type
   */
  messageType: "text" | "file" | "image" | "voice" | "system" | "poll";
  /**
   * Replies: the quoted message in one line (its text, "Photo", "Voice message (0:12)" or the file name; at most 100 characters)
   */
  preview?: string;
  /**
   * Replies: `true` once the quoted message was deleted for everyone
   */
  deleted?: boolean;
}

/**
 * A message's type
 */
export type MessageType = "text" | "file" | "image" | "voice" | "system" | "poll";

/**
 * A chat event told by a `system` message (`from: null`)
 */
export interface SystemEvent {
  /**
   * What happened
   */
  type: "member-left" | "member-joined" | "member-removed" | "chat-ended";
  /**
   * Whom it is about: who left, joined, was removed or ended the chat
   */
  uid: string | null;
}

/**
 * A user's public profile
 */
export interface UserView {
  /**
   * The user's Firebase Auth uid
   */
  uid: string;
  /**
   * Their display name (1-100 characters, cleaned)
   */
  displayName: string;
  /**
   * The caller's own address on their own entry; `null` on everyone else's
   */
  email: string | null;
  /**
   * Their photo's https URL; `null` for none
   */
  photoURL: string | null;
  /**
   * When their account was created (ISO 8601 UTC, to the second)
   */
  createdAt: string | null;
}
