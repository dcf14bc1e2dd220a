import type { Log, ReportingDescriptor, Result } from "sarif";
import type { CheckDefinition } from "../checks/define-check.js";
import { severityRank, type Finding, type Review, type Severity } from "../review/types.js";
import { cutToBytes, utf8Bytes } from "./limits.js";

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the rule catalogue as the driver's rules.
 *
 * Finding messages and fixes quote the PR (identifiers, paths, string literals): every text field
 * is plain text with control and bidirectional-override characters dropped, SARIF's embedded-link
 * syntax (`[text](target)`) escaped so a PR cannot plant a link, and a cap in bytes. Paths are
 * percent-encoded URIs relative to `%SRCROOT%`. At most {@link MAX_SARIF_RESULTS} results (GitHub's
 * limit per run), the most severe kept.
 */

/** GitHub code scanning refuses a run with more results. */
export const MAX_SARIF_RESULTS = 25_000;
/** Longest message or fix text, in bytes. */
export const MAX_SARIF_TEXT_BYTES = 4_096;
/** Longest suggested replacement, in bytes: past it the fix is described but not offered. */
export const MAX_SARIF_REPLACEMENT_BYTES = 16_384;

// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Plain text for a SARIF message: unsafe characters dropped, `\`, `[` and `]` escaped, cut to a byte cap. */
export function sarifText(text: string, maxBytes = MAX_SARIF_TEXT_BYTES): string {
  const escaped = text.replace(UNSAFE_CHARACTERS, "").replace(/[\\[\]]/g, (char) => `\\${char}`);
  if (utf8Bytes(escaped) <= maxBytes) return escaped;
  // Never end inside an escape.
  return `${cutToBytes(escaped, maxBytes - 3).replace(/(?<!\\)((?:\\\\)*)\\$/, "$1")}…`;
}

/** A repository-relative path as a URI reference: each segment percent-encoded. */
export function sarifUri(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment.replace(UNSAFE_CHARACTERS, "")))
    .join("/");
}

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Severity → SARIF level and GitHub's `security-severity` score, in one place. */
export function sarifLevel(severity: Severity): { level: "error" | "warning" | "note"; score: string } {
  switch (severity) {
    case "critical":
      return { level: "error", score: "9.5" };
    case "high":
      return { level: "error", score: "8.0" };
    case "medium":
      return { level: "warning", score: "5.5" };
    case "low":
      return { level: "note", score: "3.0" };
  }
}

export function renderSarif(review: Review, checks: readonly CheckDefinition[], version: string): string {
  const ruleIds = new Set([...review.findings, ...(review.fixed ?? [])].map((f) => f.ruleId));
  const rules: ReportingDescriptor[] = checks.map((check) => ({
    id: check.id,
    name: check.title,
    shortDescription: { text: check.title },
    fullDescription: { text: check.docs },
    help: { text: `${check.docs} Checklist: ${check.section}.` },
    defaultConfiguration: { level: sarifLevel(check.severity).level },
    properties: { tags: ["security", check.id.split("/")[0]!], "security-severity": sarifLevel(check.severity).score },
  }));
  for (const id of ruleIds) {
    if (!rules.some((r) => r.id === id)) rules.push({ id, shortDescription: { text: id } });
  }
  const indexOf = new Map(rules.map((r, i) => [r.id, i]));

  // Compared with a base (`diff`, the app): each result says whether the base had it; `scan` has no base, so all are new.
  const findings: Finding[] = review.findings.length > MAX_SARIF_RESULTS ? [...review.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).slice(0, MAX_SARIF_RESULTS) : review.findings;
  const results: Result[] = findings.map((f) => {
    const { level, score } = sarifLevel(f.severity);
    const result: Result = {
      ruleId: f.ruleId,
      ruleIndex: indexOf.get(f.ruleId),
      level,
      message: { text: sarifText(`${f.message} Fix: ${f.fix}`) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: sarifUri(f.path), uriBaseId: "%SRCROOT%" },
            region: { startLine: f.line, startColumn: f.column },
          },
        },
      ],
      partialFingerprints: { "prSecurityReview/v2": f.fingerprint },
      baselineState: f.new ? "new" : "unchanged",
      properties: { new: f.new, severity: f.severity, "security-severity": score },
    };
    if (f.replacement && utf8Bytes(f.replacement.text) <= MAX_SARIF_REPLACEMENT_BYTES) {
      result.fixes = [
        {
          description: { text: sarifText(f.fix) },
          artifactChanges: [
            {
              artifactLocation: { uri: sarifUri(f.path), uriBaseId: "%SRCROOT%" },
              replacements: [
                {
                  deletedRegion: { startLine: f.replacement.startLine, endLine: f.replacement.endLine },
                  insertedContent: { text: `${f.replacement.text}\n` },
                },
              ],
            },
          ],
        },
      ];
    }
    return result;
  });

  // Fixed by this PR: the base had them, the head does not. A result that is no longer a problem is a `pass`.
  // Within the same cap as the rest: what is still wrong comes first.
  for (const f of (review.fixed ?? []).slice(0, Math.max(0, MAX_SARIF_RESULTS - results.length))) {
    results.push({
      ruleId: f.ruleId,
      ruleIndex: indexOf.get(f.ruleId),
      kind: "pass",
      level: "none",
      message: { text: sarifText(`Fixed by this change (present in the base): ${f.message}`) },
      locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(f.path), uriBaseId: "%SRCROOT%" }, region: { startLine: f.line, startColumn: f.column } } }],
      partialFingerprints: { "prSecurityReview/v2": f.fingerprint },
      baselineState: "absent",
      properties: { new: false, severity: f.severity },
    });
  }

  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "pr-security-review", version, semanticVersion: version, rules } },
        results,
        // A review a limit cut short says so where code scanning shows the tool's own status.
        ...(review.incomplete ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: [{ level: "warning" as const, message: { text: sarifText(`Incomplete: ${review.incomplete}`) } }] }] } : {}),
        originalUriBaseIds: { "%SRCROOT%": { uri: "file:///" } },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
