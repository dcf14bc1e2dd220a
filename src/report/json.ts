import type { Finding, Review, Verdict } from "../review/types.js";

function findingJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    path: f.path,
    line: f.line,
    column: f.column,
    message: f.message,
    fix: f.fix,
    new: f.new,
    messageId: f.messageId,
    fingerprint: f.fingerprint,
    ...(f.replacement ? { replacement: f.replacement } : {}),
  };
}

/**
 * The verdict the command line and the Action report: `incomplete` when nothing new fails but a limit
 * kept part of the code from being reviewed, so a gap never reads as a pass.
 */
export function reportedVerdict(review: Review): Verdict | "incomplete" {
  return review.verdict === "pass" && review.incomplete ? "incomplete" : review.verdict;
}

/**
 * The CLI's `--format json`: one object whose documented keys keep their meaning (`verdict`, `tier`,
 * `aiGenerated`, `findings`, `fixed`, `notes`); other keys may be added.
 */
export function renderJson(review: Review): string {
  const report = {
    verdict: reportedVerdict(review),
    tier: review.classification.tier,
    aiGenerated: review.provenance.aiGenerated,
    aiSignals: review.provenance.signals,
    findings: review.findings.map(findingJson),
    // PR mode: what the base had and the head no longer has (base paths and lines); empty without a base.
    fixed: (review.fixed ?? []).map((f) => ({ ...findingJson(f), new: false })),
    notes: [...review.notes, ...review.notAnalysed.map((n) => `${n.path}: ${n.reason}`)],
    classification: review.classification,
    surface: review.surface,
    restatedRequest: review.restatedRequest,
    openQuestions: review.openQuestions,
    suppressions: review.suppressions,
    ...(review.notRunReason ? { notRunReason: review.notRunReason } : {}),
    ...(review.incomplete ? { incomplete: review.incomplete } : {}),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
