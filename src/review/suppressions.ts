import type { AnalysedFile } from "./analysis/project.js";
import type { Suppression } from "./types.js";

/**
 * Inline waivers: `// security-review-ignore <rule-id> -- <reason>` on the finding's line or the line
 * above. A waiver without a reason does not take effect and is itself reported, so who may waive what
 * stays visible in review.
 */

const MARKER = /security-review-ignore(?:-next-line)?\s+([a-z]+\/[a-z0-9-]+|\*)?(?:\s*--\s*(.*?))?\s*(?:\*\/|-->)?\s*$/;

export function findSuppressions(file: AnalysedFile): Suppression[] {
  const out: Suppression[] = [];
  file.lines.forEach((text, index) => {
    if (!text.includes("security-review-ignore")) return;
    const match = MARKER.exec(text);
    if (!match) return;
    const reason = match[2]?.trim();
    out.push({ ruleId: match[1] ?? "*", path: file.path, line: index + 1, ...(reason ? { reason } : {}) });
  });
  return out;
}

/** The suppression that waives a finding at `line`, if any: same line or the line above, with a reason. */
export function suppressionFor(suppressions: readonly Suppression[], ruleId: string, line: number): Suppression | undefined {
  return suppressions.find((s) => s.reason && (s.ruleId === ruleId || s.ruleId === "*") && (s.line === line || s.line === line - 1));
}
