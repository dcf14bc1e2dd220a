import type { Log, ReportingDescriptor, Result } from "sarif";
import type { CheckDefinition } from "../checks/define-check.js";
import type { Review, Severity } from "../review/types.js";

/** SARIF 2.1.0 for GitHub code scanning: one run, the rule catalogue as the driver's rules. */

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
  const results: Result[] = review.findings.map((f) => {
    const { level, score } = sarifLevel(f.severity);
    const result: Result = {
      ruleId: f.ruleId,
      ruleIndex: indexOf.get(f.ruleId),
      level,
      message: { text: `${f.message} Fix: ${f.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.path, uriBaseId: "%SRCROOT%" },
            region: { startLine: f.line, startColumn: f.column },
          },
        },
      ],
      partialFingerprints: { "prSecurityReview/v2": f.fingerprint },
      baselineState: f.new ? "new" : "unchanged",
      properties: { new: f.new, severity: f.severity, "security-severity": score },
    };
    if (f.replacement) {
      result.fixes = [
        {
          description: { text: f.fix },
          artifactChanges: [
            {
              artifactLocation: { uri: f.path, uriBaseId: "%SRCROOT%" },
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
  for (const f of review.fixed ?? []) {
    results.push({
      ruleId: f.ruleId,
      ruleIndex: indexOf.get(f.ruleId),
      kind: "pass",
      level: "none",
      message: { text: `Fixed by this change (present in the base): ${f.message}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: f.path, uriBaseId: "%SRCROOT%" }, region: { startLine: f.line, startColumn: f.column } } }],
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
        ...(review.incomplete ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: [{ level: "warning" as const, message: { text: `Incomplete: ${review.incomplete}` } }] }] } : {}),
        originalUriBaseIds: { "%SRCROOT%": { uri: "file:///" } },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
