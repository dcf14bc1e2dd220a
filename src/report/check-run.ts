import { atLeast, SEVERITIES, type Finding, type Review, type Severity } from "../review/types.js";
import { inScopeNotAnalysed, shortAnswerSentences, tooSmallForChecklist } from "./checklist.js";
import { groupFindings, type FindingGroup } from "./grouping.js";
import { ANNOTATION_MESSAGE_BYTES, CHECK_RUN_TEXT_BYTES, cutToBytes, fitToBytes, joinWithinBytes, TITLE_BYTES, utf8Bytes } from "./limits.js";
import { codeSpan, escapeProse, escapeText } from "./markdown.js";
import { renderWaiver } from "./waivers.js";

/** The check run's name on every head SHA; branch protection requires it by this name. */
export const CHECK_RUN_NAME = "Security review";

/** GitHub's limit on `output.summary` and `output.text`, in bytes. */
export const CHECK_RUN_TEXT_LIMIT = CHECK_RUN_TEXT_BYTES;

/** GitHub takes at most this many annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/**
 * GitHub counts `success`, `neutral` and `skipped` as passing a required check, so the gate uses
 * `neutral` only when there was nothing to review, and never `skipped`.
 */
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
  /** The login whose approval of the head lifts the approval gate. */
  approvedBy?: string;
  /** Problems of an invalid config, each `key.path: problem`; the review ran with the defaults. */
  configProblems?: readonly string[];
  /** The config's `failOn` (default critical): which new findings are blocking. */
  failOn?: Severity;
  /** `incomplete: allow`: a review a limit cut short passes instead of waiting for an approval. */
  allowIncomplete?: boolean;
}

/** Severity → annotation level, in one place. */
export function annotationLevel(severity: Severity): AnnotationLevel {
  if (atLeast(severity, "high")) return "failure";
  return severity === "medium" ? "warning" : "notice";
}

/** What the approval gate waits for: an AI-generated mutation, an incomplete review, or both. */
export type GateReason = "ai" | "incomplete";

/** Why a review waits for a write-access approval of its head, if it does. */
export function gateReasons(review: Review, extras: Pick<CheckRunExtras, "allowIncomplete"> = {}): GateReason[] {
  const reasons: GateReason[] = [];
  if (review.verdict === "needs-human-review") reasons.push("ai");
  if ((review.verdict === "pass" || review.verdict === "needs-human-review") && review.incomplete && !extras.allowIncomplete) reasons.push("incomplete");
  return reasons;
}

/** Nothing was in scope: no source file of the PR was reviewed and no limit kept one out. */
export function nothingInScope(review: Review): boolean {
  return review.verdict === "pass" && !review.incomplete && review.analysed.length === 0 && review.findings.length === 0;
}

/**
 * The gate, failing closed: `failure` for a blocking finding or a review that did not complete;
 * `action_required` while an AI-generated mutation or an incomplete review awaits a write-access
 * approval of the head; `neutral` only when nothing was in scope; `success` otherwise.
 */
export function checkRunConclusion(review: Review, extras: CheckRunExtras = {}): CheckRunConclusion {
  if (review.verdict === "fail" || review.verdict === "not-run") return "failure";
  if (gateReasons(review, extras).length > 0) return extras.approvedBy ? "success" : "action_required";
  return nothingInScope(review) ? "neutral" : "success";
}

/** Cuts text to GitHub's limit in bytes, ending with a note that says so. */
export function truncateForCheckRun(text: string, limit = CHECK_RUN_TEXT_LIMIT): string {
  return fitToBytes(text, limit, "… cut to fit GitHub's check run limit; the threat-model comment on the PR has the review.");
}

