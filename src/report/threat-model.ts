import type { Finding, Review, Severity } from "../review/types.js";

/**
 * The threat-model comment: one per PR, found again by its hidden marker and edited in place. A pure
 * function of the review; the GitHub edge posts it, the CLI prints it.
 */

export const THREAT_MODEL_MARKER = "<!-- pr-security-review:threat-model -->";

const AWAITING_PREFIX = "**Awaiting:** ";
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

/** Inline code that survives backticks in the content. */
function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${text.replace(/\r?\n/g, " ")}${fence}`;
}

/** Escapes text that must not render as markdown or HTML (titles and bodies come from the PR). */
function plain(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;")).replace(/([\\`*_[\]])/g, "\\$1");
}

function fence(text: string, lang = ""): string {
  let ticks = "```";
  while (text.includes(ticks)) ticks += "`";
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function languageOf(path: string): string {
  if (/\.(tsx?|mts|cts)$/.test(path)) return "ts";
  if (/\.(jsx?|mjs|cjs)$/.test(path)) return "js";
  if (/\.sql$/.test(path)) return "sql";
  return "";
}

/** A fix may end in a code sample (after a blank line or a line ending in `:`); it is fenced inside the list item. */
function renderFix(fix: string, path: string): string {
  const [first, ...rest] = fix.split("\n");
  if (rest.length === 0) return fix;
  const body = rest.join("\n").replace(/^\n+/, "");
  return `${first}\n\n${fence(body, languageOf(path)).replace(/^/gm, "   ")}`;
}

function findingLine(finding: Finding, index: number): string {
  // A likely finding rests on names alone: said so, since it does not block.
  const likely = finding.confidence === "likely" ? " (likely: rests on names the review could not resolve; does not block)" : "";
  return `${index + 1}. ${SEVERITY_BADGE[finding.severity]} \`${finding.ruleId}\`${likely} at ${code(`${finding.path}:${finding.line}`)}: ${finding.message}\n   **Fix:** ${renderFix(finding.fix, finding.path)}`;
}

export function renderThreatModelComment(review: Review, extras: ThreatModelExtras = {}): string {
  const out: string[] = [THREAT_MODEL_MARKER, "## 🛡️ Security review: threat model", ""];
  out.push(review.verdict === "pass" && review.incomplete ? `⚠️ **Incomplete:** ${plain(review.incomplete)} Nothing new reaches the failure threshold in what was reviewed.` : VERDICT_LINE[review.verdict]);
  if (review.headSha) out.push(`Reviewed head ${code(review.headSha.slice(0, 12))}.`);
  if (extras.awaiting) out.push(`${AWAITING_PREFIX}${extras.awaiting}`);
  out.push("");

  if (review.verdict === "not-run") {
    out.push(`The review did not run: ${plain(review.notRunReason ?? "unknown reason")}`);
    if (extras.configProblems && extras.configProblems.length > 0) {
      out.push("", "Fix `.github/security-review.yml`:", ...extras.configProblems.map((p) => `- ${code(p)}`));
    }
    return out.join("\n");
  }

  out.push("### Restated request", plain(review.restatedRequest), "");

  const c = review.classification;
  out.push("### Data classification", `**Tier: ${c.tier}**${c.regulations.length > 0 ? ` (${c.regulations.join(", ")})` : ""}`);
  if (c.evidence.length > 0) {
    for (const field of c.evidence.slice(0, 10)) {
      out.push(`- ${code(field.name)}${field.owner ? ` on ${code(field.owner)}` : ""} (${field.path}:${field.line}): ${field.tier}, ${field.reason}`);
    }
    if (c.evidence.length > 10) out.push(`- and ${c.evidence.length - 10} more fields`);
  } else {
    out.push("No personal, regulated or internal fields were found in the analysed files.");
  }
  out.push("");

  const s = review.surface;
  out.push(
    "### Threat surface walk",
    `- **Ingress:** ${plain(s.ingress)}`,
    `- **Authz:** ${plain(s.authz)}`,
    `- **Mutation:** ${plain(s.mutation)}`,
    `- **Egress:** ${plain(s.egress)}`,
    `- **AI-code path:** ${plain(s.ai)}`,
    "",
  );

  const fresh = review.findings.filter((f) => f.new);
  const old = review.findings.filter((f) => !f.new);
  out.push("### Issues found");
  if (fresh.length === 0) out.push("No new issues on the changed lines.");
  else out.push(...fresh.map(findingLine));
  if (extras.overflowFindings && extras.overflowFindings.length > 0) {
    out.push("", `${extras.overflowFindings.length} of these did not get an inline comment (the review's inline limit); they are listed above.`);
  }
  if (old.length > 0) {
    out.push("", `<details><summary>${old.length} pre-existing issue${old.length === 1 ? "" : "s"} in touched files (not blocking)</summary>`, "", ...old.map(findingLine), "", "</details>");
  }
  out.push("");

  const diffs = fresh.filter((f) => f.replacement);
  if (diffs.length > 0) {
    out.push("### Suggested diffs");
    for (const f of diffs.slice(0, 15)) {
      const r = f.replacement!;
      const span = r.startLine === r.endLine ? `line ${r.startLine}` : `lines ${r.startLine}–${r.endLine}`;
      out.push(`${code(f.path)} ${span} (\`${f.ruleId}\`):`, fence(r.text, languageOf(f.path)));
    }
    out.push("");
  }

  if (review.suppressions.length > 0) {
    out.push("### Waivers in touched files");
    for (const w of review.suppressions) {
      out.push(`- \`${w.ruleId}\` at ${code(`${w.path}:${w.line}`)}: ${w.reason ? plain(w.reason) : "**no reason given, so not in effect**"}`);
    }
    out.push("");
  }

  out.push("### Open questions");
  if (review.openQuestions.length === 0) out.push("None: the code settles what this review asks.");
  else out.push(...review.openQuestions.map((q) => `- ${q}`));
  out.push("");

  if (review.notAnalysed.length > 0 || review.notes.length > 0) {
    // Notes alone (a context file read, a limit) are not files left out.
    const summary = review.notAnalysed.length > 0 ? `Not analysed (${review.notAnalysed.length})` : "Notes";
    out.push(`<details><summary>${summary}</summary>`, "");
    out.push(...review.notes.map((n) => `- ${plain(n)}`));
    out.push(...review.notAnalysed.slice(0, 100).map((n) => `- ${code(n.path)}: ${n.reason}`));
    if (review.notAnalysed.length > 100) out.push(`- and ${review.notAnalysed.length - 100} more`);
    out.push("", "</details>");
  }
  return out.join("\n").trimEnd() + "\n";
}
