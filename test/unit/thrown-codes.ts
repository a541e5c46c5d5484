import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { errorCodes, type ErrorCode } from "../../functions/src/shared/errors.js";

// A static scan of the error codes a piece of `functions/src` can throw: from a start node, it
// follows every name the code refers to (a top-level declaration of the same module, or one
// imported from another module of `functions/src`) and collects the code of each
// `new AppError("<code>", ...)` it reaches. It works on references, not on control flow, so it
// over-approximates within a function (every branch counts) but never misses a code reached
// through a call, a callback handed in (`findUser: findAuthUser`) or a helper that builds the
// error (`rateLimited`, `chatNotFound`). Code outside `functions/src` (SDKs) throws no AppError.

/** `functions/src`, absolute. */
export const sourceRoot = resolve(import.meta.dirname, "../../functions/src");

const codeSet = new Set<string>(errorCodes);

interface Declaration {
  node: ts.Node;
  file: ts.SourceFile;
}

interface ImportedName {
  module: string;
  name: string;
}

const parsed = new Map<string, ts.SourceFile>();

/** The parsed module at absolute path `path`. */
export function sourceFile(path: string): ts.SourceFile {
  let file = parsed.get(path);
  if (!file) {
    file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    parsed.set(path, file);
  }
  return file;
}

/** `./x.js` from module `from` as the absolute path of its `.ts` source, when it is in `functions/src`. */
function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const path = resolve(dirname(from), specifier.replace(/\.js$/, ".ts"));
  return path.startsWith(sourceRoot) && existsSync(path) ? path : undefined;
}

const topLevels = new WeakMap<ts.SourceFile, Map<string, ts.Node[]>>();
const importLists = new WeakMap<ts.SourceFile, Map<string, ImportedName>>();

/** The names a module declares at its top level (functions, classes, variables, enums), by name. */
function topLevelOf(file: ts.SourceFile): Map<string, ts.Node[]> {
  const known = topLevels.get(file);
  if (known) return known;
  const names = new Map<string, ts.Node[]>();
  topLevels.set(file, names);
  const add = (name: string, node: ts.Node) => names.set(name, [...(names.get(name) ?? []), node]);
  for (const statement of file.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      add(statement.name.text, statement);
    } else if (ts.isEnumDeclaration(statement)) {
      add(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        for (const name of boundNames(declaration.name)) add(name, declaration);
      }
    }
  }
  return names;
}

/** The identifiers a binding (`x`, `{ a, b: c }`, `[d]`) introduces. */
function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : boundNames(element.name)));
}

/** The values a module imports from other modules of `functions/src`, by local name (type-only imports left out). */
function importsOf(file: ts.SourceFile): Map<string, ImportedName> {
  const known = importLists.get(file);
  if (known) return known;
  const imports = new Map<string, ImportedName>();
  importLists.set(file, imports);
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const module = resolveModule(file.fileName, statement.moduleSpecifier.text);
    if (!clause || clause.isTypeOnly || !module) continue;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if (!element.isTypeOnly) imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      }
    } else if (bindings && ts.isNamespaceImport(bindings)) {
      imports.set(bindings.name.text, { module, name: "*" });
    }
  }
  return imports;
}

/** Where `name`, exported by module `module`, is declared: in it, or in a module it re-exports from. */
function exportedDeclarations(module: string, name: string, seen = new Set<string>()): Declaration[] {
  if (seen.has(`${module}#${name}`)) return [];
  seen.add(`${module}#${name}`);
  const file = sourceFile(module);
  const own = topLevelOf(file).get(name);
  if (own) return own.map((node) => ({ node, file }));
  const found: Declaration[] = [];
  for (const statement of file.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const target = resolveModule(module, statement.moduleSpecifier.text);
    if (!target) continue;
    const clause = statement.exportClause;
    if (!clause) found.push(...exportedDeclarations(target, name, seen));
    else if (ts.isNamedExports(clause)) {
      const element = clause.elements.find((candidate) => candidate.name.text === name);
      if (element) found.push(...exportedDeclarations(target, (element.propertyName ?? element.name).text, seen));
    }
  }
  return found;
}