function title(text: string): string {
  return cutToBytes(text.replace(/\s+/g, " "), TITLE_BYTES);
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

function renderTitle(review: Review, conclusion: CheckRunConclusion, extras: CheckRunExtras): string {
  const fresh = review.findings.filter((finding) => finding.new);
  const failOn = extras.failOn ?? "critical";
  switch (conclusion) {
    case "failure": {
      if (review.verdict === "not-run") return title(`Not reviewed: ${review.notRunReason ?? "the review could not complete"}`);
      const blocking = fresh.filter((finding) => atLeast(finding.severity, failOn)).length;
      return blocking > 0 ? `${plural(blocking, `blocking finding`)} introduced by this PR` : `${plural(fresh.length, "new finding")}: the merge is blocked`;
    }
    case "action_required":
      return gateTitle(gateReasons(review, extras));
    case "neutral":
      return "Nothing to review: no file of this PR is in scope";
    case "success":
      if (extras.approvedBy) return title(`Approved by @${extras.approvedBy} (write access): the approval gate is lifted`);
      if (tooSmallForChecklist(review)) return "Nothing security-relevant changed: the checklist does not apply";
      return fresh.length > 0 ? `Passed with ${plural(fresh.length, "new finding")} below the blocking level` : "No new findings";
  }
}

function gateTitle(reasons: readonly GateReason[]): string {
  if (reasons.includes("ai") && reasons.includes("incomplete")) return "Incomplete review of an AI-generated mutation: awaits approval by a maintainer";
  if (reasons.includes("incomplete")) return "Incomplete review: awaits approval by a maintainer";
  return "AI-generated mutation awaits approval by a maintainer";
}

/** Starts the approval-gate part of a summary, so a later approval or dismissal can replace just that part. */
const GATE_START = "<!-- security-review:ai-gate ";
const GATE_END = "<!-- /security-review:ai-gate -->";

function gateNote(reasons: readonly GateReason[], approvedBy: string | undefined): string {
  const what = [...(reasons.includes("ai") ? ["This AI-generated change touches a mutation path."] : []), ...(reasons.includes("incomplete") ? ["Part of this PR could not be reviewed (see **Incomplete**)."] : [])].join(" ");
  const status = approvedBy
    ? `@${escapeText(approvedBy, 100)} (write access) approved this head, which lifts the approval gate.`
    : "A user with write access must approve the current head for this check to pass.";
  return `${GATE_START}${reasons.join(",")} -->\n${what} ${status}\n${GATE_END}`;
}

function summary(review: Review, conclusion: CheckRunConclusion, extras: CheckRunExtras): string {
  const fresh = review.findings.filter((finding) => finding.new);
  const lines: string[] = [];
  if (review.headSha) lines.push(`Reviewed head ${codeSpan(review.headSha, 64)}.`, "");
  // The gate comes before anything taken from the PR: a later approval finds it first, and a cut keeps it.
  const reasons = gateReasons(review, extras);
  if (reasons.length > 0 && conclusion !== "failure") lines.push(gateNote(reasons, extras.approvedBy), "");
  if (review.verdict === "not-run") {
    lines.push(`The review did not complete: ${escapeProse(review.notRunReason ?? "unknown reason")}. **Re-run** on this check, a push, or \`/security recheck\` runs it again.`);
    return lines.join("\n");
  }
  if (conclusion === "neutral") lines.push("No file of this PR is in scope of the review (only other languages, or paths excluded by the config).", "");
  if (tooSmallForChecklist(review)) lines.push(...shortAnswerSentences(review), "");
  if (review.incomplete) lines.push(`- **Incomplete:** ${escapeProse(review.incomplete)}`);
  lines.push(`- **New findings:** ${countBySeverity(fresh)}`);
  lines.push(`- **Data tier:** ${review.classification.tier}`);
  const old = review.findings.length - fresh.length;
  if (old > 0) lines.push(`- **Pre-existing findings (not blocking):** ${old}`);
  if (review.fixed && review.fixed.length > 0) lines.push(`- **Fixed by this PR:** ${review.fixed.length}`);
  if (review.provenance.aiGenerated) lines.push(`- **AI-generated:** yes (${review.provenance.signals.map((signal) => escapeProse(signal, 300)).join("; ")})`);
  const gaps = inScopeNotAnalysed(review).length;
  if (gaps > 0) lines.push(`- **Not analysed:** ${plural(gaps, "file")}`);
  if (review.suppressions.length > 0) lines.push(`- **Waivers in touched files:** ${review.suppressions.length} (listed in the details)`);
  if (extras.configProblems?.length) {
    lines.push("", "`.github/security-review.yml` is invalid, so the review ran with the defaults:", "");
    for (const problem of extras.configProblems) lines.push(`- ${codeSpan(problem)}`);
  }
  return lines.join("\n");
}

/**
 * The approval gate re-evaluated after an approval or a dismissal, without re-analysing: the same
 * summary with its gate note replaced, and the conclusion that follows. Undefined when the summary
 * has no gate note of ours.
 */
export function renderAiGateUpdate(previousSummary: string, approvedBy: string | undefined): { conclusion: CheckRunConclusion; output: { title: string; summary: string } } | undefined {
  const start = previousSummary.indexOf(GATE_START);
  const end = previousSummary.indexOf(GATE_END, start);
  if (start === -1 || end === -1) return undefined;
  const reasons = previousSummary
    .slice(start + GATE_START.length, previousSummary.indexOf(" -->", start))
    .split(",")
    .filter((reason): reason is GateReason => reason === "ai" || reason === "incomplete");
  if (reasons.length === 0) return undefined;
  return {
    conclusion: approvedBy ? "success" : "action_required",
    output: {
      title: approvedBy ? title(`Approved by @${approvedBy} (write access): the approval gate is lifted`) : gateTitle(reasons),
      summary: truncateForCheckRun(`${previousSummary.slice(0, start)}${gateNote(reasons, approvedBy)}${previousSummary.slice(end + GATE_END.length)}`),
    },
  };
}

/** Most places listed for the same finding at several places. */
const PLACES_LISTED = 10;

/** Where a finding is, or the places of the same finding: `a.ts:4`, or `3 places (`a.ts:4`, `b.ts:9` and `c.ts:1`)`. */
function placesOf(group: FindingGroup): string {
  const spans = group.members.slice(0, PLACES_LISTED).map((finding) => codeSpan(`${finding.path}:${finding.line}`));
  if (group.members.length === 1) return spans[0]!;
  const rest = group.members.length - spans.length;
  const listed = rest > 0 ? `${spans.join(", ")} and ${rest} more` : `${spans.slice(0, -1).join(", ")} and ${spans.at(-1)}`;
  return `${group.members.length} places (${listed})`;
}

function findingItem(group: FindingGroup): string {
  const finding = group.first;
  const fix = finding.fix.split("\n")[0] ?? "";
  const first = group.members.length > 1 ? "at the first: " : "";
  return `- **${finding.severity}** ${codeSpan(finding.ruleId, 100)} at ${placesOf(group)}: ${first}${escapeProse(finding.message)} Fix: ${escapeProse(fix)}`;
}

function fixedItem(group: FindingGroup): string {
  const finding = group.first;
  return `- **${finding.severity}** ${codeSpan(finding.ruleId, 100)} at ${placesOf(group)} (base): ${escapeProse(finding.message)}`;
}

/** Each section a heading and its items, so a cut can drop whole items and say how many. */
function text(review: Review, extras: CheckRunExtras): string {
  const failOn = extras.failOn ?? "critical";
  const fresh = groupFindings(review.findings.filter((finding) => finding.new));
  const blocking = fresh.filter((group) => atLeast(group.first.severity, failOn));
  const other = fresh.filter((group) => !atLeast(group.first.severity, failOn));
  const old = groupFindings(review.findings.filter((finding) => !finding.new));
  const sections: { heading: string; items: string[] }[] = [
    { heading: "### Blocking findings", items: blocking.map(findingItem) },
    { heading: "### Other new findings", items: other.map(findingItem) },
    {
      heading: "### Waivers in touched files",
      items: review.suppressions.map(renderWaiver),
    },
    { heading: "### Not analysed", items: inScopeNotAnalysed(review).map((file) => `- ${codeSpan(file.path)}: ${escapeProse(file.reason, 500)}`) },
    { heading: "### Pre-existing findings (not blocking)", items: old.map(findingItem) },
    { heading: "### Fixed by this PR (in the base, gone from the head)", items: groupFindings(review.fixed ?? []).map(fixedItem) },
    { heading: "### Notes", items: review.notes.map((note) => `- ${escapeProse(note)}`) },
  ];
  let out = "";
  for (const section of sections) {
    if (section.items.length === 0) continue;
    const head = `${out}${out ? "\n\n" : ""}${section.heading}\n`;
    // A heading with no room for an item under it is left out with its section.
    if (utf8Bytes(head) + 200 > CHECK_RUN_TEXT_BYTES) break;
    out = joinWithinBytes(head, section.items, CHECK_RUN_TEXT_BYTES, (count) => `- … and ${count} more not shown (GitHub's check run limit); the threat-model comment on the PR has the review.`);
  }
  return out.trim();
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
        title: title(`${finding.ruleId} (${finding.severity})`),
        // Annotations are plain text on GitHub: no markdown to escape, only the size to keep.
        message: fitToBytes(`${finding.message}\n\nFix: ${finding.fix}`, ANNOTATION_MESSAGE_BYTES, "… cut to fit GitHub's limit."),
      }),
    );
  return {
    conclusion,
    output: {
      title: renderTitle(review, conclusion, extras),
      summary: truncateForCheckRun(summary(review, conclusion, extras)),
      text: truncateForCheckRun(text(review, extras) || "Nothing to report."),
    },
    annotations: review.verdict === "not-run" ? [] : annotations,
  };
}

/** A check run that ends without a review: an internal error, GitHub failing after retries, a newer push. */
export function renderNotRunCheckRun(reason: string, headSha?: string): RenderedCheckRun {
  const head = headSha ? `Head ${codeSpan(headSha, 64)}: ` : "";
  return {
    conclusion: "failure",
    output: {
      title: title(`Not reviewed: ${reason}`),
      summary: truncateForCheckRun(`${head}the review did not complete — ${escapeProse(reason)}. **Re-run** on this check, a push, or \`/security recheck\` runs it again.`),
      text: "",
    },
    annotations: [],
  };
}
