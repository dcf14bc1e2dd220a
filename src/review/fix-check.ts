import { LRUCache } from "lru-cache";
import { ts } from "ts-morph";
import { scriptKindOf } from "./analysis/parse.js";
import type { LineReplacement } from "./types.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const {
  ModuleKind,
  ScriptKind,
  ScriptTarget,
  JsxEmit,
  createProgram,
  createSourceFile,
  flattenDiagnosticMessageText,
  forEachChild,
  isBindingElement,
  isBreakOrContinueStatement,
  isExportSpecifier,
  isIdentifier,
  isImportSpecifier,
  isJsxAttribute,
  isJsxClosingElement,
  isJsxOpeningElement,
  isJsxSelfClosingElement,
  isLabeledStatement,
  isMetaProperty,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isQualifiedName,
  isTypeNode,
  sortAndDeduplicateDiagnostics,
  transpileModule,
} = ts;

/**
 * The one gate every suggested fix passes before it is offered as code: the patched file must still
 * parse in its own language (a type annotation in a JavaScript file is a syntax error there), and
 * every name the changed lines use must exist at that point: declared in scope, imported, or a
 * runtime global. A fix that fails is described in prose instead, naming what to add.
 */

export interface FixCheck {
  ok: boolean;
  /** The first syntax error of the patched file, when it does not parse. */
  parseError?: string;
  /** Names the changed lines use that nothing in the patched file declares or imports. */
  undefinedNames: string[];
}

/** A line range of the patched file (1-based, inclusive) whose names are checked. */
export interface ChangedRange {
  startLine: number;
  endLine: number;
}

/** Whether fixes to this file can be checked (TypeScript and JavaScript); others are never offered as code. */
export function isCheckableSource(path: string): boolean {
  return scriptKindOf(path) !== undefined;
}

/** Whether the file is JavaScript, where a fix's code sample must carry no type syntax. */
export function isJavaScriptPath(path: string): boolean {
  const kind = scriptKindOf(path);
  return kind === ScriptKind.JS || kind === ScriptKind.JSX;
}

/**
 * Names a fix may use without declaring them: the runtime's globals (read from this process, so
 * they follow the Node version), CommonJS module bindings, and the globals of web runtimes (edge
 * functions, browsers) that server code of these frameworks also reaches.
 */
const RUNTIME_GLOBALS = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  "arguments",
  "require",
  "module",
  "exports",
  "__dirname",
  "__filename",
  "window",
  "document",
  "location",
  "navigator",
  "localStorage",
  "sessionStorage",
]);

const COMPILER_OPTIONS: ts.CompilerOptions = {
  noLib: true,
  noResolve: true,
  types: [],
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: ScriptTarget.ESNext,
  module: ModuleKind.ESNext,
  jsx: JsxEmit.Preserve,
};

/**
 * `text` parsed for the gate, under a virtual name so nothing on disk is ever read for it. A
 * TypeScript file is parsed without parent pointers: its syntax errors need none, and the name
 * check sets them on the paths it reads (the parser's own pass over the whole tree was two fifths
 * of the parse). JavaScript keeps them for the program's walk.
 */
function parseForCheck(path: string, text: string, kind: ts.ScriptKind): ts.SourceFile {
  return createSourceFile(`/__fix__/${path.replace(/[^\w./-]/g, "_")}`, text, ScriptTarget.ESNext, !isTypeScriptKind(kind), kind);
}

function isTypeScriptKind(kind: ts.ScriptKind): boolean {
  return kind === ScriptKind.TS || kind === ScriptKind.TSX;
}

/** A one-file program over a parsed file, for its syntax diagnostics (JavaScript's include TypeScript-only syntax). */
function oneFileProgram(sourceFile: ts.SourceFile): ts.Program {
  const fileName = sourceFile.fileName;
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === fileName,
    readFile: (name) => (name === fileName ? sourceFile.text : undefined),
    // Imports are never followed (`noResolve`): answering "unresolved" spares the compiler's module resolution.
    resolveModuleNameLiterals: (literals) => literals.map(() => ({ resolvedModule: undefined })),
  };
  return createProgram({ rootNames: [fileName], options: COMPILER_OPTIONS, host });
}

/**
 * The syntax diagnostics a one-file program reports. For a TypeScript file the program returns
 * the parser's own diagnostics, sorted: they are read from the tree without building a program (a
 * program per patched file was an eighth of a review). For JavaScript the program adds the
 * TypeScript-only syntax it finds (type annotations, `interface`, `!`), so those files still get one.
 */