/** The declarations identifier `node` of `file` may refer to (none for locals, parameters and outside code). */
function declarationsOf(node: ts.Identifier, file: ts.SourceFile): Declaration[] {
  const name = node.text;
  const local = topLevelOf(file).get(name);
  if (local) return local.map((declaration) => ({ node: declaration, file }));
  const imported = importsOf(file).get(name);
  if (!imported) return [];
  if (imported.name !== "*") return exportedDeclarations(imported.module, imported.name);
  // `ns.member`: the member of the imported module.
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    return exportedDeclarations(imported.module, parent.name.text);
  }
  return [];
}

/** Whether identifier `node` is a name being declared or a property key, not a reference. */
function isNotAReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    ((ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent)) &&
      parent.name === node)
  );
}

/** The code of `new AppError("<code>", ...)`, if `node` is one. */
function appErrorCode(node: ts.Node): ErrorCode | undefined {
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== "AppError") return undefined;
  const first = node.arguments?.[0];
  if (!first || !ts.isStringLiteralLike(first)) {
    throw new Error(`${node.getSourceFile().fileName}: an AppError whose code is not a string literal; the scan can't read it.`);
  }
  if (!codeSet.has(first.text)) throw new Error(`Unknown error code ${first.text}`);
  return first.text as ErrorCode;
}

/**
 * Every error code the code at `start` (a node of `file`) can throw, and the declarations that
 * throw each (as `path: name`, for messages).
 */
export function thrownCodes(start: ts.Node, file: ts.SourceFile): Map<ErrorCode, Set<string>> {
  const codes = new Map<ErrorCode, Set<string>>();
  const visited = new Set<ts.Node>();
  const queue: Declaration[] = [{ node: start, file }];
  while (queue.length > 0) {
    const { node: root, file: rootFile } = queue.pop()!;
    if (visited.has(root)) continue;
    visited.add(root);
    const where = `${relative(sourceRoot, rootFile.fileName)}: ${nameOf(root)}`;
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isTryStatement(node) && node.catchClause && swallows(node.catchClause)) {
        // Nothing thrown in the try block gets out: visit only the catch and finally blocks.
        visit(node.catchClause.block);
        if (node.finallyBlock) visit(node.finallyBlock);
        return;
      }
      const code = appErrorCode(node);
      if (code) codes.set(code, (codes.get(code) ?? new Set()).add(where));
      if (ts.isIdentifier(node) && !isNotAReference(node)) queue.push(...declarationsOf(node, rootFile));
      ts.forEachChild(node, visit);
    };
    visit(root);
  }
  return codes;
}

/**
 * Whether catch clause `clause` drops what it caught: it names no binding, or never uses it (a
 * clause that uses it, to rethrow, wrap or return it, is taken to let it out).
 */
function swallows(clause: ts.CatchClause): boolean {
  const binding = clause.variableDeclaration?.name;
  if (!binding) return true;
  const names = new Set(boundNames(binding));
  let used = false;
  const find = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && names.has(node.text)) used = true;
    else ts.forEachChild(node, find);
  };
  find(clause.block);
  return !used;
}

/** A declaration's name, for messages. */
function nameOf(node: ts.Node): string {
  const name = (node as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? name.text : ts.SyntaxKind[node.kind];
}

/**
 * The handler module of capability folder `capability` (whatever its file is called: the module
 * that declares an `Implementations<...>` object) and that object's entries, by operation name.
 */
export function handlerEntries(capability: string): { file: ts.SourceFile; entries: Map<string, ts.Node> } {
  const folder = join(sourceRoot, capability);
  for (const name of readdirSync(folder).filter((entry) => entry.endsWith(".ts"))) {
    const file = sourceFile(join(folder, name));
    for (const declarations of topLevelOf(file).values()) {
      for (const declaration of declarations) {
        if (!ts.isVariableDeclaration(declaration) || !declaration.type?.getText(file).startsWith("Implementations<")) continue;
        const object = declaration.initializer;
        if (!object || !ts.isObjectLiteralExpression(object))
          throw new Error(`${file.fileName}: handlers are not an object literal`);
        const entries = new Map<string, ts.Node>();
        for (const property of object.properties) {
          const key =
            property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text;
          if (key) entries.set(key, property);
        }
        return { file, entries };
      }
    }
  }
  throw new Error(`No module of ${capability}/ declares its handlers (an Implementations<...> object).`);
}

/** The capability folders of `functions/src` that declare operations: those with a `contract.ts`. */
export function capabilitiesWithContracts(): string[] {
  return readdirSync(sourceRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(sourceRoot, entry.name, "contract.ts")))
    .map((entry) => entry.name)
    .sort();
}
