// @ts-check
// Merges Parley's Firestore rules into an app's firestore.rules (`npx parley rules merge`).
//
// Parley's rules are one `match /databases/{database}/documents { ... }` block, with its own
// helper functions inside it. Firestore rules OR every match that applies, and a function is
// visible only in the block that declares it, so Parley's block can sit beside the app's own
// block in `service cloud.firestore` without touching it, and the app's functions and Parley's
// may share names. The block goes between two marker lines; a merge writes only what lies
// between them, so everything else in the file stays byte for byte, and a second merge with the
// same Parley changes nothing.

/** The first line of Parley's block in an app's rules. */
export const RULES_BEGIN = "// parley:begin";
/** The last line of Parley's block in an app's rules. */
export const RULES_END = "// parley:end";

const DOCUMENTS_MATCH = /^[ \t]*match\s+\/databases\/\{\w+\}\/documents\s*\{/m;
const SERVICE = /^[ \t]*service\s+cloud\.firestore\s*\{[^\n]*\n/m;
const VERSION_2 = /^\s*rules_version\s*=\s*['"]2['"]\s*;?/m;

/**
 * The offset just past the `}` that closes the `{` at `open` in rules source `text`, skipping
 * braces in comments and string literals.
 * @param {string} text
 * @param {number} open
 * @returns {number}
 */
function closingBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") i = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i === -1) break;
      i++;
    } else if (c === "'" || c === '"') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  throw new Error("Parley's firestore.rules: a `{` is never closed");
}

/**
 * Parley's `match /databases/{database}/documents { ... }` block from its own firestore.rules,
 * verbatim, from the start of its line to its closing `}`.
 * @param {string} parleyRules Parley's firestore.rules.
 * @returns {string}
 * @throws Error when the file has no such block.
 */
export function parleyRulesBlock(parleyRules) {
  const match = DOCUMENTS_MATCH.exec(parleyRules);
  if (!match) throw new Error("Parley's firestore.rules has no `match /databases/{database}/documents` block");
  const open = match.index + match[0].length - 1;
  return parleyRules.slice(match.index, closingBrace(parleyRules, open));
}

/**
 * The app's rules with Parley's block between the markers: replaced where the markers are,
 * otherwise inserted after the `service cloud.firestore {` line. Everything outside the markers
 * is kept byte for byte; the block takes the app file's line endings (CRLF or LF).
 * @param {string} appRules The app's firestore.rules.
 * @param {string} parleyRules Parley's firestore.rules.
 * @returns {string}
 * @throws Error when the app's file has one marker without the other, is not `rules_version = '2'`
 *   (Parley's rules need version 2), or has no `service cloud.firestore` block.
 */
export function mergeRules(appRules, parleyRules) {
  const eol = appRules.includes("\r\n") ? "\r\n" : "\n";
  const lines = [
    `  ${RULES_BEGIN}: Parley's rules, written by \`npx parley rules merge\`. Edit outside these markers only.`,
    ...parleyRulesBlock(parleyRules).split(/\r?\n/),
    `  ${RULES_END}`,
  ];
  const section = lines.join(eol) + eol;
  const begin = appRules.indexOf(RULES_BEGIN);
  const end = appRules.indexOf(RULES_END);
  if (begin !== -1 || end !== -1) {
    if (begin === -1 || end === -1 || end < begin) {
      throw new Error(`found ${begin === -1 ? RULES_END : RULES_BEGIN} without ${begin === -1 ? RULES_BEGIN : RULES_END}`);
    }
    const from = appRules.lastIndexOf("\n", begin) + 1;
    const lineEnd = appRules.indexOf("\n", end);
    const to = lineEnd === -1 ? appRules.length : lineEnd + 1;
    return appRules.slice(0, from) + section + appRules.slice(to);
  }
  if (!VERSION_2.test(appRules)) {
    throw new Error(
      "the app's rules must start with rules_version = '2'; (Parley's rules need version 2): add it, then merge again",
    );
  }
  const service = SERVICE.exec(appRules);
  if (!service) throw new Error("the app's rules have no `service cloud.firestore {` block");
  const at = service.index + service[0].length;
  return appRules.slice(0, at) + section + appRules.slice(at);
}