function syntaxDiagnostics(sourceFile: ts.SourceFile, kind: ts.ScriptKind): readonly ts.Diagnostic[] {
  const parsed = (sourceFile as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics;
  if (isTypeScriptKind(kind) && Array.isArray(parsed)) return sortAndDeduplicateDiagnostics(parsed);
  return oneFileProgram(sourceFile).getSyntacticDiagnostics(sourceFile);
}

/** An identifier that names a value to be looked up in scope (not a property, a key, a label or a type). */
function isValueReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (isQualifiedName(parent)) return false;
  if (isPropertyAssignment(parent) && parent.name === id) return false;
  if (isBindingElement(parent) && parent.propertyName === id) return false;
  if ((isImportSpecifier(parent) || isExportSpecifier(parent)) && parent.propertyName === id) return false;
  if (isJsxAttribute(parent)) return false;
  // `<div>` is an intrinsic element, not a name; `<Button>` is a component that must exist.
  if ((isJsxOpeningElement(parent) || isJsxSelfClosingElement(parent) || isJsxClosingElement(parent)) && /^[a-z]/.test(id.text)) return false;
  if (isLabeledStatement(parent) || isBreakOrContinueStatement(parent) || isMetaProperty(parent)) return false;
  // Members and keys of declarations are not lookups.
  if ("name" in parent && (parent as { name?: ts.Node }).name === id && !ts.isShorthandPropertyAssignment(parent) && !isDeclarationName(parent)) return false;
  for (let node: ts.Node | undefined = parent; node; node = node.parent) if (isTypeNode(node)) return false;
  return true;
}

/** Declarations whose name is bound in scope (a lookup of it resolves to itself). */
function isDeclarationName(parent: ts.Node): boolean {
  return (
    ts.isVariableDeclaration(parent) ||
    ts.isParameter(parent) ||
    ts.isFunctionDeclaration(parent) ||
    ts.isFunctionExpression(parent) ||
    ts.isClassDeclaration(parent) ||
    ts.isClassExpression(parent) ||
    ts.isBindingElement(parent) ||
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isImportEqualsDeclaration(parent) ||
    ts.isEnumDeclaration(parent)
  );
}

/** Every name a binding declares (`a`, `{ b, c: [d] }`). */
function addBindingNames(name: ts.BindingName, out: Set<string>): void {
  if (isIdentifier(name)) out.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBindingNames(element.name, out);
}

function addStatementNames(statement: ts.Statement, out: Set<string>): void {
  if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) addBindingNames(d.name, out);
  else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) && statement.name && isIdentifier(statement.name)) out.add(statement.name.text);
  else if (ts.isImportEqualsDeclaration(statement)) out.add(statement.name.text);
  else if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    if (clause.name) out.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) out.add(bindings.name.text);
    else if (bindings) for (const element of bindings.elements) out.add(element.name.text);
  }
}

/** `var` declarations of a function body, hoisted out of its blocks (not out of nested functions). */
function addHoistedVars(node: ts.Node, out: Set<string>): void {
  forEachChild(node, (child) => {
    if (ts.isFunctionLike(child) || ts.isClassLike(child)) return;
    if (ts.isVariableDeclarationList(child) && (child.flags & ts.NodeFlags.BlockScoped) === 0) for (const d of child.declarations) addBindingNames(d.name, out);
    addHoistedVars(child, out);
  });
}

/** The names a node's own scope declares: a block's statements, a function's parameters and hoisted vars, a loop's or catch's binding. */
function namesDeclaredBy(node: ts.Node): Set<string> {
  const out = new Set<string>();
  if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) for (const statement of node.statements) addStatementNames(statement, out);
  if (ts.isFunctionLike(node)) {
    for (const parameter of node.parameters) addBindingNames(parameter.name, out);
    if ((ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) && node.name) out.add(node.name.text);
    if ("body" in node && node.body) addHoistedVars(node.body, out);
  }
  if (ts.isSourceFile(node)) addHoistedVars(node, out);
  if ((ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) for (const d of node.initializer.declarations) addBindingNames(d.name, out);
  if (ts.isCatchClause(node) && node.variableDeclaration) addBindingNames(node.variableDeclaration.name, out);
  if (ts.isClassLike(node) && node.name) out.add(node.name.text);
  return out;
}

/**
 * Value names used in `ranges` of the file that nothing in scope at that point declares: the
 * enclosing blocks, functions, loops, catch clauses and the file's own declarations and imports.
 * Lexical scope is read from the syntax tree: the compiler's checker would cost a tenth of a
 * second per fix on a large file to answer the same question about names.
 */
