import { atLeast, SEVERITIES, type Finding, type Review, type Severity } from "../review/types.js";

/** The check run's name on every head SHA; branch protection requires it by this name. */
export const CHECK_RUN_NAME = "Security review";

/** GitHub's limit on `output.summary` and `output.text`, in characters. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;

/** GitHub takes at most this many annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export type CheckRunConclusion = "success" | "failure" | "neutral" | "action_required";
export type AnnotationLevel = "notice" | "warning" | "failure";

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: AnnotationLevel;
  title: string;
  message: string;
}

export interface RenderedCheckRun {
  conclusion: CheckRunConclusion;
  output: { title: string; summary: string; text: string };
  /** Every new finding, sorted by location; the GitHub edge sends them 50 per request. */
  annotations: CheckRunAnnotation[];
}

export interface CheckRunExtras {
  /** The login whose approval of the head lifts the AI gate. */
  approvedBy?: string;
  /** Problems of an invalid config, each `key.path: problem`. */
  configProblems?: readonly string[];
}

/** Severity → annotation level, in one place. */
export function annotationLevel(severity: Severity): AnnotationLevel {
  if (atLeast(severity, "high")) return "failure";
  return severity === "medium" ? "warning" : "notice";
}

export function checkRunConclusion(review: Review, extras: CheckRunExtras = {}): CheckRunConclusion {
  switch (review.verdict) {
    case "fail":
      return "failure";
    case "needs-human-review":
      return extras.approvedBy ? "success" : "action_required";
    case "not-run":
      return "neutral";
    case "pass":
      // Part of the review did not run: a limit, not a clean bill of health.
      return review.incomplete ? "neutral" : "success";
  }
}

/** Cuts text to GitHub's limit, ending with a note that says so. */
export function truncateForCheckRun(text: string, limit = CHECK_RUN_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const note = "\n\n… truncated to fit GitHub's check run limit; the threat-model comment on the PR has every finding.";
  return text.slice(0, limit - note.length) + note;
}

function byLocation(a: Finding, b: Finding): number {
  return a.path.localeCompare(b.path) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);
}

