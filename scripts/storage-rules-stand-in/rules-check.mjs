// Decides whether a storage.rules source denies every client request, the only case in which
// the stand-in's "permit: false" verdicts are the truth. Conservative: any `allow` whose
// condition is not literally `false` counts as access, so is anything it cannot parse.

/** Removes // and /* *\/ comments so that commented-out rules don't count. */
function stripComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
}

/**
 * Checks a storage.rules source.
 * @param {string} source the rules file's text
 * @returns {{ deniesAll: true } | { deniesAll: false, reason: string }}
 */
export function checkDeniesAllClientAccess(source) {
  const code = stripComments(source);
  const keywords = code.match(/\ballow\b/g)?.length ?? 0;
  const statements = [...code.matchAll(/\ballow\s+([\w\s,]+?)\s*(?::\s*if\s+([^;]*?))?\s*;/g)];
  if (statements.length !== keywords) {
    return { deniesAll: false, reason: "it has an `allow` statement the check cannot read" };
  }
  for (const [statement, , condition] of statements) {
    if (condition === undefined || condition.replace(/[\s()]/g, "") !== "false") {
      return { deniesAll: false, reason: `\`${statement.replace(/\s+/g, " ").trim()}\` may grant access` };
    }
  }
  return { deniesAll: true };
}
