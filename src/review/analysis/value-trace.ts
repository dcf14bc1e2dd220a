import { ts } from "ts-morph";
import { skipOuterExpressions, type Binding } from "./facts.js";
import type { AnalysedFile, AnalysedProject } from "./project.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { forEachChild, getLeadingCommentRanges, getTrailingCommentRanges, isBlock, isCaseClause, isDefaultClause, isModuleBlock, isSourceFile, isStatement, isStringLiteralLike } = ts;

/**
 * Small, bounded lookups shared by the rules that ask where a value comes from: the initialiser
 * behind a name (through imports of the PR's own files), the statement a node belongs to, and code
 * text without comments.
 */

export interface TracedValue {
  file: AnalysedFile;
  expr: ts.Expression;
  /** The binding the value was reached through (a variable, or a destructured variable with its path). */
  binding?: Binding;
}

/**
 * The binding a name stands for, following an import of another PR file to the exported binding
 * (`import { ADMINS } from "./admins"` → the `const ADMINS = [...]` there).
 */
export function bindingOf(project: AnalysedProject, file: AnalysedFile, name: ts.Identifier): { file: AnalysedFile; binding: Binding } | undefined {
  const binding = project.lookup(file, name.text, name);
  if (!binding) return undefined;
  if (binding.kind !== "import") return { file, binding };
  const target = project.resolveModule(file, binding.imp.module);
  const origin = target ? project.exportOf(target, binding.imp.imported[0] ?? "default") : undefined;
  if (origin?.kind !== "own" || origin.exported.kind === "expression") return { file, binding };
  return { file: origin.file, binding: origin.exported };
}

/** The initialiser a name's variable was given (possibly in another PR file), when it has one. */
export function initialiserOf(project: AnalysedProject, file: AnalysedFile, name: ts.Identifier): TracedValue | undefined {
  const found = bindingOf(project, file, name);
  if (found?.binding.kind === "var" && found.binding.init) return { file: found.file, expr: found.binding.init, binding: found.binding };
  return undefined;
}

/** The statement of a block (or source file) that contains a node. */
export function statementOf(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node | undefined = node;
  while (current?.parent) {
    const parent: ts.Node = current.parent;
    if ((isBlock(parent) || isSourceFile(parent) || isCaseClause(parent) || isDefaultClause(parent) || isModuleBlock(parent)) && isStatement(current)) return current;
    current = parent;
  }
  return undefined;
}

/** 1-based line of a node's first character. */
export function startLineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** A file's code with comments blanked out, so notes and commented-out code never count as evidence. */
export function codeWithoutComments(file: AnalysedFile): string {
  const sf = file.facts?.sourceFile;
  if (!sf) return file.text;
  const out = file.text.split("");
  const blank = (pos: number, end: number) => {
    for (let i = pos; i < end; i++) if (out[i] !== "\n") out[i] = " ";
  };
  const seen = new Set<number>();
  const visit = (node: ts.Node) => {
    for (const range of [...(getLeadingCommentRanges(sf.text, node.getFullStart()) ?? []), ...(getTrailingCommentRanges(sf.text, node.getEnd()) ?? [])]) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      blank(range.pos, range.end);
    }
  };
  // Comments sit before tokens: every statement and expression start covers them; iterative to stay flat.
  const stack: ts.Node[] = [sf];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    forEachChild(node, (child) => {
      stack.push(child);
    });
  }
  visit(sf.endOfFileToken);
  return out.join("");
}

/** The string value of a literal (or a template without substitutions). */
export function stringValue(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const inner = skipOuterExpressions(expr);
  return isStringLiteralLike(inner) ? inner.text : undefined;
}