function countBySeverity(findings: Finding[]): string {
  const parts = [...SEVERITIES]
    .reverse()
    .map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function title(review: Review, conclusion: CheckRunConclusion, extras: CheckRunExtras): string {
  const fresh = review.findings.filter((finding) => finding.new);
  switch (conclusion) {
    case "failure": {
      const blocking = fresh.filter((finding) => finding.severity === "critical").length;
      return blocking > 0 ? `${plural(blocking, "critical finding")} in the changed lines` : `${plural(fresh.length, "new finding")}: the merge is blocked`;
    }
    case "action_required":
      return "AI-generated mutation awaits approval by a maintainer";
    case "neutral":
      if (review.verdict === "pass" && review.incomplete) return `Incomplete: ${review.incomplete}`.slice(0, 255);
      return extras.configProblems?.length ? "Not run: .github/security-review.yml is invalid" : `Not run: ${review.notRunReason ?? "the review could not run"}`;
    case "success":
      if (extras.approvedBy) return `AI-generated change approved by @${extras.approvedBy}`;
      return fresh.length > 0 ? `Passed with ${plural(fresh.length, "new finding")} below the blocking level` : "No new findings";
  }
}

function summary(review: Review, conclusion: CheckRunConclusion, extras: CheckRunExtras): string {
  const fresh = review.findings.filter((finding) => finding.new);
  const lines: string[] = [];
  if (review.headSha) lines.push(`Reviewed head \`${review.headSha}\`.`, "");
  if (extras.configProblems?.length) {
    lines.push("`.github/security-review.yml` is invalid, so the review did not run:", "");
    for (const problem of extras.configProblems) lines.push(`- \`${problem.split(":")[0]}\`:${problem.slice(problem.indexOf(":") + 1)}`);
    return lines.join("\n");
  }
  if (conclusion === "neutral" && !review.incomplete) {
    lines.push(`The review did not run: ${review.notRunReason ?? "unknown reason"}.`);
    return lines.join("\n");
  }
  if (review.incomplete) lines.push(`- **Incomplete:** ${review.incomplete}`);
  lines.push(`- **Data tier:** ${review.classification.tier}`);
  lines.push(`- **New findings:** ${countBySeverity(fresh)}`);
  const old = review.findings.length - fresh.length;
  if (old > 0) lines.push(`- **Pre-existing findings (not blocking):** ${old}`);
  if (review.provenance.aiGenerated) lines.push(`- **AI-generated:** yes (${review.provenance.signals.join("; ")})`);
  if (review.notAnalysed.length > 0) lines.push(`- **Not analysed:** ${plural(review.notAnalysed.length, "file")}`);
  if (review.verdict === "needs-human-review") lines.push("", aiGateNote(extras.approvedBy));
  return lines.join("\n");
}

/** Starts the AI-gate part of a summary, so a later approval or dismissal can replace just that part. */
const AI_GATE_NOTE = "<!-- security-review:ai-gate -->";

function aiGateNote(approvedBy: string | undefined): string {
  return approvedBy
    ? `${AI_GATE_NOTE}\n@${approvedBy} (write access) approved this head, which lifts the AI gate.`
    : `${AI_GATE_NOTE}\nThis AI-generated change touches a mutation path. A user with write access must approve the current head for this check to pass.`;
}

/**
 * The AI gate re-evaluated after an approval or a dismissal, without re-analysing: the same
 * summary with its gate note replaced, and the conclusion that follows.
 */
export function renderAiGateUpdate(previousSummary: string, approvedBy: string | undefined): { conclusion: CheckRunConclusion; output: { title: string; summary: string } } {
  const cut = previousSummary.indexOf(AI_GATE_NOTE);
  const kept = (cut === -1 ? previousSummary : previousSummary.slice(0, cut)).trimEnd();
  return {
    conclusion: approvedBy ? "success" : "action_required",
    output: {
      title: approvedBy ? `AI-generated change approved by @${approvedBy}` : "AI-generated mutation awaits approval by a maintainer",
      summary: truncateForCheckRun(`${kept}\n\n${aiGateNote(approvedBy)}`.trimStart()),
    },
  };
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function text(review: Review): string {
  const lines: string[] = [];
  const sorted = [...review.findings].sort(byLocation);
  const fresh = sorted.filter((finding) => finding.new);
  const old = sorted.filter((finding) => !finding.new);
  if (fresh.length > 0) {
    lines.push("### New findings", "", "| Severity | Rule | Location | Issue | Fix |", "| --- | --- | --- | --- | --- |");
    for (const finding of fresh) {
      lines.push(`| ${finding.severity} | \`${finding.ruleId}\` | \`${finding.path}:${finding.line}\` | ${escapeCell(finding.message)} | ${escapeCell(finding.fix)} |`);
    }
    lines.push("");
  }
  if (old.length > 0) {
    lines.push("### Pre-existing findings (not blocking)", "");
    for (const finding of old) lines.push(`- ${finding.severity} \`${finding.ruleId}\` at \`${finding.path}:${finding.line}\`: ${finding.message}`);
    lines.push("");
  }
  if (review.notAnalysed.length > 0) {
    lines.push("### Not analysed", "");
    for (const file of review.notAnalysed) lines.push(`- \`${file.path}\`: ${file.reason}`);
    lines.push("");
  }
  if (review.notes.length > 0) {
    lines.push("### Notes", "");
    for (const note of review.notes) lines.push(`- ${note}`);
  }
  return lines.join("\n").trim();
}

/** The check run of a finished review: conclusion, output and every new finding as an annotation. */
export function renderCheckRun(review: Review, extras: CheckRunExtras = {}): RenderedCheckRun {
  const conclusion = checkRunConclusion(review, extras);
  const annotations = review.findings
    .filter((finding) => finding.new)
    .sort(byLocation)
    .map(
      (finding): CheckRunAnnotation => ({
        path: finding.path,
        start_line: finding.line,
        end_line: finding.line,
        annotation_level: annotationLevel(finding.severity),
        title: `${finding.ruleId} (${finding.severity})`.slice(0, 255),
        message: truncateForCheckRun(`${finding.message}\n\nFix: ${finding.fix}`),
      }),
    );
  return {
    conclusion,
    output: {
      title: title(review, conclusion, extras),
      summary: truncateForCheckRun(summary(review, conclusion, extras)),
      text: truncateForCheckRun(text(review) || "Nothing to report."),
    },
    // A review that did not run has nothing to annotate; an incomplete one annotates what it found.
    annotations: conclusion === "neutral" && !review.incomplete ? [] : annotations,
  };
}

/** A check run that ends without a review: superseded head, internal error, rate limit. */
export function renderNotRunCheckRun(reason: string, headSha?: string): RenderedCheckRun {
  const head = headSha ? `Head \`${headSha}\`: ` : "";
  return {
    conclusion: "neutral",
    output: {
      title: `Not run: ${reason}`.slice(0, 255),
      summary: truncateForCheckRun(`${head}the review did not complete — ${reason}. Push again or comment \`/security recheck\` to retry.`),
      text: "",
    },
    annotations: [],
  };
}
