import type { Finding, Review, Severity } from "../review/types.js";
import { inScopeNotAnalysed, renderCoverageLine, shortAnswerSentences, tooSmallForChecklist } from "./checklist.js";
import { groupFindings, type FindingGroup } from "./grouping.js";
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

/** The places of a group: each `path:line`, with its route when the finding names one. */
function placesOf(findings: readonly Finding[], max: number, withRoute: boolean): string {
  const shown = findings.slice(0, max).map((f) => `${codeSpan(`${f.path}:${f.line}`)}${withRoute && f.data.route ? ` (${codeSpan(f.data.route, 100)})` : ""}`);
  const rest = findings.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : (shown[0] ?? "");
}

/** The first line of a fix, for the compact form: the check run's annotation has it whole. */
function fixSummary(fix: string): string {
  return escapeProse(fix.replace(/\r\n?/g, "\n").split("\n")[0] ?? "", 400);
}

type Form = "full" | "compact";

/** Most places listed under one grouped finding in the full form; the compact form lists fewer. */
const PLACES_LISTED: Record<Form, number> = { full: 50, compact: 4 };

/** A finding, or the same finding at several places, as one numbered entry. */
function findingEntry(group: FindingGroup, index: number, form: Form): string {
  const f = group.first;
  // A likely finding rests on names alone: said so, since it does not block.
  const likely = f.confidence === "likely" ? " (likely: rests on names the review could not resolve; does not block)" : "";
  const badge = `${index + 1}. ${SEVERITY_BADGE[f.severity]} ${codeSpan(f.ruleId, 100)}${likely}`;
  const count = group.members.length;
  if (form === "compact") {
    const where = count === 1 ? `at ${placesOf(group.members, 1, false)}` : `at ${count} places (${placesOf(group.members, PLACES_LISTED.compact, false)})`;
    return `${badge} ${where}: ${escapeProse(f.message)} **Fix:** ${fixSummary(f.fix)}`;
  }
  const fix = `   **Fix:** ${renderFix(f.fix, f.path)}`;
  if (count === 1) return `${badge} at ${placesOf(group.members, 1, false)}: ${escapeProse(f.message)}\n${fix}`;
  return `${badge}, the same finding at ${count} places: ${placesOf(group.members, PLACES_LISTED.full, true)}.\n   At the first: ${escapeProse(f.message)}\n${fix}`;
}

/** A finding of the base that the head no longer has (or the same at several places): where it was, and what it was. */
function fixedEntry(group: FindingGroup, index: number): string {
  const f = group.first;
  const where = group.members.length === 1 ? `at ${placesOf(group.members, 1, false)}` : `at ${group.members.length} places (${placesOf(group.members, PLACES_LISTED.compact, false)})`;
  return `${index + 1}. ${SEVERITY_BADGE[f.severity]} ${codeSpan(f.ruleId, 100)} ${where} in the base: ${escapeProse(f.message)}`;
}

function fixedHeading(count: number): string {
  return `**This PR fixes ${count} issue${count === 1 ? "" : "s"}** the base had:`;
}

const CUT_NOTE = (count: number) => `- … and ${count} more not shown: the comment is cut to GitHub's size limit. The check run lists the blocking findings.`;

/** Above this many entries of new findings, the comment takes its compact form. */
export const COMPACT_AFTER_ENTRIES = 20;

/** Most files named under "Not analysed", per form. */
const NOT_ANALYSED_LISTED: Record<Form, number> = { full: 100, compact: 20 };

/**
 * The comment, within GitHub's size limit in bytes. Findings come most severe first, the same
 * finding at several places as one entry. With many findings, or when the full comment does not
 * fit, the compact form gives one line per entry (fixes are in the check run's annotations); if even
 * that does not fit, the verdict comes first, then the issues (blocking first), the waivers and the
 * open questions, each cut by whole items with a note saying how many were left out. A full threat
 * model always ends with the checklist coverage line. A PR the checklist does not apply to gets a
 * short answer instead.
 */
