import { severityRank, type Finding, type Review, type Severity } from "../review/types.js";
import { COMMENT_BODY_BYTES, joinWithinBytes, utf8Bytes } from "./limits.js";
import { codeFence, codeSpan, escapeProse, escapeText } from "./markdown.js";
import { renderSuggestedDiffs } from "./fixes.js";
import { renderWaiver } from "./waivers.js";

/**
 * The threat-model comment: one per PR, found again by its hidden marker and edited in place. A pure
 * function of the review; the GitHub edge posts it, the CLI prints it.
 */

export const THREAT_MODEL_MARKER = "<!-- pr-security-review:threat-model -->";

/**
 * The second line of the app's comment on a PR it has seen as AI-generated. Read back only from
 * the app's own comment and only in that place, it keeps the PR AI-generated on later reviews.
 */
const AI_PROVENANCE_MARKER = "<!-- pr-security-review:ai-generated -->";

/** The signal a later review names when the PR is AI-generated because an earlier review saw it so. */
export const STICKY_AI_SIGNAL = "seen as AI-generated on an earlier review of this PR (a removed label does not clear it)";

/** The comment with the AI-provenance marker as its second line (the first is the comment's own marker). */
export function markAiGenerated(body: string, marker = THREAT_MODEL_MARKER): string {
  if (!body.startsWith(`${marker}\n`) || isMarkedAiGenerated(body)) return body;
  return `${marker}\n${AI_PROVENANCE_MARKER}\n${body.slice(marker.length + 1)}`;
}

/** Whether the app's own comment (found by the caller) marks the PR AI-generated. */
export function isMarkedAiGenerated(body: string | undefined): boolean {
  return body?.split("\n", 2)[1] === AI_PROVENANCE_MARKER;
}

const AWAITING_PREFIX = "**Awaiting:** ";

/** GitHub's limit, less room for the AI-provenance line the GitHub edge may add. */
const COMMENT_ROOM = COMMENT_BODY_BYTES - AI_PROVENANCE_MARKER.length - 1;
const APPROVED_PREFIX = "**Approved:** ";

/** The wait for an AI-gate approval, as the comment states it. */
export function aiGateAwaiting(headSha: string): string {
  return `approval of head \`${headSha}\` by a user with write access`;
}

/**
 * Rewrites the AI-gate line of an existing comment when an approval lifts the gate (or a dismissal
 * closes it again), without re-rendering the review. Returns the body unchanged when it has no such line.
 */
export function updateAiGateLine(body: string, headSha: string, approvedBy: string | undefined): string {
  const line = approvedBy
    ? `${APPROVED_PREFIX}@${approvedBy} (write access) approved head \`${headSha}\`; the AI gate is lifted.`
    : `${AWAITING_PREFIX}${aiGateAwaiting(headSha)}`;
  return body.replace(/^\*\*(Awaiting|Approved):\*\* .*$/m, line);
}

export interface ThreatModelExtras {
  /** New findings that did not fit in the inline review (`maxInlineComments`). */
  overflowFindings?: readonly Finding[];
  /** What the check run is waiting for (e.g. an approval of an AI-generated mutation). */
  awaiting?: string;
  /** Problems of an invalid config, each `key.path: problem`. */
  configProblems?: readonly string[];
}

const SEVERITY_BADGE: Record<Severity, string> = {
  critical: "🔴 critical",
  high: "🟠 high",
  medium: "🟡 medium",
  low: "⚪ low",
};

const VERDICT_LINE: Record<Review["verdict"], string> = {
  fail: "❌ **Blocking:** a new finding reaches the failure threshold.",
  "needs-human-review": "⏸️ **Needs human review:** AI-generated mutation paths await an approval from a maintainer.",
  pass: "✅ **Pass:** nothing new reaches the failure threshold.",
  "not-run": "⚪ **Not run.**",
};

function languageOf(path: string): string {
  if (/\.(tsx?|mts|cts)$/.test(path)) return "ts";
  if (/\.(jsx?|mjs|cjs)$/.test(path)) return "js";
  if (/\.sql$/.test(path)) return "sql";
  return "";
}

