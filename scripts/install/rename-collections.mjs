// @ts-check
// Parley's shipped Firestore rules and indexes name its collections by their default names. An
// app that renames them (`functions/parley.config.json`, `collections`) gets rules and indexes
// for its names from these functions, which `npx parley rules merge` / `indexes merge` apply
// before merging.

/**
 * Collection names by key, as `functions/src/shared/docs.ts` declares them.
 * @typedef {Readonly<Record<string, string>>} CollectionNames
 */

/**
 * The default name → configured name of every collection whose name changes.
 * Throws when `to` lacks a key of `from`.
 * @param {CollectionNames} from
 * @param {CollectionNames} to
 * @returns {Map<string, string>}
 */
function renames(from, to) {
  const map = new Map();
  for (const [key, name] of Object.entries(from)) {
    const renamed = to[key];
    if (renamed === undefined) throw new Error(`no configured name for collection ${key}`);
    if (renamed !== name) map.set(name, renamed);
  }
  return map;
}

/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `rules` (Firestore rules source) with every collection of `from` renamed to its name in `to`:
 * each literal path segment that is a collection's default name, in `match` paths
 * (`match /chats/{chatId}`, `match /{path=**}/members/{uid}`) and in document paths
 * (`/databases/$(database)/documents/chats/$(chatId)`). A segment is a name between two `/`, or
 * between `/` and the `{` of a match's wildcard; words elsewhere (fields, comments) stay.
 * @param {string} rules
 * @param {CollectionNames} from the names `rules` uses (Parley's defaults)
 * @param {CollectionNames} to the configured names
 * @returns {string}
 */
export function renameRulesCollections(rules, from, to) {
  const map = renames(from, to);
  if (map.size === 0) return rules;
  const names = [...map.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const segment = new RegExp(`(?<=/)(${names.join("|")})(?=/)`, "g");
  return rules.replace(segment, (name) => map.get(name) ?? name);
}

/**
 * `indexes` (the text of a `firestore.indexes.json`) with the `collectionGroup` of every index
 * and field override renamed from `from`'s names to `to`'s, pretty-printed (2 spaces).
 * @param {string} indexes
 * @param {CollectionNames} from
 * @param {CollectionNames} to
 * @returns {string}
 */
export function renameIndexCollections(indexes, from, to) {
  const map = renames(from, to);
  if (map.size === 0) return indexes;
  /** @type {{indexes?: {collectionGroup: string}[], fieldOverrides?: {collectionGroup: string}[]}} */
  const parsed = JSON.parse(indexes);
  for (const entry of [...(parsed.indexes ?? []), ...(parsed.fieldOverrides ?? [])]) {
    entry.collectionGroup = map.get(entry.collectionGroup) ?? entry.collectionGroup;
  }
  return `${JSON.stringify(parsed, null, 2)}\n`;
}
