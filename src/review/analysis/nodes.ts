import { ts } from "ts-morph";
import { isFunctionNode, skipOuterExpressions } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import type { Semantics } from "./semantics.js";

/** Small syntax helpers shared by the analysis modules and the checks. */

// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, forEachChild, isArrowFunction, isBinaryExpression, isBlock, isFunctionExpression, isIdentifier, isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isStringLiteralLike, isThrowStatement } = ts;

/** What a {@link walk} visitor answers for a node: `"skip"` leaves its children out, `"stop"` ends the walk. */
export type WalkControl = "skip" | "stop" | undefined | void;

/**
 * Visits `root`, then its descendants, depth first in source order, without recursion: code in a
 * PR may nest thousands of levels deep (an operator chain of thousands of terms is one level per
 * term), and a recursive visitor would overflow the stack and cost its check the whole review.
 */
export function walk(root: ts.Node, visit: (node: ts.Node) => WalkControl): void {
  const stack: ts.Node[] = [root];
  const push = (child: ts.Node): undefined => {
    stack.push(child);
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    const control = visit(node);
    if (control === "stop") return;
    if (control === "skip") continue;
    const base = stack.length;
    forEachChild(node, push);
    // Reversed, the children pop in source order.
    for (let lo = base, hi = stack.length - 1; lo < hi; lo++, hi--) {
      const child = stack[lo]!;
      stack[lo] = stack[hi]!;
      stack[hi] = child;
    }
  }
}

/**
 * What a function body returns: the expression of an arrow's concise body, or the expressions of
 * its own `return` statements in source order. A nested function's returns are its own, except,
 * with `intoCallbacks`, those of the arrows and function expressions inside it (a returned
 * `rows.map((r) => decrypt(r))` returns what its callback does).
 */
export function returnedExpressions(body: ts.ConciseBody, intoCallbacks = false): ts.Expression[] {
  if (!isBlock(body)) return [body];
  const returns: ts.Expression[] = [];
  walk(body, (node) => {
    if (isFunctionNode(node) && !(intoCallbacks && (isArrowFunction(node) || isFunctionExpression(node)))) return "skip";
    if (isReturnStatement(node) && node.expression) returns.push(node.expression);
  });
  return returns;
}

/** The statement (in its function) that holds a node, for inserting a line before or after it. */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node | undefined = node;
  while (current && !(ts.isExpressionStatement(current) || ts.isVariableStatement(current) || ts.isReturnStatement(current))) {
    if (ts.isBlock(current) || ts.isSourceFile(current)) return undefined;
    current = current.parent;
  }
  return current as ts.Statement | undefined;
}

/** 1-based line of a node's start (or end). */
export function lineOf(node: ts.Node, end = false): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(end ? node.getEnd() : node.getStart(sf)).line + 1;
}

/** The object literal an expression stands for, following `const x = { … }` bindings (`data: patientData` → its initialiser). */
export function objectLiteralOf(sem: Semantics, file: AnalysedFile, expr: ts.Expression | undefined, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!expr || depth > 4) return undefined;
  const inner = skipOuterExpressions(expr);
  if (ts.isObjectLiteralExpression(inner)) return inner;
  if (ts.isIdentifier(inner)) {
    const binding = sem.project.lookup(file, inner.text, inner);
    if (binding?.kind === "var" && binding.path.length === 0 && binding.init) return objectLiteralOf(sem, file, binding.init, depth + 1);
  }
  return undefined;
}

/**
 * The terms of an `a || b || c` chain in source order (`a && b` is one term), each passed through
 * `unwrap`; without recursion, since a condition may chain thousands of terms.
 */
export function orTerms(expression: ts.Expression, unwrap: (e: ts.Expression) => ts.Expression = skipOuterExpressions): ts.Expression[] {
  const terms: ts.Expression[] = [];
  const pending = [expression];
  while (pending.length > 0) {
    const next = unwrap(pending.pop()!);
    if (isBinaryExpression(next) && next.operatorToken.kind === SyntaxKind.BarBarToken) pending.push(next.right, next.left);
    else terms.push(next);
  }
  return terms;
}

/** The value of an object literal's `key: value` property (`{ method: "post" }` → `"post"`). */
export function propertyValue(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  return object.properties.find((p): p is ts.PropertyAssignment => isPropertyAssignment(p) && p.name.getText() === key)?.initializer;
}

/** A string literal's text, through parentheses and casts; undefined for anything else. */
export function stringValue(expression: ts.Expression | undefined): string | undefined {
  const inner = expression && skipOuterExpressions(expression);
  return inner && isStringLiteralLike(inner) ? inner.text : undefined;
}

/** A branch that leaves: a `return` or `throw`, or a block holding one. */
export function returnsOrThrows(statement: ts.Statement): boolean {
  if (isReturnStatement(statement) || isThrowStatement(statement)) return true;
  return isBlock(statement) && statement.statements.some((s) => isReturnStatement(s) || isThrowStatement(s));
}

/** A branch that always leaves: a `return` or `throw`, or a block whose last statement is one. */
export function endsInExit(statement: ts.Statement): boolean {
  if (isReturnStatement(statement) || isThrowStatement(statement)) return true;
  const last = isBlock(statement) ? statement.statements.at(-1) : undefined;
  return last !== undefined && (isReturnStatement(last) || isThrowStatement(last));
}

/** Whether code reads one of the names as a variable (a property name `x.name` is not a read of `name`). */
export function mentionsName(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return "stop";
    if (isIdentifier(n) && names.has(n.text) && !(isPropertyAccessExpression(n.parent) && n.parent.name === n)) found = true;
    return undefined;
  });
  return found;
}

/** Names a parameter or declaration binds, destructuring included (`{ a, b: [c] }` → a, c). */
export function boundNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) boundNames(element.name, out);
}
