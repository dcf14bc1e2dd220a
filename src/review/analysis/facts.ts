import { ts } from "ts-morph";
import { FIELD_HINT_KINDS, FIELD_VISIT_KINDS, MAX_DEPTH as FIELD_MAX_DEPTH, scriptFieldWalker } from "../classification/extract.js";
import type { FieldEvidence } from "../types.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { NodeFlags, SyntaxKind, canHaveModifiers, forEachChild, getModifiers, isAsExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isBlock, isCallExpression, isConstructorDeclaration, isElementAccessExpression, isExportAssignment, isExpressionStatement, isExternalModuleReference, isFunctionDeclaration, isFunctionExpression, isGetAccessor, isIdentifier, isMethodDeclaration, isNamedExports, isNamedImports, isNamespaceImport, isNewExpression, isNonNullExpression, isNumericLiteral, isObjectBindingPattern, isObjectLiteralExpression, isParenthesizedExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isSatisfiesExpression, isSetAccessor, isShorthandPropertyAssignment, isStringLiteral, isStringLiteralLike, isTypeAssertionExpression, isVariableDeclaration, isVariableDeclarationList, isVariableStatement } = ts;

/**
 * Facts about one file, gathered in a single walk of its syntax tree and shared by every check:
 * imports, scopes and their bindings, functions, and every call with its callee chain. Everything
 * else (routes, auth calls, DB writes, loggers) is derived from these lists without walking again.
 */

export interface ImportBinding {
  local: string;
  /** The module specifier as written (`jsonwebtoken`, `@/lib/auth`, `../db`). */
  module: string;
  /** The imported member path: `[]` for a default, namespace or whole-module `require`, `["decode"]` for a named import. */
  imported: string[];
  typeOnly: boolean;
}

/** A name a module exports from another module: its specifier and the name there (undefined: the whole module). */
export interface ReExport {
  module: string;
  imported: string | undefined;
}

export type Binding =
  | { kind: "import"; name: string; imp: ImportBinding }
  | { kind: "var"; name: string; decl: ts.VariableDeclaration; init?: ts.Expression; /** property path inside a destructuring pattern */ path: string[]; isConst: boolean }
  | { kind: "function"; name: string; fn: FunctionFact }
  | { kind: "param"; name: string; node: ts.ParameterDeclaration; fn: FunctionFact; path: string[] }
  | { kind: "class"; name: string; node: ts.ClassDeclaration };

export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration
  | ts.ConstructorDeclaration;

export interface FunctionFact {
  node: FunctionNode;
  /** Declared name, or the variable / property it is assigned to. */
  name?: string;
  /** 1-based line of the declaration (`export async function POST(`, `export const POST =`). */
  readonly line: number;
  /** The statement or registration the function belongs to, for placing findings on its first line. */
  declarationNode: ts.Node;
  parent?: FunctionFact;
  exported: boolean;
  isAsync: boolean;
  /** Directive prologue strings of its body (`use server`). */
  directives: string[];
  /** Calls whose innermost enclosing function is this one, in source order. */
  calls: CallFact[];
  /** When the function is an argument of a call (`withAdmin(async () => …)`, `router.post("/", fn)`), that call. */
  argumentOf?: CallFact;
  bindings: Map<string, Binding>;
}

/**
 * A function found by the walk. Its line is worked out on first read: most functions never place a
 * finding, and the position lookup (trivia skipping, the file's line map) is the costly part.
 */
class FunctionRecord implements FunctionFact {
  name: string | undefined;
  parent: FunctionFact | undefined;
  exported: boolean;
  isAsync: boolean;
  directives: string[];
  calls: CallFact[] = [];
  argumentOf: CallFact | undefined;
  bindings = new Map<string, Binding>();
  private lineCache = 0;

  constructor(
    readonly node: FunctionNode,
    readonly declarationNode: ts.Node,
    parent: FunctionFact | undefined,
    argumentOf: CallFact | undefined,
    private readonly sourceFile: ts.SourceFile,
  ) {
    const body = node.body;
    this.name = nameOfFunction(node);
    this.parent = parent;
    this.exported = isExportedFunction(node, declarationNode);
    this.isAsync = hasModifier(node, SyntaxKind.AsyncKeyword);
    this.directives = body && isBlock(body) ? directivesOf(body.statements) : [];
    this.argumentOf = argumentOf;
  }