export function renderThreatModelComment(review: Review, extras: ThreatModelExtras = {}): string {
  const problems = configProblemLines(review, extras);
  if (review.verdict !== "not-run" && tooSmallForChecklist(review) && !extras.awaiting) {
    const short = [THREAT_MODEL_MARKER, "## 🛡️ Security review", "", `✅ **No threat model needed**${review.headSha ? ` for head ${codeSpan(review.headSha.slice(0, 12), 12)}` : ""}. ${shortAnswerSentences(review).join(" ")}`, ...problems];
    return fitComment(short.join("\n"), []);
  }
  const head: string[] = [THREAT_MODEL_MARKER, "## 🛡️ Security review: threat model", ""];
  head.push(review.verdict === "pass" && review.incomplete ? `⚠️ **Incomplete:** ${escapeProse(review.incomplete)} Nothing new reaches the failure threshold in what was reviewed.` : VERDICT_LINE[review.verdict]);
  if (review.headSha) head.push(`Reviewed head ${codeSpan(review.headSha.slice(0, 12), 12)}.`);
  if (extras.awaiting) head.push(`${AWAITING_PREFIX}${extras.awaiting}`);
  head.push(...problems, "");

  if (review.verdict === "not-run") {
    head.push(`The review did not run: ${escapeProse(review.notRunReason ?? "unknown reason")}`);
    return fitComment(head.join("\n"), []);
  }

  const fresh = groupFindings(review.findings.filter((f) => f.new));
  const coverage = renderCoverageLine(review);
  if (fresh.length <= COMPACT_AFTER_ENTRIES) {
    const full = withCoverage([...head, ...body(review, extras, fresh, "full")], coverage);
    if (utf8Bytes(full) <= COMMENT_ROOM) return full;
  }
  const compact = withCoverage([...head, ...body(review, extras, fresh, "compact")], coverage);
  if (utf8Bytes(compact) <= COMMENT_ROOM) return compact;
  // Too long for GitHub even so: what decides the merge first, then what a reviewer must look at.
  const fixed = groupFindings(review.fixed ?? []);
  const waivers = review.suppressions.map(renderWaiver);
  const questions = review.openQuestions.map((q) => `- ${escapeProse(q)}`);
  const items = [
    "### Issues found",
    ...(fresh.length === 0 ? [noneNew(review)] : fresh.map((group, i) => findingEntry(group, i, "compact"))),
    ...(fixed.length > 0 ? ["", fixedHeading(review.fixed?.length ?? 0), ...fixed.map(fixedEntry)] : []),
    ...(waivers.length > 0 ? ["", "### Waivers in touched files", ...waivers] : []),
    ...(questions.length > 0 ? ["", "### Open questions", ...questions] : []),
  ];
  return fitComment(head.join("\n"), items, coverage);
}

function withCoverage(lines: readonly string[], coverage: string): string {
  return `${lines.join("\n").trimEnd()}\n\n${coverage}\n`;
}

function configProblemLines(review: Review, extras: ThreatModelExtras): string[] {
  if (!extras.configProblems || extras.configProblems.length === 0) return [];
  const ran = review.verdict !== "not-run";
  return ["", ran ? "`.github/security-review.yml` is invalid, so this review used the defaults. Fix:" : "Fix `.github/security-review.yml`:", ...extras.configProblems.slice(0, 50).map((p) => `- ${codeSpan(p)}`)];
}

function noneNew(review: Review): string {
  return review.baseline ? "No new issues: nothing this PR changes adds a finding." : "No new issues on the changed lines.";
}