/** A fix may end in a code sample (after its first line); the sample is fenced inside the list item. */
function renderFix(fix: string, path: string): string {
  const [first = "", ...rest] = fix.replace(/\r\n?/g, "\n").split("\n");
  if (rest.length === 0) return escapeProse(first);
  const body = rest.join("\n").replace(/^\n+/, "");
  return `${escapeProse(first)}\n\n${codeFence(body, languageOf(path)).replace(/^/gm, "   ")}`;
}

/** A finding of the base that the head no longer has: where it was, and what it was. */
function fixedLine(finding: Finding, index: number): string {
  return `${index + 1}. ${SEVERITY_BADGE[finding.severity]} ${codeSpan(finding.ruleId, 100)} at ${codeSpan(`${finding.path}:${finding.line}`)} in the base: ${escapeProse(finding.message)}`;
}

function fixedHeading(count: number): string {
  return `**This PR fixes ${count} issue${count === 1 ? "" : "s"}** the base had:`;
}

function findingLine(finding: Finding, index: number): string {
  // A likely finding rests on names alone: said so, since it does not block.
  const likely = finding.confidence === "likely" ? " (likely: rests on names the review could not resolve; does not block)" : "";
  return `${index + 1}. ${SEVERITY_BADGE[finding.severity]} ${codeSpan(finding.ruleId, 100)}${likely} at ${codeSpan(`${finding.path}:${finding.line}`)}: ${escapeProse(finding.message)}\n   **Fix:** ${renderFix(finding.fix, finding.path)}`;
}

/** Most severe first, so a comment cut to GitHub's limit keeps the blocking findings. */
function bySeverity(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.path.localeCompare(b.path) || a.line - b.line;
}

const CUT_NOTE = (count: number) => `- … and ${count} more not shown: the comment is cut to GitHub's size limit. The check run lists the blocking findings.`;

/**
 * The comment, within GitHub's size limit in bytes. When the full comment does not fit, the verdict
 * comes first, then the issues (blocking first), the waivers and the open questions, each cut by
 * whole items with a note saying how many were left out.
 */
