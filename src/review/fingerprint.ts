import { createHash } from "node:crypto";
import { ts } from "ts-morph";
import type { CallFact, FunctionFact } from "./analysis/facts.js";
import type { AnalysedFile } from "./analysis/project.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isAsExpression, isAwaitExpression, isCallExpression, isClassDeclaration, isClassExpression, isConstructorDeclaration, isGetAccessor, isIdentifier, isMethodDeclaration, isNoSubstitutionTemplateLiteral, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isSetAccessor, isStringLiteralLike } = ts;

/**
 * A finding's identity that survives edits: its rule, the file, the function it concerns (the chain
 * of enclosing function names: `POST`, `ReportsController.remove`, `router.post("/users")`), and
 * the kind of call it sits on (`update`, `log`, `redirect`), never its line or its local variable
 * names. Moving code, reformatting it or renaming a variable leaves the fingerprint as it was, so
 * the base and the head reviews can be compared and a later push does not repeat a comment.
 */

export interface FindingAnchor {
  /** The enclosing functions, outermost first (`module` at module scope, `file` for SQL and schema files). */
  scope: string;
  /** The call the finding sits on (`update`, `post("/users")`), or the normalised line where there is none. */
  sink: string;
  /** The innermost enclosing function, when the finding is inside one. */
  fn?: FunctionFact;
  /** The call at the finding's position, when there is one. */
  call?: CallFact;
}

const MAX_LABEL_CHARS = 120;

/** A string literal's text, short enough to keep in a key; undefined for anything else. */
function literalText(expression: ts.Expression | undefined): string | undefined {
  if (!expression || !(isStringLiteralLike(expression) || isNoSubstitutionTemplateLiteral(expression))) return undefined;
  return expression.text.slice(0, MAX_LABEL_CHARS);
}

/** `update`, `new Redis`, `post("/users")`: the call's last name and its first argument when that is a literal. */
export function callLabel(call: CallFact): string {
  const literal = literalText(call.args[0]);
  return `${call.isNew ? "new " : ""}${call.name}${literal === undefined ? "" : `(${JSON.stringify(literal)})`}`;
}

/** A class method is named with its class (`ReportsController.remove`): two controllers may both have `remove`. */
function className(node: ts.Node): string | undefined {
  if (!(isMethodDeclaration(node) || isGetAccessor(node) || isSetAccessor(node) || isConstructorDeclaration(node))) return undefined;
  const parent = node.parent;
  if ((isClassDeclaration(parent) || isClassExpression(parent)) && parent.name) return parent.name.text;
  return undefined;
}

/**
 * The property a function passed through a builder chain ends up in: `getContainers` for
 * `getContainers: protectedProcedure.input(schema).query(async () => …)`, so two procedures of one
 * router are told apart by name rather than by their order.
 */
function propertyName(node: ts.Node): string | undefined {
  let current: ts.Node = node.parent;
  for (let depth = 0; depth < 24 && (isCallExpression(current) || isPropertyAccessExpression(current) || isParenthesizedExpression(current) || isAwaitExpression(current) || isAsExpression(current)); depth++) current = current.parent;
  if (isPropertyAssignment(current) && (isIdentifier(current.name) || isStringLiteralLike(current.name))) return current.name.text.slice(0, MAX_LABEL_CHARS);
  return undefined;
}

/** One function's name in a scope: declared or assigned name, else the property or call it is passed to. */
export function functionLabel(fn: FunctionFact): string {
  if (fn.name) {
    const owner = className(fn.node);
    return owner ? `${owner}.${fn.name}` : fn.name;
  }
  if (fn.argumentOf) {
    const property = propertyName(fn.node);
    return `${property ? `${property}: ` : ""}${callLabel(fn.argumentOf)}=>`;
  }
  return "=>";
}

/** The chain of enclosing function names, outermost first. */
export function scopeOf(fn: FunctionFact | undefined): string {
  const labels: string[] = [];
  for (let current = fn; current && labels.length < 16; current = current.parent) labels.unshift(functionLabel(current));
  return labels.length === 0 ? "module" : labels.join(" > ");
}

interface FunctionSpan {
  fn: FunctionFact;
  startLine: number;
  endLine: number;
  start: number;
}

const spansByFile = new WeakMap<AnalysedFile, FunctionSpan[]>();

/** Each function's lines, from its declaration's first line to its body's last (computed once per file). */
export function functionSpans(file: AnalysedFile): FunctionSpan[] {
  const cached = spansByFile.get(file);
  if (cached) return cached;
  const facts = file.facts;
  const spans: FunctionSpan[] = [];
  if (facts) {
    const sf = facts.sourceFile;
    for (const fn of facts.functions) {
      const start = fn.declarationNode.getStart(sf);
      spans.push({ fn, start, startLine: fn.line, endLine: sf.getLineAndCharacterOfPosition(fn.node.getEnd()).line + 1 });
    }
  }
  spansByFile.set(file, spans);
  return spans;
}

/** The innermost function whose lines hold `line` (the latest to start; the shortest on a tie). */
export function enclosingFunction(file: AnalysedFile, line: number): FunctionSpan | undefined {
  let best: FunctionSpan | undefined;
  for (const span of functionSpans(file)) {
    if (line < span.startLine || line > span.endLine) continue;
    if (!best || span.startLine > best.startLine || (span.startLine === best.startLine && span.endLine - span.startLine < best.endLine - best.startLine)) best = span;
  }
  return best;
}

function normalisedLine(file: AnalysedFile, line: number): string {
  return (file.lines[line - 1] ?? "").replace(/\s+/g, " ").trim();
}

/** Where a finding sits, in terms that survive edits. */
export function anchorOf(file: AnalysedFile, line: number, column: number | undefined): FindingAnchor {
  if (!file.facts) return { scope: "file", sink: normalisedLine(file, line) };
  const fn = enclosingFunction(file, line)?.fn;
  const call = column === undefined ? undefined : file.facts.calls.find((candidate) => candidate.line === line && candidate.column === column);
  // At module scope with no call (an allowlist literal, a config object), the line's own text is all there is.
  const sink = call ? callLabel(call) : fn ? "" : normalisedLine(file, line);
  return { scope: scopeOf(fn), sink, ...(fn ? { fn } : {}), ...(call ? { call } : {}) };
}

/** The part of the fingerprint two reviews compare; `path` is the head's path of the file. */
export function fingerprintKey(ruleId: string, path: string, anchor: Pick<FindingAnchor, "scope" | "sink">): string {
  return `${ruleId}\0${path}\0${anchor.scope}\0${anchor.sink}`;
}

/** The fingerprint of the `ordinal`-th finding (0-based, in line order) with this key. */
export function fingerprintOf(key: string, ordinal: number): string {
  return createHash("sha256").update(ordinal === 0 ? `v2\0${key}` : `v2\0${key}\0${ordinal}`).digest("hex").slice(0, 16);
}

/** Fingerprints for findings given in line order: the same key twice gets ordinals 0, 1, … */
export function assignFingerprints<T extends { key: string }>(entries: readonly T[], set: (entry: T, fingerprint: string) => void): void {
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const ordinal = seen.get(entry.key) ?? 0;
    seen.set(entry.key, ordinal + 1);
    set(entry, fingerprintOf(entry.key, ordinal));
  }
}