function unboundNames(sourceFile: ts.SourceFile, ranges: readonly ChangedRange[] | undefined): Set<string> {
  const scopes = new Map<ts.Node, Set<string>>();
  const declaredAt = (id: ts.Identifier): boolean => {
    for (let node: ts.Node | undefined = id.parent; node; node = node.parent) {
      let names = scopes.get(node);
      if (!names) {
        names = namesDeclaredBy(node);
        scopes.set(node, names);
      }
      if (names.has(id.text)) return true;
    }
    return false;
  };
  const starts = ranges?.map((r) => ({ from: sourceFile.getPositionOfLineAndCharacter(Math.max(0, r.startLine - 1), 0), to: lineEnd(sourceFile, r.endLine) }));
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (starts && !starts.some((r) => node.end >= r.from && node.getStart(sourceFile) <= r.to)) return;
    if (isIdentifier(node)) {
      const inRange = !starts || starts.some((r) => node.getStart(sourceFile) >= r.from && node.end <= r.to);
      if (inRange && isValueReference(node) && !RUNTIME_GLOBALS.has(node.text) && !declaredAt(node)) out.add(node.text);
      return;
    }
    forEachChild(node, (child) => {
      // The tree may come without parent pointers: every node read here hangs below the nodes visited on the way down.
      (child as { parent: ts.Node }).parent = node;
      visit(child);
    });
  };
  visit(sourceFile);
  return out;
}

function lineEnd(sourceFile: ts.SourceFile, line: number): number {
  const starts = sourceFile.getLineStarts();
  return line >= starts.length ? sourceFile.text.length : starts[line]! - 1;
}

function firstSyntaxError(sourceFile: ts.SourceFile, kind: ts.ScriptKind): string | undefined {
  const [diagnostic] = syntaxDiagnostics(sourceFile, kind);
  if (!diagnostic) return undefined;
  const line = diagnostic.start !== undefined ? sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : undefined;
  return `${flattenDiagnosticMessageText(diagnostic.messageText, " ")}${line ? ` (line ${line})` : ""}`;
}

/**
 * The file a fix patches, before the fix: its text, or the tree the review already parsed of it
 * (parent pointers set, parsed as its path's language), which spares parsing it again.
 */
export type OriginalSource = string | ts.SourceFile;

/** Names a file already uses undeclared (its runtime's ambient globals): the same file is checked again for each of its fixes. */
const originals = new LRUCache<string, Set<string>>({ max: 32 });
/** The same for files whose tree the review kept: held as long as the tree is. */
const originalTrees = new WeakMap<ts.SourceFile, Set<string>>();

function unboundInOriginal(path: string, original: OriginalSource, kind: ts.ScriptKind): Set<string> {
  if (typeof original !== "string") {
    let names = originalTrees.get(original);
    if (!names) {
      names = unboundNames(original, undefined);
      originalTrees.set(original, names);
    }
    return names;
  }
  const key = `${path}\0${original}`;
  let names = originals.get(key);
  if (!names) {
    names = unboundNames(createSourceFile(path, original, ScriptTarget.ESNext, true, kind), undefined);
    originals.set(key, names);
  }
  return names;
}

/**
 * Checks `patched` (the whole file after the fix): it parses in the language its path says, and
 * the names used in `changed` resolve. Names the original file already used without declaring
 * them (an ambient global of the project's runtime) are accepted again: the fix did not add them.
 */
export function checkPatchedSource(path: string, patched: string, changed: readonly ChangedRange[], original?: OriginalSource): FixCheck {
  return checkPatchedRanges(path, patched, [changed], original)[0]!;
}

/**
 * One parse of `patched` answering for several groups of ranges: each group's names are checked
 * apart (a syntax error fails every group, since it cannot be told whose it is).
 */
function checkPatchedRanges(path: string, patched: string, groups: readonly (readonly ChangedRange[])[], original?: OriginalSource): FixCheck[] {
  const kind = scriptKindOf(path);
  const failed = (parseError: string) => groups.map(() => ({ ok: false, parseError, undefinedNames: [] }));
  if (kind === undefined) return failed("the review cannot check fixes in this language");
  try {
    const sourceFile = parseForCheck(path, patched, kind);
    const parseError = firstSyntaxError(sourceFile, kind);
    if (parseError) return failed(parseError);
    return groups.map((changed) => {
      const unbound = unboundNames(sourceFile, changed);
      if (unbound.size > 0 && original !== undefined) for (const name of unboundInOriginal(path, original, kind)) unbound.delete(name);
      const undefinedNames = [...unbound].sort();
      return { ok: undefinedNames.length === 0, undefinedNames };
    });
  } catch (error) {
    // The parser and the scope walk recurse: a file nested thousands deep is not checked, so its fix is not offered.
    if (error instanceof RangeError) return failed("the file is nested too deep to check");
    throw error;
  }
}