export function renderThreatModelComment(review: Review, extras: ThreatModelExtras = {}): string {
  const head: string[] = [THREAT_MODEL_MARKER, "## 🛡️ Security review: threat model", ""];
  head.push(review.verdict === "pass" && review.incomplete ? `⚠️ **Incomplete:** ${escapeProse(review.incomplete)} Nothing new reaches the failure threshold in what was reviewed.` : VERDICT_LINE[review.verdict]);
  if (review.headSha) head.push(`Reviewed head ${codeSpan(review.headSha.slice(0, 12), 12)}.`);
  if (extras.awaiting) head.push(`${AWAITING_PREFIX}${extras.awaiting}`);
  if (extras.configProblems && extras.configProblems.length > 0) {
    const ran = review.verdict !== "not-run";
    head.push("", ran ? "`.github/security-review.yml` is invalid, so this review used the defaults. Fix:" : "Fix `.github/security-review.yml`:", ...extras.configProblems.slice(0, 50).map((p) => `- ${codeSpan(p)}`));
  }
  head.push("");

  if (review.verdict === "not-run") {
    head.push(`The review did not run: ${escapeProse(review.notRunReason ?? "unknown reason")}`);
    return fitComment(head.join("\n"), []);
  }

  const out: string[] = [];
  out.push("### Restated request", escapeProse(review.restatedRequest), "");

  const c = review.classification;
  out.push("### Data classification", `**Tier: ${c.tier}**${c.regulations.length > 0 ? ` (${c.regulations.map((r) => escapeText(r, 60)).join(", ")})` : ""}`);
  if (c.evidence.length > 0) {
    for (const field of c.evidence.slice(0, 10)) {
      out.push(`- ${codeSpan(field.name, 100)}${field.owner ? ` on ${codeSpan(field.owner, 100)}` : ""} (${codeSpan(`${field.path}:${field.line}`)}): ${field.tier}, ${escapeProse(field.reason, 300)}`);
    }
    if (c.evidence.length > 10) out.push(`- and ${c.evidence.length - 10} more fields`);
  } else {
    out.push("No personal, regulated or internal fields were found in the analysed files.");
  }
  out.push("");

  const s = review.surface;
  out.push(
    "### Threat surface walk",
    `- **Ingress:** ${escapeProse(s.ingress)}`,
    `- **Authz:** ${escapeProse(s.authz)}`,
    `- **Mutation:** ${escapeProse(s.mutation)}`,
    `- **Egress:** ${escapeProse(s.egress)}`,
    `- **AI-code path:** ${escapeProse(s.ai)}`,
    "",
  );

  const fresh = review.findings.filter((f) => f.new).sort(bySeverity);
  const old = review.findings.filter((f) => !f.new).sort(bySeverity);
  const noneNew = review.baseline ? "No new issues: nothing this PR changes adds a finding." : "No new issues on the changed lines.";
  const issues = ["### Issues found", ...(fresh.length === 0 ? [noneNew] : fresh.map(findingLine))];
  if (extras.overflowFindings && extras.overflowFindings.length > 0) {
    issues.push("", `${extras.overflowFindings.length} of these did not get an inline comment (the review's inline limit); they are listed above.`);
  }
  const preExisting = old.length > 0 ? ["", `<details><summary>${old.length} pre-existing issue${old.length === 1 ? "" : "s"} in touched files (not blocking)</summary>`, "", ...old.map(findingLine), "", "</details>"] : [];
  const fixed = [...(review.fixed ?? [])].sort(bySeverity);
  const fixedList = fixed.length > 0 ? ["", fixedHeading(fixed.length), "", ...fixed.map(fixedLine)] : [];
  out.push(...issues, ...fixedList, ...preExisting, "");

  out.push(...renderSuggestedDiffs(fresh));

  const waivers = review.suppressions.map(renderWaiver);
  if (waivers.length > 0) out.push("### Waivers in touched files", ...waivers, "");

  const questions = review.openQuestions.map((q) => `- ${escapeProse(q)}`);
  out.push("### Open questions");
  if (questions.length === 0) out.push("None: the code settles what this review asks.");
  else out.push(...questions);
  out.push("");

  const notAnalysed = [...review.notes.map((n) => `- ${escapeProse(n)}`), ...review.notAnalysed.slice(0, 100).map((n) => `- ${codeSpan(n.path)}: ${escapeProse(n.reason, 500)}`)];
  if (review.notAnalysed.length > 100) notAnalysed.push(`- and ${review.notAnalysed.length - 100} more`);
  if (notAnalysed.length > 0) {
    // Notes alone (a context file read, a limit) are not files left out.
    const summary = review.notAnalysed.length > 0 ? `Not analysed (${review.notAnalysed.length})` : "Notes";
    out.push(`<details><summary>${summary}</summary>`, "", ...notAnalysed, "", "</details>");
  }
  const full = `${[...head, ...out].join("\n").trimEnd()}\n`;
  if (utf8Bytes(full) <= COMMENT_ROOM) return full;
  // Too long for GitHub: what decides the merge first, then what a reviewer must look at.
  const items = [
    "### Issues found",
    ...(fresh.length === 0 ? [noneNew] : fresh.map((f, i) => findingLine(f, i).split("\n")[0]!)),
    ...(fixed.length > 0 ? ["", fixedHeading(fixed.length), ...fixed.map(fixedLine)] : []),
    ...(waivers.length > 0 ? ["", "### Waivers in touched files", ...waivers] : []),
    ...(questions.length > 0 ? ["", "### Open questions", ...questions] : []),
  ];
  return fitComment(head.join("\n"), items);
}

function fitComment(head: string, items: readonly string[]): string {
  return `${joinWithinBytes(head, items, COMMENT_ROOM - 1, CUT_NOTE).trimEnd()}\n`;
}
