import { ts } from "ts-morph";
import { skipOuterExpressions } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import type { Semantics } from "./semantics.js";

/** Small syntax helpers shared by the analysis modules and the checks. */

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