/** The sections between the verdict and the coverage line, in the full or the compact form. */
function body(review: Review, extras: ThreatModelExtras, fresh: readonly FindingGroup[], form: Form): string[] {
  const out: string[] = [];
  out.push("### Restated request", escapeProse(review.restatedRequest), "");

  const c = review.classification;
  const evidenceListed = form === "full" ? 10 : 5;
  out.push("### Data classification", `**Tier: ${c.tier}**${c.regulations.length > 0 ? ` (${c.regulations.map((r) => escapeText(r, 60)).join(", ")})` : ""}`);
  if (c.evidence.length > 0) {
    for (const field of c.evidence.slice(0, evidenceListed)) {
      out.push(`- ${codeSpan(field.name, 100)}${field.owner ? ` on ${codeSpan(field.owner, 100)}` : ""} (${codeSpan(`${field.path}:${field.line}`)}): ${field.tier}, ${escapeProse(field.reason, 300)}`);
    }
    if (c.evidence.length > evidenceListed) out.push(`- and ${c.evidence.length - evidenceListed} more fields`);
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

  const newCount = review.findings.filter((f) => f.new).length;
  const issues = ["### Issues found"];
  if (fresh.length === 0) issues.push(noneNew(review));
  else {
    if (form === "compact") issues.push(`${newCount} new finding${newCount === 1 ? "" : "s"}, one line per finding (the same finding at several places on one line); each fix in full is in the check run's annotations.`, "");
    issues.push(...fresh.map((group, i) => findingEntry(group, i, form)));
  }
  if (extras.overflowFindings && extras.overflowFindings.length > 0) {
    issues.push("", `${extras.overflowFindings.length} of these did not get an inline comment (the review's inline limit); they are listed above.`);
  }
  const oldFindings = review.findings.filter((f) => !f.new);
  const old = groupFindings(oldFindings);
  const preExisting = old.length > 0 ? ["", `<details><summary>${oldFindings.length} pre-existing issue${oldFindings.length === 1 ? "" : "s"} in touched files (not blocking)</summary>`, "", ...old.map((group, i) => findingEntry(group, i, form)), "", "</details>"] : [];
  const fixed = groupFindings(review.fixed ?? []);
  const fixedList = fixed.length > 0 ? ["", fixedHeading(review.fixed?.length ?? 0), "", ...fixed.map(fixedEntry)] : [];
  out.push(...issues, ...fixedList, ...preExisting, "");

  if (form === "full") out.push(...renderSuggestedDiffs(fresh.map((group) => group.first)));

  const waivers = review.suppressions.map(renderWaiver);
  if (waivers.length > 0) out.push("### Waivers in touched files", ...waivers, "");

  const questions = review.openQuestions.map((q) => `- ${escapeProse(q)}`);
  out.push("### Open questions");
  if (questions.length === 0) out.push("None: the code settles what this review asks.");
  else out.push(...questions);
  out.push("");

  out.push(...notAnalysedDetails(review, form));
  return out;
}

/**
 * The files the review would have analysed but did not, and the notes; files it never reads
 * (other languages, excluded paths) are counted, not listed.
 */
function notAnalysedDetails(review: Review, form: Form): string[] {
  const gaps = inScopeNotAnalysed(review);
  const listed = NOT_ANALYSED_LISTED[form];
  const lines = [...review.notes.map((n) => `- ${escapeProse(n)}`), ...gaps.slice(0, listed).map((n) => `- ${codeSpan(n.path)}: ${escapeProse(n.reason, 500)}`)];
  if (gaps.length > listed) lines.push(`- and ${gaps.length - listed} more`);
  const outside = review.notAnalysed.length - gaps.length;
  if (outside > 0) lines.push(`- ${outside} changed file${outside === 1 ? " is" : "s are"} outside the review's scope (other languages, or paths the config excludes).`);
  if (lines.length === 0) return [];
  // Notes alone (a context file read, a limit) are not files left out.
  const summary = gaps.length > 0 ? `Not analysed (${gaps.length})` : "Notes";
  return [`<details><summary>${summary}</summary>`, "", ...lines, "", "</details>"];
}

/** The head, then as many items as fit, then the tail (the coverage line), which always fits. */
function fitComment(head: string, items: readonly string[], tail?: string): string {
  const end = tail ? `\n\n${tail}` : "";
  return `${joinWithinBytes(head, items, COMMENT_ROOM - 1 - utf8Bytes(end), CUT_NOTE).trimEnd()}${end}\n`;
}
