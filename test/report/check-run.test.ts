import { describe, expect, it } from "vitest";
import { annotationLevel, CHECK_RUN_TEXT_LIMIT, renderAiGateUpdate, renderCheckRun, renderNotRunCheckRun, truncateForCheckRun } from "../../src/report/check-run.js";
import { makeFinding, makeReview } from "../handlers/helpers.js";

const HEAD = "0123456789abcdef0123456789abcdef01234567";

describe("renderCheckRun", () => {
  it("a new critical finding fails, with one annotation per new finding sorted by location", () => {
    const review = makeReview({
      verdict: "fail",
      headSha: HEAD,
      classification: { tier: "regulated", evidence: [], regulations: ["HIPAA"] },
      findings: [
        makeFinding({ path: "b.ts", line: 9, severity: "medium", ruleId: "audit/missing-audit-log", message: "No audit log.", fix: "Call `logAdminAction`." }),
        makeFinding({ path: "a.ts", line: 4 }),
        makeFinding({ path: "c.ts", line: 1, new: false, severity: "high", ruleId: "logging/pii-in-logs", message: "Logs the email.", fix: "Redact it." }),
      ],
    });
    const rendered = renderCheckRun(review);
    expect(rendered.conclusion).toBe("failure");
    expect(rendered.output.title).toBe("1 critical finding in the changed lines");
    expect(rendered.annotations).toEqual([
      { path: "a.ts", start_line: 4, end_line: 4, annotation_level: "failure", title: "ingress/missing-auth (critical)", message: "POST changes users without an auth call.\n\nFix: Call `requireAuth()` first." },
      { path: "b.ts", start_line: 9, end_line: 9, annotation_level: "warning", title: "audit/missing-audit-log (medium)", message: "No audit log.\n\nFix: Call `logAdminAction`." },
    ]);
    expect(rendered.output.summary).toMatchInlineSnapshot(`
      "Reviewed head \`0123456789abcdef0123456789abcdef01234567\`.

      - **Data tier:** regulated
      - **New findings:** 1 critical, 1 medium
      - **Pre-existing findings (not blocking):** 1"
    `);
    expect(rendered.output.text).toMatchInlineSnapshot(`
      "### New findings

      | Severity | Rule | Location | Issue | Fix |
      | --- | --- | --- | --- | --- |
      | critical | \`ingress/missing-auth\` | \`a.ts:4\` | POST changes users without an auth call. | Call \`requireAuth()\` first. |
      | medium | \`audit/missing-audit-log\` | \`b.ts:9\` | No audit log. | Call \`logAdminAction\`. |

      ### Pre-existing findings (not blocking)

      - high \`logging/pii-in-logs\` at \`c.ts:1\`: Logs the email."
    `);
  });

  it.each([
    ["pass", {}, "success", "No new findings"],
    ["needs-human-review", {}, "action_required", "AI-generated mutation awaits approval by a maintainer"],
    ["needs-human-review", { approvedBy: "alice" }, "success", "AI-generated change approved by @alice"],
    ["not-run", { configProblems: ["failOn: Invalid option"] }, "neutral", "Not run: .github/security-review.yml is invalid"],
  ] as const)("verdict %s %j → %s", (verdict, extras, conclusion, title) => {
    const rendered = renderCheckRun(makeReview({ verdict, provenance: { aiGenerated: verdict === "needs-human-review", signals: ['label "ai-generated"'] } }), extras);
    expect(rendered.conclusion).toBe(conclusion);
    expect(rendered.output.title).toBe(title);
  });

  it("an invalid config names each key and problem", () => {
    const rendered = renderCheckRun(makeReview({ verdict: "not-run" }), { configProblems: ["limits.maxFiles: Too big", "failOn: Invalid option"] });
    expect(rendered.output.summary).toBe("`.github/security-review.yml` is invalid, so the review did not run:\n\n- `limits.maxFiles`: Too big\n- `failOn`: Invalid option");
    expect(rendered.annotations).toEqual([]);
  });

  it("summary and text stay within GitHub's limit, with a note", () => {
    const findings = Array.from({ length: 2_000 }, (_, index) => makeFinding({ line: index + 1, message: "x".repeat(100) }));
    const rendered = renderCheckRun(makeReview({ verdict: "fail", findings }));
    expect(rendered.output.text.length).toBe(CHECK_RUN_TEXT_LIMIT);
    expect(rendered.output.text).toMatch(/truncated to fit GitHub's check run limit/);
    expect(rendered.annotations).toHaveLength(2_000);
  });
});

describe("check-run helpers", () => {
  it("maps severity to annotation level in one place", () => {
    expect(["critical", "high", "medium", "low"].map((severity) => annotationLevel(severity as never))).toEqual(["failure", "failure", "warning", "notice"]);
  });

  it("leaves short text alone", () => {
    expect(truncateForCheckRun("short")).toBe("short");
  });

  it("a run that could not complete is neutral with its reason", () => {
    expect(renderNotRunCheckRun("superseded by a newer push", HEAD)).toEqual({
      conclusion: "neutral",
      output: { title: "Not run: superseded by a newer push", summary: `Head \`${HEAD}\`: the review did not complete — superseded by a newer push. Push again or comment \`/security recheck\` to retry.`, text: "" },
      annotations: [],
    });
  });

  it("a pass with part of the review stopped by a limit is neutral, titled with the reason; a blocking finding still fails it", () => {
    const incomplete = "1 check could not finish: code in this PR is nested too deep for the analysis (ingress/missing-auth).";
    const passed = renderCheckRun(makeReview({ verdict: "pass", incomplete, headSha: HEAD, findings: [makeFinding({ severity: "high", new: true })] }));
    expect(passed.conclusion).toBe("neutral");
    expect(passed.output.title).toBe(`Incomplete: ${incomplete}`);
    // It did run: what it found is annotated, and the summary says what it could not do.
    expect(passed.annotations).toHaveLength(1);
    expect(passed.output.summary).toContain(`- **Incomplete:** ${incomplete}`);
    expect(passed.output.summary).not.toContain("did not run");
    expect(renderCheckRun(makeReview({ verdict: "pass", headSha: HEAD })).conclusion).toBe("success");
    const failed = renderCheckRun(makeReview({ verdict: "fail", incomplete, headSha: HEAD, findings: [makeFinding({ severity: "critical", new: true })] }));
    expect(failed.conclusion).toBe("failure");
  });

  it("the AI gate replaces only its own note", () => {
    const waiting = renderCheckRun(makeReview({ verdict: "needs-human-review", provenance: { aiGenerated: true, signals: ["branch copilot/x"] } })).output.summary;
    const approved = renderAiGateUpdate(waiting, "bob");
    expect(approved.conclusion).toBe("success");
    expect(approved.output.summary).toBe(waiting.replace(/This AI-generated change[^\n]*$/, "@bob (write access) approved this head, which lifts the AI gate."));
    expect(renderAiGateUpdate(approved.output.summary, undefined).output.summary).toBe(waiting);
  });
});
