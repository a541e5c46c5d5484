import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { collectionNames, legacyCollections, type CollectionConfig, type CollectionNames } from "./docs.js";

// The server's collection names. They are read from a file, not from a param: a trigger's
// document path must be known when `firebase deploy` loads the code to find the triggers, and
// it does that without the project's `.env` values (params are resolved only afterwards), and a
// param expression can't be spliced into a path. The file travels with the deployed source.

/** Where an app renames Parley's collections: `functions/parley.config.json` (optional). */
export const CONFIG_FILE = join(__dirname, "..", "..", "parley.config.json");

/**
 * The `collections` of a Parley config file's text (`{"collections": {"prefix"?, "names"?}}`):
 * `{}` when it has none. Throws an `Error` saying what is wrong when the text is not that shape.
 */
export function collectionConfigOf(text: string): CollectionConfig {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) throw new Error("parley.config.json: not a JSON object");
  const config: unknown = "collections" in parsed ? parsed.collections : {};
  if (typeof config !== "object" || config === null) throw new Error("parley.config.json: collections is not an object");
  const prefix: unknown = "prefix" in config ? config.prefix : undefined;
  const names: unknown = "names" in config ? config.names : undefined;
  if (prefix !== undefined && typeof prefix !== "string")
    throw new Error("parley.config.json: collections.prefix is not a string");
  if (names === undefined) return prefix === undefined ? {} : { prefix };
  if (typeof names !== "object" || names === null) throw new Error("parley.config.json: collections.names is not an object");
  const byKey: Record<string, string> = {};
  for (const [key, name] of Object.entries(names)) {
    if (typeof name !== "string") throw new Error(`parley.config.json: collections.names.${key} is not a string`);
    byKey[key] = name;
  }
  return prefix === undefined ? { names: byKey } : { prefix, names: byKey };
}

/** The collection config in `file`: `{}` when the file does not exist; throws when it is not valid. */
function configIn(file: string): CollectionConfig {
  return existsSync(file) ? collectionConfigOf(readFileSync(file, "utf8")) : {};
}

/**
 * The collection names configured in `file` (default {@link CONFIG_FILE}); the defaults when
 * the file does not exist. Throws when it exists but is not valid, so a deploy with a broken
 * config fails instead of writing to the default names.
 */
export function configuredCollections(file: string = CONFIG_FILE): CollectionNames {
  return collectionNames(configIn(file));
}

const config = configIn(CONFIG_FILE);

/**
 * Whether `onMessageUpdated` is deployed, which sends webhooks' `message.updated` and
 * `message.deleted`: `{"webhooks": {"messageUpdates": true}}` in the config file. Off by default:
 * it runs once for every update of every message (reactions, previews, receipts, migrations), and
 * a deploy must know whether it exists, as it must know the triggers' paths.
 */
export const webhookMessageUpdates = ((): boolean => {
  if (!existsSync(CONFIG_FILE)) return false;
  const parsed: unknown = JSON.parse(readFileSync(CONFIG_FILE, "utf8"));
  if (typeof parsed !== "object" || parsed === null || !("webhooks" in parsed)) return false;
  const webhooks: unknown = parsed.webhooks;
  return typeof webhooks === "object" && webhooks !== null && "messageUpdates" in webhooks && webhooks.messageUpdates === true;
})();

/** Every collection's Firestore name, as this deployment configures it. */
export const collections: CollectionNames = collectionNames(config);

/**
 * The names of collections older versions of Parley wrote (`legacyCollections`), with the
 * configured prefix: a migration never reads or empties an app's own collection of that name
 * (an app renames Parley's collections when it shares the project, and then had no such data).
 */
export const legacyCollectionNames = {
  chatCompletions: `${config.prefix ?? ""}${legacyCollections.chatCompletions}`,
};

/** The document paths Parley's Firestore triggers fire on, in the configured names. */
export const triggerDocuments = {
  /** A message of any chat: `chats/{chatId}/messages/{messageId}`. */
  message: `${collections.chats}/{chatId}/${collections.messages}/{messageId}`,
  /** A member's reaction: `chats/{chatId}/reactions/{reactionId}`. */
  reaction: `${collections.chats}/{chatId}/${collections.reactions}/{reactionId}`,
  /** A member's report of a message: `reports/{reportId}`. */
  report: `${collections.reports}/{reportId}`,
  /** A thread reply: `chats/{chatId}/threads/{threadId}/replies/{replyId}`. */
  reply: `${collections.chats}/{chatId}/${collections.threads}/{threadId}/${collections.replies}/{replyId}`,
  /** An ended chat's export job: `ended-chats/{chatId}`. */
  endedChat: `${collections.endedChats}/{chatId}`,
  /** A user's data export: `personal-exports/{uid}`. */
  personalExport: `${collections.personalExports}/{uid}`,
  /** An account's erasure job: `account-deletions/{id}`. */
  accountDeletion: `${collections.accountDeletions}/{id}`,
};
