// @ts-check
// Merges Parley's composite indexes and field overrides into an app's firestore.indexes.json
// (`npx parley indexes merge`).
//
// JSON has no comments to mark Parley's part, so a lock file beside it
// (`parley-indexes.lock.json`) records what the last merge wrote. A merge then removes what an
// older Parley wrote and this one no longer has, adds what is missing, and replaces a field
// override an older Parley wrote; it edits the text at those entries only (offsets from
// jsonc-parser's syntax tree), so the app's own entries, order and formatting stay byte for
// byte, and a second merge with the same Parley changes nothing.
import jsonc from "jsonc-parser";

/**
 * @typedef {{ collectionGroup: string, fieldPath: string, indexes?: unknown[], ttl?: boolean }} FieldOverride
 * @typedef {{ indexes?: unknown[], fieldOverrides?: FieldOverride[] }} IndexesFile
 * @typedef {{ indexes: string[], fieldOverrides: string[] }} IndexesLock What the last merge wrote: canonical JSON of each entry.
 */

/** An empty lock: no merge before. */
export const EMPTY_LOCK = Object.freeze({ indexes: [], fieldOverrides: [] });

/**
 * `value` as JSON with object keys sorted, so equal entries compare equal however written.
 * @param {unknown} value
 * @returns {string}
 */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** @param {FieldOverride} override */
const fieldKey = (override) => `${override.collectionGroup}.${override.fieldPath}`;

/**
 * Parses `text` (JSON) into its syntax tree.
 * @param {string} text
 * @param {string} name for errors
 */
function treeOf(text, name) {
  /** @type {import("jsonc-parser").ParseError[]} */
  const errors = [];
  const tree = jsonc.parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!tree || errors.length > 0 || tree.type !== "object") throw new Error(`${name} is not a JSON object`);
  return tree;
}

/** The file's indentation unit and line ending. @param {string} text */
function styleOf(text) {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
  return { indent, eol: text.includes("\r\n") ? "\r\n" : "\n" };
}

/**
 * `value` as JSON, indented like the file, starting at nesting depth `depth`.
 * @param {unknown} value
 * @param {{ indent: string, eol: string }} style
 * @param {number} depth
 */
function render(value, style, depth) {
  const pad = style.indent.repeat(depth);
  return JSON.stringify(value, null, style.indent)
    .split("\n")
    .map((line, i) => (i === 0 ? line : pad + line))
    .join(style.eol);
}

/**
 * One text edit to the array at top-level key `key`: remove element `index`, replace it with
 * `value`, or (index -1) append `value`. A missing key is added first, as an empty array.
 * @param {string} text
 * @param {string} key
 * @param {number} index
 * @param {unknown} value undefined: remove
 * @returns {string}
 */
function editArray(text, key, index, value) {
  const style = styleOf(text);
  let tree = treeOf(text, "the app's indexes file");
  let array = jsonc.findNodeAtLocation(tree, [key]);
  if (!array) {
    const last = tree.children?.[tree.children.length - 1];
    const entry = `${style.indent}${JSON.stringify(key)}: []`;
    text = last
      ? `${text.slice(0, last.offset + last.length)},${style.eol}${entry}${text.slice(last.offset + last.length)}`
      : `{${style.eol}${entry}${style.eol}}${text.slice(tree.offset + tree.length)}`;
    tree = treeOf(text, "the app's indexes file");
    array = jsonc.findNodeAtLocation(tree, [key]);
  }
  if (!array || array.type !== "array") throw new Error(`the app's indexes file: "${key}" is not an array`);
  const items = array.children ?? [];
  const at = (/** @type {number} */ start, /** @type {number} */ end, /** @type {string} */ insert) =>
    text.slice(0, start) + insert + text.slice(end);
  if (value === undefined) {
    const item = items[index];
    if (index > 0) return at(items[index - 1].offset + items[index - 1].length, item.offset + item.length, "");
    if (items.length > 1) return at(item.offset, items[1].offset, "");
    return at(array.offset + 1, array.offset + array.length - 1, "");
  }
  const rendered = render(value, style, 2);
  if (index >= 0) return at(items[index].offset, items[index].offset + items[index].length, rendered);
  const last = items[items.length - 1];
  if (last) return at(last.offset + last.length, last.offset + last.length, `,${style.eol}${style.indent.repeat(2)}${rendered}`);
  const close = `${style.eol}${style.indent}`;
  return at(array.offset + 1, array.offset + array.length - 1, `${style.eol}${style.indent.repeat(2)}${rendered}${close}`);
}

/**
 * The app's firestore.indexes.json with Parley's composite indexes and field overrides merged
 * in, and the lock to keep beside it.
 * - Entries `lock` lists that Parley no longer has are removed (an upgrade dropped them).
 * - Parley's entries the file lacks are appended to `indexes` / `fieldOverrides`.
 * - A field override for a field Parley overrides is replaced when `lock` says an older Parley
 *   wrote it, and refused otherwise: it is the app's own, and one field has one override.
 * @param {string} appText The app's firestore.indexes.json.
 * @param {string} parleyText Parley's firestore.indexes.json.
 * @param {IndexesLock} lock What the last merge wrote ({@link EMPTY_LOCK} for none).
 * @returns {{ text: string, lock: IndexesLock }}
 * @throws Error when a file is not a JSON object, or the app overrides a field Parley overrides.
 */
export function mergeIndexes(appText, parleyText, lock) {
  /** @type {IndexesFile} */
  const parley = jsonc.parse(parleyText);
  const wanted = {
    indexes: (parley.indexes ?? []).map(canonical),
    fieldOverrides: (parley.fieldOverrides ?? []).map(canonical),
  };
  let text = appText;
  for (const key of /** @type {const} */ (["indexes", "fieldOverrides"])) {
    // An override of a field Parley still overrides is replaced in place below, not removed.
    const keptFields = new Set((parley.fieldOverrides ?? []).map(fieldKey));
    const replacedInPlace = (/** @type {string} */ entry) =>
      key === "fieldOverrides" && keptFields.has(fieldKey(JSON.parse(entry)));
    const stale = new Set(lock[key].filter((entry) => !wanted[key].includes(entry) && !replacedInPlace(entry)));
    /** @type {() => unknown[]} */
    const current = () => /** @type {IndexesFile} */ (jsonc.parse(text))[key] ?? [];
    for (let i = current().length - 1; i >= 0; i--) {
      if (stale.has(canonical(current()[i]))) text = editArray(text, key, i, undefined);
    }
    const values = key === "indexes" ? (parley.indexes ?? []) : (parley.fieldOverrides ?? []);
    for (const value of values) {
      const have = current();
      if (have.some((entry) => canonical(entry) === canonical(value))) continue;
      if (key === "fieldOverrides") {
        const sameField = have.findIndex(
          (entry) => fieldKey(/** @type {FieldOverride} */ (entry)) === fieldKey(/** @type {FieldOverride} */ (value)),
        );
        if (sameField !== -1) {
          if (!lock.fieldOverrides.includes(canonical(have[sameField]))) {
            throw new Error(
              `the app's indexes file already overrides ${fieldKey(/** @type {FieldOverride} */ (value))}, and so does Parley: ` +
                `merge the two overrides by hand (Parley's: ${JSON.stringify(value)})`,
            );
          }
          text = editArray(text, key, sameField, value);
          continue;
        }
      }
      text = editArray(text, key, -1, value);
    }
  }
  return { text, lock: wanted };
}
