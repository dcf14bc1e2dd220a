import { ts } from "ts-morph";
import type { Config } from "../../config/schema.js";
import { collectFileFacts, isFunctionNode, skipOuterExpressions, type Binding, type CallFact, type FileFacts, type FunctionFact } from "./facts.js";

/** What a module exports under a name: a binding or expression of its own. */
export type ExportEntry = NonNullable<ReturnType<FileFacts["exports"]["get"]>>;

/**
 * Where a module's export of a name comes from, through its re-exports: a binding or expression of
 * the file that declares it (`own`), a whole module (`export * as ns from "./x"`), or a module the
 * review has no file for (a package, an unread module), with the member path there.
 */
export type ExportOrigin =
  | { kind: "own"; file: AnalysedFile; exported: ExportEntry; via: AnalysedFile[] }
  | { kind: "namespace"; file: AnalysedFile; specifier: string; via: AnalysedFile[] }
  | { kind: "external"; file: AnalysedFile; specifier: string; imported: string[]; via: AnalysedFile[] };
import { parseSource, type Language } from "./parse.js";
import { EMPTY_LAYOUT, expandCandidates, isRepositorySpecifier, specifierBases, type ModuleLayout } from "../module-layout.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isArrowFunction, isBinaryExpression, isBlock, isCallExpression, isElementAccessExpression, isExpressionStatement, isFunctionDeclaration, isFunctionExpression, isIdentifier, isMethodDeclaration, isNewExpression, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isStringLiteralLike } = ts;

/**
 * The PR's analysable files, parsed once, with their facts and a symbolic resolver that follows a
 * name through imports (including other files of the snapshot), variables and destructuring to the
 * package member it stands for. There is no type checker: resolution is syntactic and bounded.
 */

export interface AnalysedFile {
  path: string;
  text: string;
  language: Language;
  /** Under a migrations folder (SQL, Prisma `migrations/*\/migration.sql`, dbmate, Knex). */
  isMigration: boolean;
  /** Read for its guards, not reviewed: the PR does not change it (see review/context-files.ts). */
  context: boolean;
  /** True when the line (1-based) was added or changed by the PR. */
  isChanged(line: number): boolean;
  /** Parsed tree and facts, for TypeScript and JavaScript. */
  facts?: FileFacts;
  lines: readonly string[];
}

export interface Resolved {
  /**
   * `module`: a member of an imported package (or of a project module outside the snapshot);
   * `function`: a function declared in a snapshot file; `param`: a parameter; `global`: an
   * unbound name (`console`, `process`, `fetch`); `local`: a variable without a resolvable value.
   */
  kind: "module" | "function" | "param" | "global" | "local" | "unknown";
  /** Package name (`jsonwebtoken`, `@supabase/supabase-js`) or project specifier (`@/lib/auth`). */
  module?: string;
  /** Root name for globals, params and locals. */
  name?: string;
  /** The snapshot file where the root lives. */
  file: AnalysedFile;
  fn?: FunctionFact;
  binding?: Binding;
  /** Member path from the root; `()` marks a call. */
  path: string[];
  /** Calls and `new` expressions passed through, innermost value first (e.g. the `createClient(…)` that made a client). */
  origins: Array<ts.CallExpression | ts.NewExpression>;
  /** Files the resolution passed through, for cross-file origin lookups. */
  originFiles: AnalysedFile[];
  /**
   * A whole PR module taken as a value without a default export (`require("./users.controller")`,
   * `import * as users from "./users"`, a barrel's `module.exports.users = require(…)`): its members
   * are that file's exports.
   */
  namespace: AnalysedFile | undefined;
}

const MIGRATION_DIR = /(^|\/)(migrations?|migrate|db\/migrate)\//i;

export function isMigrationPath(path: string): boolean {
  if (!MIGRATION_DIR.test(path)) return false;
  return /\.(sql|ts|js|mjs|cjs)$/i.test(path);
}

/** Most barrels followed to find one export (`export * from` within `export * from` …). */
const REEXPORT_MAX_DEPTH = 8;

