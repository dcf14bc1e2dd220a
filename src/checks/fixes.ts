import type { ts } from "ts-morph";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { LineReplacement } from "../review/types.js";

/** Helpers that build line replacements (rendered as GitHub `suggestion` blocks). */

/** Replaces one node's text inside its line(s); undefined when the node spans lines and `allowMultiline` is off. */
export function replaceNode(file: AnalysedFile, node: ts.Node, text: string, allowMultiline = false): LineReplacement | undefined {
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  const end = node.getEnd();
  const startLine = sf.getLineAndCharacterOfPosition(start).line;
  const endLine = sf.getLineAndCharacterOfPosition(end).line;
  if (startLine !== endLine && !allowMultiline) return undefined;
  const lineStart = sf.getPositionOfLineAndCharacter(startLine, 0);
  const before = file.text.slice(lineStart, start);
  const lastLine = file.lines[endLine] ?? "";
  const endColumn = sf.getLineAndCharacterOfPosition(end).character;
  const after = lastLine.slice(endColumn);
  return { startLine: startLine + 1, endLine: endLine + 1, text: `${before}${text}${after}` };
}

/** Inserts lines before `line` (1-based), keeping that line: the replacement covers that line. */
export function insertBefore(file: AnalysedFile, line: number, lines: string[]): LineReplacement {
  const current = file.lines[line - 1] ?? "";
  const indent = /^\s*/.exec(current)?.[0] ?? "";
  return { startLine: line, endLine: line, text: [...lines.map((l) => `${indent}${l}`), current].join("\n") };
}

/** Whether the file is TypeScript (for `!` non-null assertions in fixes). */
export function isTypeScript(file: AnalysedFile): boolean {
  return file.language === "ts";
}

/**
 * Replaces several nodes of one file at once: one replacement spanning the lines from the first
 * node to the last, each node's text swapped in place. Undefined when nodes overlap.
 */
export function replaceNodes(file: AnalysedFile, edits: readonly { node: ts.Node; text: string }[]): LineReplacement | undefined {
  if (edits.length === 0) return undefined;
  const sf = edits[0]!.node.getSourceFile();
  const sorted = [...edits].sort((a, b) => a.node.getStart(sf) - b.node.getStart(sf));
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.node.getStart(sf) < sorted[i - 1]!.node.getEnd()) return undefined;
  const startLine = sf.getLineAndCharacterOfPosition(sorted[0]!.node.getStart(sf)).line;
  const endLine = sf.getLineAndCharacterOfPosition(sorted[sorted.length - 1]!.node.getEnd()).line;
  const from = sf.getPositionOfLineAndCharacter(startLine, 0);
  const to = from + file.lines.slice(startLine, endLine + 1).join("\n").length;
  let text = "";
  let at = from;
  for (const edit of sorted) {
    text += file.text.slice(at, edit.node.getStart(sf)) + edit.text;
    at = edit.node.getEnd();
  }
  text += file.text.slice(at, to);
  return { startLine: startLine + 1, endLine: endLine + 1, text };
}