  get line(): number {
    if (this.lineCache === 0) this.lineCache = this.sourceFile.getLineAndCharacterOfPosition(this.declarationNode.getStart(this.sourceFile)).line + 1;
    return this.lineCache;
  }
}

export interface CallFact {
  /** A call, a `new`, or an SQL tagged template (`sql\`insert …\``, `prisma.$queryRaw\`…\``), whose only argument is its template. */
  node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression;
  /** What is called: the call's expression, or the template's tag. */
  callee: ts.Expression;
  isNew: boolean;
  /** Callee chain from its root: `supabase.from("x").insert` → `["supabase", "from", "()", "insert"]`. */
  chain: string[];
  /** Last name of the callee (`insert`, `decode`, `requireAuth`). */
  name: string;
  readonly line: number;
  readonly column: number;
  /** Offset of the call's first token (`node.getStart()`), kept so range lookups need no rescanning. */
  start: number;
  /** Innermost enclosing function, undefined at module scope. */
  fn?: FunctionFact;
  args: readonly ts.Expression[];
  /** What the call means, memoised by the review's semantics (owned by `Semantics`; opaque here). */
  memo?: object;
}

/** A call found by the walk; line and column are looked up on first read (few calls place a finding). */
class CallRecord implements CallFact {
  memo: object | undefined = undefined;
  readonly callee: ts.Expression;
  private position: ts.LineAndCharacter | undefined = undefined;

  constructor(
    readonly node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression,
    readonly isNew: boolean,
    readonly chain: string[],
    readonly name: string,
    readonly start: number,
    readonly fn: FunctionFact | undefined,
    readonly args: readonly ts.Expression[],
    private readonly sourceFile: ts.SourceFile,
  ) {
    this.callee = node.kind === SyntaxKind.TaggedTemplateExpression ? node.tag : node.expression;
  }

  get line(): number {
    return (this.position ??= this.sourceFile.getLineAndCharacterOfPosition(this.start)).line + 1;
  }

  get column(): number {
    return (this.position ??= this.sourceFile.getLineAndCharacterOfPosition(this.start)).character + 1;
  }
}

export interface WalkLimits {
  /** Deepest nesting walked; deeper subtrees are skipped and reported. */
  maxDepth: number;
}

export interface FileFacts {
  sourceFile: ts.SourceFile;
  imports: Map<string, ImportBinding>;
  /** Module-scope bindings. */
  moduleBindings: Map<string, Binding>;
  /** Exported name → binding (`default` for the default export). */
  exports: Map<string, Binding | { kind: "expression"; name: string; expr: ts.Expression }>;
  /**
   * Names exported from another module (`export { a as b } from "./x"` → `b` → `./x`'s `a`;
   * `export * as ns from "./x"` → `ns` → the whole module, `imported` undefined). Type-only ones are left out.
   */
  reExports: Map<string, ReExport>;
  /** Modules whose exports this one passes on whole (`export * from "./x"`), in source order. */
  starExports: string[];
  /** File-level directives (`use server`, `use client`). */
  directives: string[];
  functions: FunctionFact[];
  calls: CallFact[];
  /** Each call and `new` expression of {@link calls} by its node. */
  callByNode: ReadonlyMap<ts.Node, CallFact>;
  /**
   * Comparisons, in source order: `===`/`!==`/`==`/`!=` expressions, `case` clauses, and string-match
   * calls (`x.endsWith(…)`, `.startsWith`, `.includes`, `.match`, `.test`, `.localeCompare`) with an argument.
   */
  comparisons: ts.Node[];
  /** True when part of the tree was deeper than the walk limit and was skipped. */
  truncated: boolean;
  /** Field evidence for classification, gathered in the same walk (when a path was given). */
  fields?: FieldEvidence[];
}

