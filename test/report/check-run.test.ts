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
    expect(rendered.output.title).toBe("1 blocking finding introduced by this PR");
    expect(rendered.annotations).toEqual([
      { path: "a.ts", start_line: 4, end_line: 4, annotation_level: "failure", title: "ingress/missing-auth (critical)", message: "POST changes users without an auth call.\n\nFix: Call `requireAuth()` first." },
      { path: "b.ts", start_line: 9, end_line: 9, annotation_level: "warning", title: "audit/missing-audit-log (medium)", message: "No audit log.\n\nFix: Call `logAdminAction`." },
    ]);
    expect(rendered.output.summary).toMatchInlineSnapshot(`
      "Reviewed head \`0123456789abcdef0123456789abcdef01234567\`.

      - **New findings:** 1 critical, 1 medium
      - **Data tier:** regulated
      - **Pre-existing findings (not blocking):** 1"
    `);
    expect(rendered.output.text).toMatchInlineSnapshot(`
      "### Blocking findings

      - **critical** \`ingress/missing-auth\` at \`a.ts:4\`: POST changes users without an auth call. Fix: Call \`requireAuth()\` first.

      ### Other new findings

      - **medium** \`audit/missing-audit-log\` at \`b.ts:9\`: No audit log. Fix: Call \`logAdminAction\`.

      ### Pre-existing findings (not blocking)

      - **high** \`logging/pii-in-logs\` at \`c.ts:1\`: Logs the email. Fix: Redact it."
    `);
  });

  it.each([
    ["pass", {}, "success", "No new findings"],
    ["needs-human-review", {}, "action_required", "AI-generated mutation awaits approval by a maintainer"],
    ["needs-human-review", { approvedBy: "alice" }, "success", "Approved by @alice (write access): the approval gate is lifted"],
    ["not-run", {}, "failure", "Not reviewed: the review could not complete"],
  ] as const)("verdict %s %j → %s", (verdict, extras, conclusion, title) => {
    const rendered = renderCheckRun(makeReview({ verdict, provenance: { aiGenerated: verdict === "needs-human-review", signals: ['label "ai-generated"'] } }), extras);
    expect(rendered.conclusion).toBe(conclusion);
    expect(rendered.output.title).toBe(title);
  });

  it("an invalid config names each key and problem; the review ran with the defaults and concludes on its findings", () => {
    const rendered = renderCheckRun(makeReview({ verdict: "fail", findings: [makeFinding()] }), { configProblems: ["limits.maxFiles: Too big", "failOn: Invalid option"] });
    expect(rendered.conclusion).toBe("failure");
    expect(rendered.output.summary).toContain("`.github/security-review.yml` is invalid, so the review ran with the defaults:\n\n- `limits.maxFiles: Too big`\n- `failOn: Invalid option`");
    expect(rendered.annotations).toHaveLength(1);
  });

  it("text stays within GitHub's limit in bytes, blocking findings first, with a note on what was left out", () => {
    const findings = Array.from({ length: 2_000 }, (_, index) => makeFinding({ line: index + 1, severity: index === 1_999 ? "critical" : "low", message: `${"é".repeat(100)} (case ${index})` }));
    const rendered = renderCheckRun(makeReview({ verdict: "fail", findings }));
    expect(Buffer.byteLength(rendered.output.text)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(rendered.output.text.startsWith("### Blocking findings\n\n- **critical** `ingress/missing-auth` at `app/api/users/route.ts:2000`")).toBe(true);
    expect(rendered.output.text).toMatch(/- … and \d+ more not shown \(GitHub's check run limit\)/);
    expect(rendered.annotations).toHaveLength(2_000);
  });

  it("lists findings most severe first, the same finding at several places as one item; counts only the files the review would have read as not analysed", () => {
    const same = [3, 1, 2].map((index) => makeFinding({ path: `app/api/items/${index}/route.ts`, line: 4, severity: "high", data: { route: `POST /api/items/${index}` }, message: `\`POST /api/items/${index}\` has no auth call.` }));
    const review = makeReview({
      verdict: "pass",
      findings: [makeFinding({ path: "a.ts", line: 1, severity: "low", ruleId: "trace/missing-request-id", message: "No request id.", fix: "Add one." }), ...same],
      notAnalysed: [
        { path: "logo.svg", reason: "not analysed: unsupported language", outOfScope: true },
        { path: "lib/huge.ts", reason: "not analysed: larger than 1000000 bytes (limits.maxFileBytes)", limit: true },
      ],
    });
    const rendered = renderCheckRun(review, { failOn: "critical" });
    expect(rendered.output.text).toMatchInlineSnapshot(`
      "### Other new findings

      - **high** \`ingress/missing-auth\` at 3 places (\`app/api/items/1/route.ts:4\`, \`app/api/items/2/route.ts:4\` and \`app/api/items/3/route.ts:4\`): at the first: \`POST /api/items/1\` has no auth call. Fix: Call \`requireAuth()\` first.
      - **low** \`trace/missing-request-id\` at \`a.ts:1\`: No request id. Fix: Add one.

      ### Not analysed

      - \`lib/huge.ts\`: not analysed: larger than 1000000 bytes (limits.maxFileBytes)"
    `);
    expect(rendered.output.summary).toContain("- **Not analysed:** 1 file");
    // Annotations stay one per finding, where each one is.
    expect(rendered.annotations).toHaveLength(4);
  });
});

describe("check-run helpers", () => {
  it("maps severity to annotation level in one place", () => {
    expect(["critical", "high", "medium", "low"].map((severity) => annotationLevel(severity as never))).toEqual(["failure", "failure", "warning", "notice"]);
  });

  it("leaves short text alone", () => {
    expect(truncateForCheckRun("short")).toBe("short");
  });

  it("a run that could not complete is a failure with its reason", () => {
    expect(renderNotRunCheckRun("superseded by a newer push", HEAD)).toEqual({
      conclusion: "failure",
      output: {
        title: "Not reviewed: superseded by a newer push",
        summary: `Head \`${HEAD}\`: the review did not complete — superseded by a newer push. **Re-run** on this check, a push, or \`/security recheck\` runs it again.`,
        text: "",
      },
      annotations: [],
    });
  });

  it("a pass with part of the review stopped by a limit awaits an approval (or passes with incomplete: allow); a blocking finding still fails it", () => {
    const incomplete = "1 check could not finish: code in this PR is nested too deep for the analysis (ingress/missing-auth).";
    const passed = renderCheckRun(makeReview({ verdict: "pass", incomplete, headSha: HEAD, findings: [makeFinding({ severity: "high", new: true })] }));
    expect(passed.conclusion).toBe("action_required");
    expect(passed.output.title).toBe("Incomplete review: awaits approval by a maintainer");
    expect(renderCheckRun(makeReview({ verdict: "pass", incomplete }), { approvedBy: "bob" }).conclusion).toBe("success");
    expect(renderCheckRun(makeReview({ verdict: "pass", incomplete }), { allowIncomplete: true }).conclusion).toBe("success");
    // It did run: what it found is annotated, and the summary says what it could not do.
    expect(passed.annotations).toHaveLength(1);
    expect(passed.output.summary).toContain(`- **Incomplete:** ${incomplete}`);
    expect(passed.output.summary).not.toContain("did not run");
    expect(renderCheckRun(makeReview({ verdict: "pass", headSha: HEAD })).conclusion).toBe("success");
    const failed = renderCheckRun(makeReview({ verdict: "fail", incomplete, headSha: HEAD, findings: [makeFinding({ severity: "critical", new: true })] }));
    expect(failed.conclusion).toBe("failure");
  });

  it("the approval gate replaces only its own note", () => {
    const waiting = renderCheckRun(makeReview({ verdict: "needs-human-review", provenance: { aiGenerated: true, signals: ["branch copilot/x"] } })).output.summary;
    const approved = renderAiGateUpdate(waiting, "bob");
    expect(approved?.conclusion).toBe("success");
    expect(approved?.output.summary).toBe(waiting.replace("A user with write access must approve the current head for this check to pass.", "@bob (write access) approved this head, which lifts the approval gate."));
    expect(renderAiGateUpdate(approved?.output.summary ?? "", undefined)?.output.summary).toBe(waiting);
    expect(renderAiGateUpdate("- **New findings:** none", "bob")).toBeUndefined();
  });

  it("nothing in scope is the only neutral", () => {
    expect(renderCheckRun(makeReview({ verdict: "pass", analysed: [] })).conclusion).toBe("neutral");
    expect(renderCheckRun(makeReview({ verdict: "pass", analysed: [], incomplete: "1 file could not be read in full" })).conclusion).toBe("action_required");
    expect(renderCheckRun(makeReview({ verdict: "pass", analysed: ["a.ts"] })).conclusion).toBe("success");
  });
});