/** The file's text with whole lines `startLine..endLine` replaced (the replacement has no trailing newline). */
export function applyReplacement(text: string, replacement: LineReplacement): string {
  const lines = text.split("\n");
  lines.splice(replacement.startLine - 1, replacement.endLine - replacement.startLine + 1, ...replacement.text.split("\n"));
  return lines.join("\n");
}

/** The patched file's lines that a replacement wrote. */
export function replacedRange(replacement: LineReplacement): ChangedRange {
  return { startLine: replacement.startLine, endLine: replacement.startLine + replacement.text.split("\n").length - 1 };
}

/** The review's tree of the file when it is a parse of exactly `text`, else the text (parsed when needed). */
function originalOf(text: string, tree: ts.SourceFile | undefined): OriginalSource {
  return tree?.text === text ? tree : text;
}

/** Checks one line replacement of `text`, the file at `path` (`tree`: the review's parse of `text`, when it kept one). */
export function checkReplacement(path: string, text: string, replacement: LineReplacement, tree?: ts.SourceFile): FixCheck {
  const lines = text.split("\n").length;
  if (replacement.startLine < 1 || replacement.endLine < replacement.startLine || replacement.endLine > lines) return { ok: false, parseError: "the replaced lines are not in the file", undefinedNames: [] };
  return checkPatchedSource(path, applyReplacement(text, replacement), [replacedRange(replacement)], originalOf(text, tree));
}

/**
 * Checks several replacements of one file with one parse: all applied together when they do not
 * overlap, each one's names checked in its own lines. Undefined when they overlap or the joint
 * file does not parse: then each is checked alone ({@link checkReplacement}).
 */
export function checkReplacementsTogether(path: string, text: string, replacements: readonly LineReplacement[], tree?: ts.SourceFile): FixCheck[] | undefined {
  const fileLines = text.split("\n");
  const lines = fileLines.length;
  // A replacement that declares a name could make another one's use of it look defined: those are checked alone.
  const declares = (r: LineReplacement) => {
    const kept = new Set(fileLines.slice(r.startLine - 1, r.endLine));
    return r.text.split("\n").some((line) => !kept.has(line) && /\b(const|let|var|function|class|import)\b/.test(line));
  };
  if (replacements.some(declares)) return undefined;
  const order = replacements.map((r, i) => ({ r, i })).sort((a, b) => a.r.startLine - b.r.startLine);
  for (let k = 0; k < order.length; k++) {
    const { r } = order[k]!;
    if (r.startLine < 1 || r.endLine < r.startLine || r.endLine > lines) return undefined;
    if (k > 0 && r.startLine <= order[k - 1]!.r.endLine) return undefined;
  }
  let patched = text;
  for (const { r } of [...order].reverse()) patched = applyReplacement(patched, r);
  const ranges: ChangedRange[] = new Array(replacements.length);
  let shift = 0;
  for (const { r, i } of order) {
    const written = replacedRange(r);
    ranges[i] = { startLine: written.startLine + shift, endLine: written.endLine + shift };
    shift += written.endLine - written.startLine - (r.endLine - r.startLine);
  }
  const checks = checkPatchedRanges(path, patched, ranges.map((range) => [range]), originalOf(text, tree));
  return checks.some((c) => c.parseError) ? undefined : checks;
}

/**
 * A fix's code sample written for the file's language: in a JavaScript file a TypeScript sample
 * has its types stripped by the compiler; a sample that parses neither way is left out (the
 * prose before it stands alone).
 */
export function sampleForLanguage(sample: string, path: string): string | undefined {
  if (!isJavaScriptPath(path)) return sample;
  try {
    return javaScriptSample(sample);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function javaScriptSample(sample: string): string | undefined {
  if (!firstSyntaxError(parseForCheck("sample.js", sample, ScriptKind.JS), ScriptKind.JS)) return sample;
  if (firstSyntaxError(parseForCheck("sample.ts", sample, ScriptKind.TS), ScriptKind.TS)) return undefined;
  const output = transpileModule(sample, { compilerOptions: { target: ScriptTarget.ESNext, module: ModuleKind.ESNext, removeComments: false }, reportDiagnostics: false }).outputText;
  return output.replace(/\n*export \{\};\s*$/, "").trimEnd();
}