const FUNCTION_KINDS = new Set<ts.SyntaxKind>([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
  SyntaxKind.Constructor,
]);

const EQUALITY_OPERATORS = new Set<ts.SyntaxKind>([
  SyntaxKind.EqualsEqualsEqualsToken,
  SyntaxKind.ExclamationEqualsEqualsToken,
  SyntaxKind.EqualsEqualsToken,
  SyntaxKind.ExclamationEqualsToken,
]);
/** Template tags that run SQL: postgres.js, `@vercel/postgres`, Neon, Slonik (`sql`), Prisma's raw queries. */
const SQL_TAGS: ReadonlySet<string> = new Set(["sql", "SQL", "$queryRaw", "$executeRaw"]);
/** String methods that compare (what `comparisons` records besides `===` and `case`). */
export const STRING_MATCH_METHODS: ReadonlySet<string> = new Set(["endsWith", "startsWith", "includes", "match", "test", "localeCompare"]);

/** {@link FUNCTION_KINDS} as a lookup table indexed by kind (asked for every node of every walk). */
const FUNCTION_KIND_TABLE = new Uint8Array(SyntaxKind.Count + 1);
for (const kind of FUNCTION_KINDS) FUNCTION_KIND_TABLE[kind] = 1;

export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return FUNCTION_KIND_TABLE[node.kind] === 1;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = canHaveModifiers(node) ? getModifiers(node) : undefined;
  return modifiers?.some((m) => m.kind === kind) ?? false;
}

function directivesOf(statements: readonly ts.Statement[]): string[] {
  const out: string[] = [];
  for (const statement of statements) {
    if (isExpressionStatement(statement) && isStringLiteral(statement.expression)) out.push(statement.expression.text);
    else break;
  }
  return out;
}

/** The callee chain of an expression: property names from the root, `()` for each call in between. */
export function chainOf(expr: ts.Expression, limit = 64): string[] {
  const parts: string[] = [];
  let current: ts.Expression = expr;
  for (let i = 0; i < limit; i++) {
    current = skipOuterExpressions(current);
    if (isPropertyAccessExpression(current)) {
      parts.push(current.name.text);
      current = current.expression;
    } else if (isElementAccessExpression(current)) {
      const arg = current.argumentExpression;
      parts.push(isStringLiteralLike(arg) ? arg.text : "[]");
      current = current.expression;
    } else if (isCallExpression(current)) {
      parts.push("()");
      current = current.expression;
    } else if (isNewExpression(current)) {
      parts.push("()");
      current = current.expression;
    } else if (isIdentifier(current)) {
      parts.push(current.text);
      break;
    } else if (current.kind === SyntaxKind.ThisKeyword) {
      parts.push("this");
      break;
    } else {
      parts.push("?");
      break;
    }
  }
  return parts.reverse();
}