/** Deepest `resolve` recursion; beyond it an expression is `unknown` (cycles, pathological chains). */
const RESOLVE_MAX_DEPTH = 12;

const RESOLVE_EXTENSIONS = ["", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", "/index.ts", "/index.tsx", "/index.js", "/index.jsx"];

function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function dirname(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** `node:crypto` → `crypto`; a package's own name otherwise. */
export function packageName(specifier: string): string {
  return specifier.startsWith("node:") ? specifier.slice(5) : specifier;
}

export function isProjectSpecifier(specifier: string): boolean {
  return specifier.startsWith(".") || specifier.startsWith("@/") || specifier.startsWith("~/") || specifier.startsWith("#") || specifier.startsWith("src/");
}

/**
 * Every `Resolved` is built here with all its fields in one order (absent ones `undefined`): one
 * object shape, where spreading objects of a dozen shapes sent each copy down V8's slow path.
 */
function made(
  kind: Resolved["kind"],
  file: AnalysedFile,
  path: string[],
  origins: Resolved["origins"],
  originFiles: AnalysedFile[],
  module?: string,
  name?: string,
  fn?: FunctionFact,
  binding?: Binding,
  namespace?: AnalysedFile,
): Resolved {
  return { kind, module, name, file, fn, binding, path, origins, originFiles, namespace };
}

/** `inner` with a new member path, origins, files passed through and binding. */
function derived(inner: Resolved, path: string[], origins: Resolved["origins"], originFiles: AnalysedFile[], binding: Binding | undefined): Resolved {
  return { kind: inner.kind, module: inner.module, name: inner.name, file: inner.file, fn: inner.fn, binding, path, origins, originFiles, namespace: path.length === 0 ? inner.namespace : undefined };
}

/** Where a member access finds methods: a constructor function, for the instances it makes. */
interface MethodOwner {
  file: AnalysedFile;
  ctor: FunctionFact;
}

/** `left = right` as a statement of its own. */
function assignmentOf(statement: ts.Statement): { left: ts.Expression; right: ts.Expression } | undefined {
  if (!isExpressionStatement(statement)) return undefined;
  const expr = statement.expression;
  return isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.EqualsToken ? { left: skipOuterExpressions(expr.left), right: expr.right } : undefined;
}

export class AnalysedProject {
  readonly files: AnalysedFile[];
  private readonly byPath = new Map<string, AnalysedFile>();
  private readonly functionByNode = new Map<ts.Node, FunctionFact>();
  private readonly fileBySource = new Map<ts.SourceFile, AnalysedFile>();
  private readonly moduleCache = new Map<string, AnalysedFile | undefined>();
  /** Every name some function of the PR binds: any other name can only be a module's (or unbound). */
  private readonly functionBound = new Set<string>();
  /**
   * What each binding resolves to, with how many levels below it the resolution went (`span`): the
   * answer does not depend on where the name is used, only on the depth bound, so it is reused
   * wherever `depth + span` stays within the bound (and stored only when the bound was not hit).
   */
  private readonly bindingMemo = new Map<Binding, { result: Resolved; span: number }>();
  /** Where each file's exported names come from through its re-exports (file path → name → origin). */
  private readonly exportMemo = new Map<string, Map<string, ExportOrigin | undefined>>();
  /** Deepest `resolve` depth reached by the resolution in progress. */
  private deepest = 0;
  /** Times the depth bound cut a resolution short. */
  private limitHits = 0;

  constructor(
    files: AnalysedFile[],
    readonly config: Config,
    /** The repository's path aliases and workspace packages, when the loader read them. */
    private readonly layout: ModuleLayout = EMPTY_LAYOUT,
    /** Modules the loader found but did not read (path → why). */
    private readonly unread: ReadonlyMap<string, string> = new Map(),
  ) {
    this.files = files;
    for (const file of files) {
      this.byPath.set(file.path, file);
      if (file.facts) this.fileBySource.set(file.facts.sourceFile, file);
      for (const fn of file.facts?.functions ?? []) {
        this.functionByNode.set(fn.node, fn);
        for (const name of fn.bindings.keys()) this.functionBound.add(name);
      }
    }
  }

  callOf(node: ts.Node): CallFact | undefined {
    // The facts walk's own index of its file (no project-wide map of every call).
    return this.fileBySource.get(node.getSourceFile())?.facts?.callByNode.get(node);
  }

  fileOf(node: ts.Node): AnalysedFile | undefined {
    return this.fileBySource.get(node.getSourceFile());
  }

  /** Calls inside a function's text, callbacks included, in source order (calls are recorded in start order). */
  callsWithin(fn: FunctionFact): CallFact[] {
    const file = this.fileOf(fn.node);
    const calls = file?.facts?.calls ?? [];
    const sf = fn.node.getSourceFile();
    const start = fn.node.getStart(sf);
    const end = fn.node.getEnd();
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (calls[mid]!.start < start) lo = mid + 1;
      else hi = mid;
    }
    const out: CallFact[] = [];
    for (let i = lo; i < calls.length && calls[i]!.start < end; i++) out.push(calls[i]!);
    return out;
  }

  file(path: string): AnalysedFile | undefined {
    return this.byPath.get(path);
  }

  functionOf(node: ts.Node): FunctionFact | undefined {
    return this.functionByNode.get(node);
  }

  /** The snapshot file an import specifier names, when the PR contains it (memoised by importing folder and specifier). */
  /**
   * Whether an import names a module of the repository (read or not) rather than a package: by its
   * shape, the repository's path aliases and workspace packages, or a file the review has for it.
   */
  isProjectModule(from: AnalysedFile, specifier: string): boolean {
    return isProjectSpecifier(specifier) || isRepositorySpecifier(from.path, specifier, this.layout) || this.findByLayout(from, specifier) !== undefined;
  }

  resolveModule(from: AnalysedFile, specifier: string): AnalysedFile | undefined {
    const key = `${dirname(from.path)}\0${specifier}`;
    if (this.moduleCache.has(key)) return this.moduleCache.get(key);
    const found = this.findModule(from, specifier);
    this.moduleCache.set(key, found);
    return found;
  }

  /**
   * Why an import the review has no file for was not read: a module of the repository the loader
   * left out (its limits, its size), or a package from outside the repository.
   */
  unreadReason(from: AnalysedFile, specifier: string): string {
    for (const base of specifierBases(from.path, specifier, this.layout)) {
      for (const candidate of expandCandidates(base)) {
        const reason = this.unread.get(candidate);
        if (reason !== undefined) return `\`${candidate}\`, not read: ${reason}`;
      }
    }
    return this.isProjectModule(from, specifier) ? "a module of the repository the review did not have" : "a package from outside the repository";
  }

  /** A file of the review an import names under the repository's own layout (the resolution the context loader followed). */
  private findByLayout(from: AnalysedFile, specifier: string): AnalysedFile | undefined {
    for (const base of specifierBases(from.path, specifier, this.layout)) {
      for (const candidate of expandCandidates(base)) {
        const hit = this.byPath.get(candidate);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  private findModule(from: AnalysedFile, specifier: string): AnalysedFile | undefined {
    const byLayout = this.findByLayout(from, specifier);
    if (byLayout) return byLayout;
    const candidates: string[] = [];
    if (specifier.startsWith(".")) candidates.push(normalisePath(`${dirname(from.path)}/${specifier}`));
    else if (specifier.startsWith("@/") || specifier.startsWith("~/")) {
      const rest = specifier.slice(2);
      candidates.push(rest, `src/${rest}`, `app/${rest}`);
    } else if (specifier.startsWith("#")) candidates.push(specifier.slice(1), `src/${specifier.slice(1)}`);
    else candidates.push(specifier);
    for (const base of candidates) {
      const stripped = base.replace(/\.(m|c)?js$/, "");
      for (const root of stripped === base ? [base] : [base, stripped]) {
        for (const ext of RESOLVE_EXTENSIONS) {
          const hit = this.byPath.get(root + ext);
          if (hit) return hit;
        }
      }
    }
    return undefined;
  }

  /**
   * A module's export of a name, following its re-exports: its own export first, then a named
   * re-export (`export { a as b } from "./x"`, `export * as ns from "./x"`) to the original module and
   * name, then each `export * from` (never for `default`) into nested barrels. Cycles end at a file
   * already visited for the name; chains end at {@link REEXPORT_MAX_DEPTH}.
   */
  exportOf(file: AnalysedFile, name: string): ExportOrigin | undefined {
    let memo = this.exportMemo.get(file.path);
    if (!memo) this.exportMemo.set(file.path, (memo = new Map()));
    if (memo.has(name)) return memo.get(name);
    const found = this.findExport(file, name, new Set(), 0);
    memo.set(name, found);
    return found;
  }

  private findExport(file: AnalysedFile, name: string, visited: Set<AnalysedFile>, depth: number): ExportOrigin | undefined {
    const facts = file.facts;
    if (!facts || visited.has(file) || depth > REEXPORT_MAX_DEPTH) return undefined;
    visited.add(file);
    const own = facts.exports.get(name);
    if (own) return { kind: "own", file, exported: own, via: [] };
    const named = facts.reExports.get(name);
    if (named) {
      const target = this.resolveModule(file, named.module);
      if (!target) return { kind: "external", file, specifier: named.module, imported: named.imported === undefined || named.imported === "default" ? [] : [named.imported], via: [] };
      if (named.imported === undefined) return { kind: "namespace", file: target, specifier: named.module, via: [file] };
      const inner = this.findExport(target, named.imported, visited, depth + 1);
      return inner && { ...inner, via: [file, ...inner.via] };
    }
    if (name === "default") return undefined;
    for (const specifier of facts.starExports) {
      const target = this.resolveModule(file, specifier);
      if (!target) continue;
      const inner = this.findExport(target, name, visited, depth + 1);
      if (inner) return { ...inner, via: [file, ...inner.via] };
    }
    return undefined;
  }

  /** What a module's export resolves to (its binding or expression, the module it re-exports), or undefined when it has none. */
  private resolveExport(file: AnalysedFile, name: string, depth: number): Resolved | undefined {
    const origin = this.exportOf(file, name);
    if (!origin) return undefined;
    if (origin.kind === "namespace") return made("module", origin.file, [], [], [...origin.via, origin.file], origin.specifier, undefined, undefined, undefined, origin.file);
    if (origin.kind === "external") {
      const external = this.isProjectModule(origin.file, origin.specifier) ? origin.specifier : packageName(origin.specifier);
      return made("module", origin.file, [...origin.imported], [], [...origin.via, origin.file], external);
    }
    const inner = origin.exported.kind === "expression" ? this.resolve(origin.file, origin.exported.expr, depth + 1) : this.resolveBinding(origin.file, origin.exported, depth + 1);
    return origin.via.length === 0 ? inner : derived(inner, inner.path, inner.origins, [...origin.via, ...inner.originFiles], inner.binding);
  }

  /** The binding a name refers to at a node: the nearest enclosing function's, else the module's. */
  lookup(file: AnalysedFile, name: string, at: ts.Node): Binding | undefined {
    // No function binds the name: skip walking up through the enclosing functions.
    if (!this.functionBound.has(name)) return file.facts?.moduleBindings.get(name);
    let node: ts.Node | undefined = at;
    while (node) {
      if (isFunctionNode(node)) {
        const binding = this.functionByNode.get(node)?.bindings.get(name);
        if (binding) return binding;
      }
      node = node.parent;
    }
    return file.facts?.moduleBindings.get(name);
  }

  /** The function of the review an expression stands for itself (not a member of what it returns), with its file. */
  declaredFunction(file: AnalysedFile, expression: ts.Expression, depth = 0): { file: AnalysedFile; fn: FunctionFact } | undefined {
    const resolved = this.resolve(file, expression, depth);
    return resolved.kind === "function" && resolved.fn && resolved.path.length === 0 ? { file: resolved.file, fn: resolved.fn } : undefined;
  }

  /** Follows an expression to what it stands for. Bounded: cycles and deep chains give `unknown`. */
  resolve(file: AnalysedFile, expression: ts.Expression, depth = 0): Resolved {
    if (depth > this.deepest) this.deepest = depth;
    if (depth > RESOLVE_MAX_DEPTH) {
      this.limitHits++;
      return made("unknown", file, [], [], [file]);
    }
    const expr = skipOuterExpressions(expression);

    if (isIdentifier(expr)) {
      const binding = this.lookup(file, expr.text, expr);
      if (!binding) return made("global", file, [], [], [file], undefined, expr.text);
      const memo = this.bindingMemo.get(binding);
      if (memo && depth + memo.span <= RESOLVE_MAX_DEPTH) {
        if (depth + memo.span > this.deepest) this.deepest = depth + memo.span;
        return memo.result;
      }
      const outerDeepest = this.deepest;
      const hits = this.limitHits;
      this.deepest = depth;
      const result = this.resolveBinding(file, binding, depth);
      if (!memo && hits === this.limitHits) this.bindingMemo.set(binding, { result, span: this.deepest - depth });
      if (outerDeepest > this.deepest) this.deepest = outerDeepest;
      return result;
    }
    if (isPropertyAccessExpression(expr) || (isElementAccessExpression(expr) && isStringLiteralLike(expr.argumentExpression))) {
      const inner = this.resolve(file, expr.expression, depth + 1);
      const name = isPropertyAccessExpression(expr) ? expr.name.text : (expr.argumentExpression as ts.StringLiteralLike).text;
      // A member of a whole PR module is what that module exports under the name.
      const member = inner.namespace ? this.resolveExport(inner.namespace, name, depth) : undefined;
      if (member) return derived(member, member.path, member.origins, [...inner.originFiles, ...member.originFiles], member.binding);
      const method = this.methodOf(file, expr.expression, inner, name, depth);
      if (method) return method;
      return derived(inner, [...inner.path, name], inner.origins, inner.originFiles, inner.binding);
    }
    if (isCallExpression(expr) || isNewExpression(expr)) {
      const callee = skipOuterExpressions(expr.expression);
      if (isCallExpression(expr) && isIdentifier(callee) && callee.text === "require" && !this.lookup(file, "require", callee)) {
        const arg = expr.arguments[0];
        if (arg && isStringLiteralLike(arg)) return this.resolveImport(file, arg.text, [], depth);
      }
      // `const { check } = await import("./check.server")`: the module, as a static import would give it.
      if (isCallExpression(expr) && callee.kind === SyntaxKind.ImportKeyword) {
        const arg = expr.arguments[0];
        if (arg && isStringLiteralLike(arg)) return this.resolveImport(file, arg.text, [], depth);
      }
      const inner = this.resolve(file, callee, depth + 1);
      return derived(inner, [...inner.path, "()"], [expr, ...inner.origins], [file, ...inner.originFiles], inner.binding);
    }
    // `const deleteNote = async (id) => …`: the function itself, as a declaration would be.
    if (isFunctionNode(expr)) {
      const fn = this.functionByNode.get(expr);
      if (fn) return made("function", file, [], [], [file], undefined, fn.name, fn);
    }
    if (expr.kind === SyntaxKind.ThisKeyword) return made("local", file, [], [], [file], undefined, "this");
    return made("unknown", file, [], [], [file]);
  }

  /**
   * The method a member access reaches on a constructor function of the review: `c.list` for a
   * `const c = new Controller(deps)` whose constructor function assigns `this.list = …` or whose
   * prototype gets `Controller.prototype.list = …`, and `this.list` inside either. Methods of
   * classes are not followed from their calls: what a class's methods do reaches a route through
   * its controller registration (`handlerOf`) and constructor-injected services.
   */
  private methodOf(file: AnalysedFile, receiver: ts.Expression, inner: Resolved, name: string, depth: number): Resolved | undefined {
    const owner = skipOuterExpressions(receiver).kind === SyntaxKind.ThisKeyword ? this.ownerOfThis(file, receiver) : this.ownerOfValue(inner, depth);
    if (!owner) return undefined;
    const fn = this.assignedMethod(owner.file, owner.ctor, name, depth + 1);
    return fn && made("function", fn.file, [], [], [...inner.originFiles, fn.file], undefined, fn.fn.name, fn.fn);
  }

  /** The constructor function a value was made by with `new`. */
  private ownerOfValue(inner: Resolved, depth: number): MethodOwner | undefined {
    const made = inner.origins[0];
    if (inner.path.length !== 1 || inner.path[0] !== "()" || !made || !isNewExpression(made)) return undefined;
    const madeIn = this.fileOf(made);
    const ctor = madeIn ? this.resolve(madeIn, made.expression, depth + 1) : undefined;
    if (!ctor || ctor.path.length > 0) return undefined;
    return ctor.kind === "function" && ctor.fn && (isFunctionDeclaration(ctor.fn.node) || isFunctionExpression(ctor.fn.node)) ? { file: ctor.file, ctor: ctor.fn } : undefined;
  }

  /**
   * What `this` is where it is read, when a constructor function's body, or its
   * `Ctor.prototype.x = function …`, holds it (arrow functions pass `this` through). Any other
   * function, and any class, gives `this` a value the review does not follow.
   */
  private ownerOfThis(file: AnalysedFile, at: ts.Node): MethodOwner | undefined {
    for (let node = at.parent; node && !ts.isSourceFile(node); node = node.parent) {
      if (isArrowFunction(node)) continue;
      if (ts.isClassLike(node) || ts.isClassElement(node)) return undefined;
      if (isFunctionDeclaration(node)) {
        const fn = this.functionByNode.get(node);
        return fn && { file, ctor: fn };
      }
      if (isFunctionExpression(node)) {
        const assigned = node.parent;
        if (!isBinaryExpression(assigned) || assigned.operatorToken.kind !== SyntaxKind.EqualsToken || assigned.right !== node || !isPropertyAccessExpression(assigned.left)) return undefined;
        // `this.list = function …` inside the constructor: `this` is the constructor's instance.
        if (assigned.left.expression.kind === SyntaxKind.ThisKeyword) continue;
        const prototype = skipOuterExpressions(assigned.left.expression);
        if (!isPropertyAccessExpression(prototype) || prototype.name.text !== "prototype") return undefined;
        const ctor = this.resolve(file, prototype.expression);
        return ctor.kind === "function" && ctor.fn && ctor.path.length === 0 ? { file: ctor.file, ctor: ctor.fn } : undefined;
      }
    }
    return undefined;
  }

  /**
   * A method a constructor function gives its instances: `this.list = function …` (or an arrow, or a
   * named function) among its body's statements, else, at its module's top level,
   * `Ctor.prototype.list = …` or `Ctor.prototype = { list() { … } }`. The last assignment stands.
   */
  private assignedMethod(file: AnalysedFile, ctor: FunctionFact, name: string, depth: number): { file: AnalysedFile; fn: FunctionFact } | undefined {
    if (depth > RESOLVE_MAX_DEPTH) return undefined;
    const body = ctor.node.body;
    const own = (body && isBlock(body) ? body.statements : []).map(assignmentOf).filter((a) => a && isPropertyAccessExpression(a.left) && a.left.expression.kind === SyntaxKind.ThisKeyword && a.left.name.text === name);
    let found: ts.Expression | ts.MethodDeclaration | undefined = own[own.length - 1]?.right;
    const ctorName = ctor.name;
    const isCtor = (expr: ts.Expression) => isIdentifier(expr) && expr.text === ctorName;
    for (const statement of !found && ctorName !== undefined && file.facts ? file.facts.sourceFile.statements : []) {
      const a = assignmentOf(statement);
      if (!a || !isPropertyAccessExpression(a.left)) continue;
      const target = skipOuterExpressions(a.left.expression);
      if (a.left.name.text === name && isPropertyAccessExpression(target) && target.name.text === "prototype" && isCtor(target.expression)) found = a.right;
      const literal = skipOuterExpressions(a.right);
      if (a.left.name.text === "prototype" && isCtor(target) && isObjectLiteralExpression(literal)) {
        const property = literal.properties.find((p) => p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) && p.name.text === name);
        if (property && isMethodDeclaration(property)) found = property;
        else if (property && isPropertyAssignment(property)) found = property.initializer;
      }
    }
    if (!found) return undefined;
    if (isMethodDeclaration(found)) {
      const fn = this.functionByNode.get(found);
      return fn && { file, fn };
    }
    return this.declaredFunction(file, found, depth + 1);
  }

  private resolveBinding(file: AnalysedFile, binding: Binding, depth: number): Resolved {
    switch (binding.kind) {
      case "import":
        return this.resolveImport(file, binding.imp.module, binding.imp.imported, depth, binding);
      case "var": {
        if (binding.init) {
          const inner = this.resolve(file, binding.init, depth + 1);
          // `const { check } = require("./x")` / `await import("./x")`: the module's export of that name.
          const member = inner.namespace && binding.path[0] !== undefined ? this.resolveExport(inner.namespace, binding.path[0], depth) : undefined;
          if (member) return derived(member, [...member.path, ...binding.path.slice(1)], member.origins, [...inner.originFiles, ...member.originFiles], member.binding);
          if (inner.kind !== "unknown") return derived(inner, [...inner.path, ...binding.path], inner.origins, inner.originFiles, binding);
        }
        return made("local", file, [], [], [file], undefined, binding.name, undefined, binding);
      }
      case "function":
        return made("function", file, [], [], [file], undefined, binding.name, binding.fn, binding);
      case "param":
        return made("param", file, [...binding.path], [], [file], undefined, binding.name, binding.fn, binding);
      case "class":
        return made("local", file, [], [], [file], undefined, binding.name, undefined, binding);
    }
  }

  private resolveImport(file: AnalysedFile, specifier: string, imported: string[], depth: number, binding?: Binding): Resolved {
    if (this.isProjectModule(file, specifier) || !/^[@a-z0-9]/i.test(specifier)) {
      const target = this.resolveModule(file, specifier);
      const exportName = imported[0] ?? "default";
      const inner = target ? this.resolveExport(target, exportName, depth) : undefined;
      if (inner) return derived(inner, [...inner.path, ...imported.slice(1)], inner.origins, [file, ...inner.originFiles], inner.binding);
      return made("module", target ?? file, [...imported], [], [file], specifier, undefined, undefined, binding, target && imported.length === 0 ? target : undefined);
    }
    return made("module", file, [...imported], [], [file], packageName(specifier), undefined, undefined, binding);
  }
}

export interface SourceInput {
  path: string;
  text: string;
  language: Language;
  /** The lines the PR added or changed; a function is called on first need (most files never place a finding). */
  changedLines: ReadonlySet<number> | "all" | (() => ReadonlySet<number>);
  context?: boolean;
}

/** An analysed file; its lines and changed lines are worked out on first use. */
class SourceRecord implements AnalysedFile {
  facts: FileFacts | undefined = undefined;
  readonly isMigration: boolean;
  context = false;
  private linesCache: readonly string[] | undefined = undefined;
  private changed: ReadonlySet<number> | "all" | (() => ReadonlySet<number>);

  constructor(
    readonly path: string,
    readonly text: string,
    readonly language: Language,
    changed: SourceInput["changedLines"],
  ) {
    this.isMigration = isMigrationPath(path);
    this.changed = changed;
  }

  get lines(): readonly string[] {
    return (this.linesCache ??= this.text.split(/\r?\n/));
  }

  isChanged(line: number): boolean {
    if (typeof this.changed === "function") this.changed = this.changed();
    return this.changed === "all" || this.changed.has(line);
  }
}

/** Parses a file and gathers its facts; SQL and Prisma files carry text only. */
export function analyseFile(input: SourceInput): AnalysedFile {
  const file = new SourceRecord(input.path, input.text, input.language, input.changedLines);
  if (input.context) file.context = true;
  if (input.language === "ts" || input.language === "js") {
    // The same walk gathers the classification's field evidence: no second walk of the tree.
    // Parsed without parent pointers: the facts walk sets them (one walk of the tree instead of two).
    file.facts = collectFileFacts(parseSource(input.path, input.text, false), undefined, input.path);
  }
  return file;
}
