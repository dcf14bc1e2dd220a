import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { loadDemoSnapshot } from "../../src/local/demo.js";
import { renderJson } from "../../src/report/json.js";
import { renderSarif, sarifLevel } from "../../src/report/sarif.js";
import { reviewSnapshot } from "../../src/review/review.js";

describe("SARIF and JSON reports", () => {
  it("SARIF 2.1.0: every finding a result with a catalogue rule, a level, a location and a fingerprint", async () => {
    const { snapshot } = await loadDemoSnapshot();
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    const log = JSON.parse(renderSarif(review, CHECKS, "1.2.3"));
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(CHECKS.map((c) => c.id)));
    expect(run.results).toHaveLength(review.findings.length);
    for (const [i, result] of run.results.entries()) {
      const finding = review.findings[i]!;
      expect(result.ruleId).toBe(finding.ruleId);
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(finding.ruleId);
      expect(result.level).toBe(sarifLevel(finding.severity).level);
      expect(result.locations[0].physicalLocation.region.startLine).toBe(finding.line);
      expect(result.partialFingerprints["prSecurityReview/v2"]).toBe(finding.fingerprint);
      if (finding.replacement) expect(result.fixes[0].artifactChanges[0].replacements[0].deletedRegion.startLine).toBe(finding.replacement.startLine);
    }
  });

  it("an incomplete review carries its reason as a tool notification; a complete one has none", async () => {
    const { snapshot } = await loadDemoSnapshot();
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    expect(JSON.parse(renderSarif(review, CHECKS, "1.2.3")).runs[0].invocations).toBeUndefined();
    const incomplete = { ...review, incomplete: "1 file could not be read in full within the review's limits (src/big.ts)." };
    expect(JSON.parse(renderSarif(incomplete, CHECKS, "1.2.3")).runs[0].invocations).toEqual([
      { executionSuccessful: true, toolExecutionNotifications: [{ level: "warning", message: { text: `Incomplete: ${incomplete.incomplete}` } }] },
    ]);
  });

  it("maps severities to SARIF levels in one place", () => {
    expect(["critical", "high", "medium", "low"].map((s) => sarifLevel(s as "low").level)).toEqual(["error", "error", "warning", "note"]);
  });

  it("JSON keeps the documented keys", async () => {
    const { snapshot } = await loadDemoSnapshot();
    const report = JSON.parse(renderJson(reviewSnapshot(snapshot, DEFAULT_CONFIG)));
    expect(report).toMatchObject({ verdict: "fail", tier: "regulated", aiGenerated: true });
    expect(report.aiSignals.length).toBeGreaterThan(0);
    expect(Object.keys(report.findings[0])).toEqual(expect.arrayContaining(["ruleId", "severity", "path", "line", "message", "fix", "new"]));
    expect(report.notes).toContain("README.md: not analysed: unsupported language");
  });
});