/** Strips parentheses, `await`, `!`, `as`, `satisfies` and type assertions. */
export function skipOuterExpressions(expr: ts.Expression): ts.Expression {
  let current = expr;
  for (;;) {
    if (
      isParenthesizedExpression(current) ||
      isAwaitExpression(current) ||
      isNonNullExpression(current) ||
      isAsExpression(current) ||
      isSatisfiesExpression(current) ||
      isTypeAssertionExpression(current)
    ) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (isIdentifier(name) || isStringLiteralLike(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function nameOfFunction(node: FunctionNode): string | undefined {
  if ((isFunctionDeclaration(node) || isFunctionExpression(node)) && node.name) return node.name.text;
  if (isMethodDeclaration(node) || isGetAccessor(node) || isSetAccessor(node)) return propertyNameText(node.name);
  if (isConstructorDeclaration(node)) return "constructor";
  let parent: ts.Node = node.parent;
  while (isParenthesizedExpression(parent) || isAsExpression(parent) || isSatisfiesExpression(parent)) parent = parent.parent;
  if (isVariableDeclaration(parent) && isIdentifier(parent.name)) return parent.name.text;
  if (isPropertyAssignment(parent)) return propertyNameText(parent.name);
  if (isPropertyDeclaration(parent)) return propertyNameText(parent.name);
  if (isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken) {
    const left = parent.left;
    if (isPropertyAccessExpression(left)) return left.name.text;
    if (isIdentifier(left)) return left.text;
  }
  // `export const POST = withAuth(async (req) => …)`: the wrapped function takes the variable's name.
  if (isCallExpression(parent)) {
    let outer: ts.Node = parent.parent;
    while (isCallExpression(outer) || isParenthesizedExpression(outer) || isAwaitExpression(outer)) outer = outer.parent;
    if (isVariableDeclaration(outer) && isIdentifier(outer.name)) return outer.name.text;
    if (isExportAssignment(outer)) return "default";
  }
  return undefined;
}

/** The statement a function belongs to, whose first line is where route-level findings go. */
function declarationNodeOf(node: FunctionNode): ts.Node {
  let current: ts.Node = node;
  for (let i = 0; i < 8; i++) {
    const parent: ts.Node = current.parent;
    if (!parent) break;
    if (isVariableDeclaration(parent) && isVariableDeclarationList(parent.parent) && isVariableStatement(parent.parent.parent)) {
      return parent.parent.parent;
    }
    if (isExportAssignment(parent)) return parent;
    if (isCallExpression(parent) || isParenthesizedExpression(parent) || isAsExpression(parent) || isAwaitExpression(parent)) {
      current = parent;
      continue;
    }
    break;
  }
  return node;
}

function isExportedFunction(node: FunctionNode, declaration: ts.Node): boolean {
  if (isFunctionDeclaration(node)) return hasModifier(node, SyntaxKind.ExportKeyword);
  if (isVariableStatement(declaration)) return hasModifier(declaration, SyntaxKind.ExportKeyword);
  return isExportAssignment(declaration);
}

/** Sets the parent of every node below `root` (a subtree the facts walk skips). */
function setParentsBelow(root: ts.Node): void {
  const stack: ts.Node[] = [root];
  let parent: ts.Node = root;
  const bind = (child: ts.Node): undefined => {
    (child as { parent: ts.Node }).parent = parent;
    stack.push(child);
    return undefined;
  };
  while (stack.length > 0) {
    parent = stack.pop()!;
    forEachChild(parent, bind);
  }
}

/**
 * Walks a source file once, iteratively (a 5,000-deep expression must not exhaust the stack), and
 * collects the facts every check reads. It sets every node's `parent` as it goes, so the tree may
 * come from a parse without parent pointers.
 */
export function collectFileFacts(sourceFile: ts.SourceFile, limits: WalkLimits = { maxDepth: 1_500 }, fieldsPath?: string): FileFacts {
  const imports = new Map<string, ImportBinding>();
  const moduleBindings = new Map<string, Binding>();
  const exports: FileFacts["exports"] = new Map();
  const reExports = new Map<string, ReExport>();
  const starExports: string[] = [];
  const functions: FunctionFact[] = [];
  const calls: CallFact[] = [];
  const comparisons: ts.Node[] = [];
  const callByNode = new Map<ts.Node, CallFact>();
  let truncated = false;

  const bindingsFor = (fn: FunctionFact | undefined) => fn?.bindings ?? moduleBindings;

  const addBindingPattern = (pattern: ts.BindingName, make: (name: string, path: string[]) => Binding, target: Map<string, Binding>, path: string[] = []) => {
    if (isIdentifier(pattern)) {
      target.set(pattern.text, make(pattern.text, path));
      return;
    }
    if (isObjectBindingPattern(pattern)) {
      for (const element of pattern.elements) {
        const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
        if (element.dotDotDotToken) addBindingPattern(element.name, make, target, path);
        else addBindingPattern(element.name, make, target, [...path, key ?? "?"]);
      }
      return;
    }
    pattern.elements.forEach((element, index) => {
      if (isBindingElement(element)) addBindingPattern(element.name, make, target, [...path, String(index)]);
    });
  };

  const recordImport = (local: string, module: string, imported: string[], typeOnly: boolean) => {
    const imp: ImportBinding = { local, module, imported, typeOnly };
    imports.set(local, imp);
    moduleBindings.set(local, { kind: "import", name: local, imp });
  };

  const requireTarget = (expr: ts.Expression | undefined): string | undefined => {
    if (!expr) return undefined;
    const inner = skipOuterExpressions(expr);
    if (isCallExpression(inner) && isIdentifier(inner.expression) && inner.expression.text === "require") {
      const arg = inner.arguments[0];
      if (arg && isStringLiteralLike(arg)) return arg.text;
    }
    return undefined;
  };

  // One walk feeds the facts and the classification's field extraction. The stack is four parallel
  // arrays (no frame object, child array or closure per node): the walk allocates only the facts.
  const fieldWalker = fieldsPath !== undefined ? scriptFieldWalker(sourceFile, fieldsPath) : undefined;
  // `top` counts the live entries: the arrays only grow (popping would shrink and regrow their
  // backing stores thousands of times a file).
  const nodeStack: ts.Node[] = [sourceFile];
  const fnStack: Array<FunctionFact | undefined> = [undefined];
  const depthStack: number[] = [0];
  const hintStack: Array<string | undefined> = [undefined];
  let top = 1;
  let pushFn: FunctionFact | undefined;
  let pushDepth = 0;
  let pushHint: string | undefined;
  let pushParent: ts.Node = sourceFile;
  const pushChild = (child: ts.Node): undefined => {
    (child as { parent: ts.Node }).parent = pushParent;
    nodeStack[top] = child;
    fnStack[top] = pushFn;
    depthStack[top] = pushDepth;
    hintStack[top] = pushHint;
    top++;
    return undefined;
  };
  while (top > 0) {
    top--;
    const node = nodeStack[top]!;
    const fn = fnStack[top];
    const depth = depthStack[top]!;
    const hint = hintStack[top];

    if (depth > limits.maxDepth) {
      // Skipped, but its nodes still get their parents (the tree may have been parsed without them).
      setParentsBelow(node);
      if (fieldWalker && FIELD_VISIT_KINDS[node.kind] === 1 && depth <= FIELD_MAX_DEPTH) fieldWalker.visit(node, hint);
      truncated = true;
      continue;
    }

    // The children are pushed first, which sets their parents before anything reads this node; they
    // are reversed at the end, so they pop in reading order (calls are recorded in source order).
    const base = top;
    pushFn = fn;
    pushDepth = depth + 1;
    pushHint = fieldWalker && depth < FIELD_MAX_DEPTH ? (FIELD_HINT_KINDS[node.kind] === 1 ? fieldWalker.childHint(node, hint) : hint) : undefined;
    pushParent = node;
    forEachChild(node, pushChild);

    // Field extraction only reads a few kinds of node: the table skips the call for the rest.
    if (fieldWalker && FIELD_VISIT_KINDS[node.kind] === 1 && depth <= FIELD_MAX_DEPTH) fieldWalker.visit(node, hint);

    switch (node.kind) {
      case SyntaxKind.ImportDeclaration: {
        const decl = node as ts.ImportDeclaration;
        if (!isStringLiteral(decl.moduleSpecifier) || !decl.importClause) break;
        const module = decl.moduleSpecifier.text;
        const clause = decl.importClause;
        const typeOnly = clause.isTypeOnly;
        if (clause.name) recordImport(clause.name.text, module, [], typeOnly);
        const bindings = clause.namedBindings;
        if (bindings && isNamespaceImport(bindings)) recordImport(bindings.name.text, module, [], typeOnly);
        if (bindings && isNamedImports(bindings)) {
          for (const element of bindings.elements) {
            const imported = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
            recordImport(element.name.text, module, imported === "default" ? [] : [imported ?? element.name.text], typeOnly || element.isTypeOnly);
          }
        }
        break;
      }
      case SyntaxKind.ImportEqualsDeclaration: {
        const decl = node as ts.ImportEqualsDeclaration;
        const ref = decl.moduleReference;
        if (isExternalModuleReference(ref) && isStringLiteral(ref.expression)) recordImport(decl.name.text, ref.expression.text, [], decl.isTypeOnly);
        break;
      }
      case SyntaxKind.VariableDeclaration: {
        const decl = node as ts.VariableDeclaration;
        const module = requireTarget(decl.initializer);
        const isConst = isVariableDeclarationList(decl.parent) && (decl.parent.flags & NodeFlags.Const) !== 0;
        if (module !== undefined && !fn) {
          addBindingPattern(decl.name, (name, path) => {
            const imp: ImportBinding = { local: name, module, imported: path, typeOnly: false };
            imports.set(name, imp);
            return { kind: "import", name, imp };
          }, moduleBindings);
        } else {
          addBindingPattern(decl.name, (name, path) => ({ kind: "var", name, decl, init: decl.initializer, path, isConst }), bindingsFor(fn));
        }
        const statement = decl.parent?.parent;
        if (!fn && statement && isVariableStatement(statement) && hasModifier(statement, SyntaxKind.ExportKeyword) && isIdentifier(decl.name)) {
          const binding = moduleBindings.get(decl.name.text);
          if (binding) exports.set(decl.name.text, binding);
        }
        break;
      }
      case SyntaxKind.ClassDeclaration: {
        const decl = node as ts.ClassDeclaration;
        if (decl.name) {
          const binding: Binding = { kind: "class", name: decl.name.text, node: decl };
          bindingsFor(fn).set(decl.name.text, binding);
          if (!fn && hasModifier(decl, SyntaxKind.ExportKeyword)) exports.set(hasModifier(decl, SyntaxKind.DefaultKeyword) ? "default" : decl.name.text, binding);
        }
        break;
      }
      case SyntaxKind.ExportAssignment: {
        const assignment = node as ts.ExportAssignment;
        const expr = skipOuterExpressions(assignment.expression);
        const binding = isIdentifier(expr) ? moduleBindings.get(expr.text) : undefined;
        exports.set("default", binding ?? { kind: "expression", name: "default", expr });
        break;
      }
      case SyntaxKind.ExportDeclaration: {
        const decl = node as ts.ExportDeclaration;
        if (!decl.moduleSpecifier && decl.exportClause && isNamedExports(decl.exportClause)) {
          for (const element of decl.exportClause.elements) {
            const local = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
            const binding = local ? moduleBindings.get(local) : undefined;
            if (binding) exports.set(element.name.text, binding);
          }
        } else if (decl.moduleSpecifier && isStringLiteral(decl.moduleSpecifier) && !decl.isTypeOnly) {
          // Re-exports: `export * from "./x"`, `export * as ns from "./x"`, `export { a as b, default as c } from "./x"`.
          const module = decl.moduleSpecifier.text;
          const clause = decl.exportClause;
          if (!clause) starExports.push(module);
          else if (isNamedExports(clause)) {
            for (const element of clause.elements) {
              if (element.isTypeOnly) continue;
              const imported = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
              if (imported !== undefined) reExports.set(element.name.text, { module, imported });
            }
          } else reExports.set(clause.name.text, { module, imported: undefined });
        }
        break;
      }
      case SyntaxKind.CaseClause:
        comparisons.push(node);
        break;
      case SyntaxKind.BinaryExpression: {
        // CommonJS exports: `module.exports = { a, b }`, `module.exports = router`, `exports.a = …`.
        const expr = node as ts.BinaryExpression;
        if (EQUALITY_OPERATORS.has(expr.operatorToken.kind)) comparisons.push(node);
        if (!fn && expr.operatorToken.kind === SyntaxKind.EqualsToken) {
          const left = chainOf(expr.left);
          const right = skipOuterExpressions(expr.right);
          if (left.join(".") === "module.exports") {
            if (isObjectLiteralExpression(right)) {
              for (const property of right.properties) {
                if (isShorthandPropertyAssignment(property)) {
                  const binding = moduleBindings.get(property.name.text);
                  if (binding) exports.set(property.name.text, binding);
                } else if (isPropertyAssignment(property)) {
                  const key = propertyNameText(property.name);
                  const value = skipOuterExpressions(property.initializer);
                  const binding = isIdentifier(value) ? moduleBindings.get(value.text) : undefined;
                  if (key) exports.set(key, binding ?? { kind: "expression", name: key, expr: value });
                }
              }
            } else {
              const binding = isIdentifier(right) ? moduleBindings.get(right.text) : undefined;
              exports.set("default", binding ?? { kind: "expression", name: "default", expr: right });
            }
          } else if ((left.length === 2 && left[0] === "exports") || (left.length === 3 && left[0] === "module" && left[1] === "exports")) {
            const key = left[left.length - 1]!;
            const binding = isIdentifier(right) ? moduleBindings.get(right.text) : undefined;
            exports.set(key, binding ?? { kind: "expression", name: key, expr: right });
          }
        }
        break;
      }
      case SyntaxKind.TaggedTemplateExpression: {
        // SQL run as a tagged template (`sql\`insert …\``, `prisma.$executeRaw\`…\``) is recorded like a
        // call whose argument is the template, so DB questions see it; other tags are not calls here.
        const tagged = node as ts.TaggedTemplateExpression;
        const chain = chainOf(tagged.tag);
        const name = chain[chain.length - 1] ?? "?";
        if (!SQL_TAGS.has(name)) break;
        const fact = new CallRecord(tagged, false, chain, name, tagged.getStart(sourceFile), fn, [tagged.template], sourceFile);
        calls.push(fact);
        callByNode.set(tagged, fact);
        fn?.calls.push(fact);
        break;
      }
      case SyntaxKind.CallExpression:
      case SyntaxKind.NewExpression: {
        const call = node as ts.CallExpression | ts.NewExpression;
        if (
          node.kind === SyntaxKind.CallExpression &&
          isPropertyAccessExpression(call.expression) &&
          STRING_MATCH_METHODS.has(call.expression.name.text) &&
          call.arguments!.length >= 1
        ) {
          comparisons.push(node);
        }
        const chain = chainOf(call.expression);
        const fact = new CallRecord(call, node.kind === SyntaxKind.NewExpression, chain, chain[chain.length - 1] ?? "?", call.getStart(sourceFile), fn, call.arguments ?? [], sourceFile);
        calls.push(fact);
        callByNode.set(call, fact);
        fn?.calls.push(fact);
        break;
      }
      default:
        break;
    }

    if (isFunctionNode(node)) {
      const parentCall = node.parent && (isCallExpression(node.parent) || isNewExpression(node.parent)) ? node.parent : undefined;
      const fact = new FunctionRecord(node, declarationNodeOf(node), fn, parentCall ? callByNode.get(parentCall) : undefined, sourceFile);
      functions.push(fact);
      if (isFunctionDeclaration(node) && node.name) {
        const binding: Binding = { kind: "function", name: node.name.text, fn: fact };
        bindingsFor(fn).set(node.name.text, binding);
        if (!fn && fact.exported) exports.set(hasModifier(node, SyntaxKind.DefaultKeyword) ? "default" : node.name.text, binding);
      }
      for (const parameter of node.parameters) {
        addBindingPattern(parameter.name, (name, path) => ({ kind: "param", name, node: parameter, fn: fact, path }), fact.bindings);
      }
      // Its children (already pushed) are inside it.
      for (let i = base; i < top; i++) fnStack[i] = fact;
    }

    for (let lo = base, hi = top - 1; lo < hi; lo++, hi--) {
      const n = nodeStack[lo]!;
      nodeStack[lo] = nodeStack[hi]!;
      nodeStack[hi] = n;
      const f = fnStack[lo];
      fnStack[lo] = fnStack[hi];
      fnStack[hi] = f;
      const d = depthStack[lo]!;
      depthStack[lo] = depthStack[hi]!;
      depthStack[hi] = d;
      const h = hintStack[lo];
      hintStack[lo] = hintStack[hi];
      hintStack[hi] = h;
    }
  }

  return {
    sourceFile,
    imports,
    moduleBindings,
    exports,
    reExports,
    starExports,
    directives: directivesOf(sourceFile.statements),
    functions,
    calls,
    callByNode,
    comparisons,
    truncated,
    ...(fieldWalker ? { fields: fieldWalker.finish() } : {}),
  };
}
