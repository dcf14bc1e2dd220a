import type { ts } from "ts-morph";
import type { AnalysedFile } from "./analysis/project.js";
import type { Suppression } from "./types.js";

/**
 * Inline waivers: `// security-review-ignore <rule-id> -- <reason>` on the finding's line or the line
 * above. A waiver takes effect only with a rule id and a reason, and only in a real comment: one in
 * a string literal, a template or JSX text is code, not a waiver. A waiver without a reason does not
 * take effect and is itself reported, so who may waive what stays visible in review.
 */

const MARKER = /security-review-ignore(?:-next-line)?\s+([a-z]+\/[a-z0-9-]+|\*)?(?:\s*--\s*(.*?))?\s*(?:\*\/|-->)?\s*$/;

/** For files without a syntax tree (SQL, Prisma): the marker follows a comment opener, with no open quote before it. */
const COMMENT_OPENER = /(?:\/\/|\/\*|^\s*\*|--|#|<!--)\s*$/;

/** Whether `position` lies in trivia (a comment, since the marker is text) rather than inside a token of the parsed file. */
function inTrivia(sourceFile: ts.SourceFile, position: number): boolean {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child = node.getChildren(sourceFile).find((candidate) => candidate.getFullStart() <= position && position < candidate.getEnd());
    if (!child) break;
    node = child;
  }
  return position < node.getStart(sourceFile);
}

function inComment(file: AnalysedFile, lineIndex: number, column: number): boolean {
  const sourceFile = file.facts?.sourceFile;
  if (sourceFile) return inTrivia(sourceFile, sourceFile.getPositionOfLineAndCharacter(lineIndex, column));
  const before = (file.lines[lineIndex] ?? "").slice(0, column);
  const quotes = (before.match(/["'`]/g) ?? []).length;
  return COMMENT_OPENER.test(before) && quotes % 2 === 0;
}

export function findSuppressions(file: AnalysedFile): Suppression[] {
  const out: Suppression[] = [];
  file.lines.forEach((text, index) => {
    const column = text.indexOf("security-review-ignore");
    if (column === -1) return;
    const match = MARKER.exec(text);
    if (!match || !inComment(file, index, column)) return;
    const reason = match[2]?.trim();
    out.push({ ruleId: match[1] ?? "*", path: file.path, line: index + 1, ...(reason ? { reason } : {}) });
  });
  return out;
}

/**
 * The suppression that waives a finding at `line`, if any: same line or the line above, naming
 * this rule, with a reason. A waiver without a rule id (or `*`) waives nothing.
 */
export function suppressionFor(suppressions: readonly Suppression[], ruleId: string, line: number): Suppression | undefined {
  return suppressions.find((s) => s.reason && s.ruleId === ruleId && (s.line === line || s.line === line - 1));
}
