import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { loadDemoSnapshot } from "../../src/local/demo.js";
import { checklistCoverage } from "../../src/report/checklist.js";
import { COMMENT_BODY_BYTES } from "../../src/report/limits.js";
import { COMPACT_AFTER_ENTRIES, renderThreatModelComment, THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { notRunReview, reviewSnapshot } from "../../src/review/review.js";
import type { Finding, Review } from "../../src/review/types.js";
import { makeFinding, makeReview } from "../handlers/helpers.js";
import { renderGfm } from "../security/render.js";
import { COVERAGE_LINE, lastLine } from "./coverage-line.js";

const statuses = (review: Review) => Object.fromEntries(checklistCoverage(review).map((entry) => [entry.step, entry.status]));

const fixture = (name: string) => new URL(`../../fixtures/prs/${name}/`, import.meta.url);

describe("threat-model comment on fixture PRs", () => {
  it("demo PR: blocking, regulated, AI path, pre-existing finding collapsed", async () => {
    const { snapshot } = await loadDemoSnapshot();
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    const comment = renderThreatModelComment(review);
    expect(comment.startsWith(THREAT_MODEL_MARKER)).toBe(true);
    expect(comment).toContain("Reviewed head `9f2c4e1b7a3d`");
    expect(comment).toContain("**Tier: regulated**");
    expect(comment).toContain("Is a BAA signed with Twilio");
    expect(comment).toMatch(/<details><summary>1 pre-existing issue/);
    // README.md is not code the review reads: counted, not listed as a gap.
    expect(comment).not.toContain("`README.md`");
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
    // The BAA, the role, the logs and the AI mutation paths are left to a reviewer; the request chain is not in the PR.
    expect(statuses(review)).toEqual({ 1: "checked", 2: "checked", 3: "checked", 4: "open", 5: "open", 6: "checked", 7: "open", 8: "open", 9: "open" });
    await expect(comment).toMatchFileSnapshot("./__snapshots__/demo.md");
  });

  it("Express billing PR: names its routes, the org-settings write and the PCI question", async () => {
    const { snapshot } = await loadDemoSnapshot(fixture("express-billing-admin"));
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    const comment = renderThreatModelComment(review);
    expect(review.surface.ingress).toContain("POST /orgs/:orgId/plan (signed-in users)");
    expect(review.openQuestions.join("\n")).toContain("PCI DSS");
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
    await expect(comment).toMatchFileSnapshot("./__snapshots__/express-billing-admin.md");
  });

  it("clean Hono PR: passes with a specific surface and no open questions", async () => {
    const { snapshot } = await loadDemoSnapshot(fixture("hono-notes-clean"));
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    expect(review.verdict).toBe("pass");
    expect(review.findings).toEqual([]);
    expect(review.surface.mutation).toContain("drizzle notes.insert");
    const comment = renderThreatModelComment(review);
    // "No issues" with what was and was not verified beside it.
    expect(comment).toContain("No new issues");
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
    expect(statuses(review)).toMatchObject({ 1: "checked", 2: "checked", 3: "not-applicable", 4: "not-applicable", 5: "checked", 6: "checked" });
    await expect(comment).toMatchFileSnapshot("./__snapshots__/hono-notes-clean.md");
  });
});

describe("renderThreatModelComment", () => {
  it("a review cut short by a limit says so in place of the pass line", () => {
    const review = { ...notRunReview({ repo: "acme/app", title: "t", body: "", labels: [], commits: [], files: [] }, "x"), verdict: "pass" as const, incomplete: "The review's time limit was reached: 3 checks were not run (a/b, c/d, e/f)." };
    const comment = renderThreatModelComment(review);
    expect(comment).toContain("⚠️ **Incomplete:** The review's time limit was reached: 3 checks were not run (a/b, c/d, e/f). Nothing new reaches the failure threshold in what was reviewed.");
    expect(comment).not.toContain("✅ **Pass:**");
    expect(comment).not.toContain("✅ 1 data classification");
  });

  it("says why a review did not run and lists each config problem", () => {
    const review = notRunReview({ repo: "a/b", title: "t", body: "", labels: [], commits: [], files: [] }, "the config is invalid");
    const comment = renderThreatModelComment(review, { configProblems: ["failOn: Invalid option"] });
    expect(comment).toContain("⚪ **Not run.**");
    expect(comment).toContain("`failOn: Invalid option`");
    expect(comment).not.toContain("### Issues found");
  });

  it("escapes markup from the PR title so it cannot inject HTML or hide the marker", async () => {
    const { snapshot } = await loadDemoSnapshot(fixture("hono-notes-clean"));
    const review = reviewSnapshot({ ...snapshot, title: "<img src=x onerror=alert(1)> **bold**" }, DEFAULT_CONFIG);
    const html = renderGfm(renderThreatModelComment(review));
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
  });

  it("lists waivers, and a waiver without a reason as not in effect", () => {
    const review = reviewSnapshot(
      {
        repo: "a/b",
        title: "waivers",
        body: "",
        labels: [],
        commits: [],
        files: [
          {
            path: "lib/session.ts",
            status: "added",
            content: `import jwt from "jsonwebtoken";
// security-review-ignore auth/jwt-decode-without-verify -- token was verified by the gateway
export const a = (t: string) => jwt.decode(t);
// security-review-ignore auth/jwt-decode-without-verify
export const b = (t: string) => jwt.decode(t);
`,
          },
        ],
      },
      DEFAULT_CONFIG,
    );
    expect(review.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(["review/suppression-without-reason:4", "auth/jwt-decode-without-verify:5"]);
    const comment = renderThreatModelComment(review);
    expect(comment).toContain("token was verified by the gateway");
    expect(comment).toContain("**no reason given, so not in effect**");
  });
});

/** One finding per route: the same missing check, its message naming the route. */
function missingAuthOn(index: number, overrides: Partial<Finding> = {}): Finding {
  const route = `POST /api/items/${index}`;
  return makeFinding({
    path: `app/api/items/${index}/route.ts`,
    line: 4,
    data: { route },
    message: `\`${route}\` changes the database with no auth call: anyone who can reach the URL can do it.`,
    fingerprint: `ingress/missing-auth:${index}`,
    ...overrides,
  });
}

describe("issues for people", () => {
  it("most severe first, then by path; the same finding on 18 routes is one entry naming every place", () => {
    const same = Array.from({ length: 18 }, (_, index) => missingAuthOn(index + 10, { severity: "high" }));
    const critical = makeFinding({ path: "z/last.ts", line: 9, ruleId: "auth/jwt-decode-without-verify", message: "`jwt.decode(token)` trusts an unverified token.", fix: "Verify it.", fingerprint: "jwt" });
    const low = makeFinding({ path: "a/first.ts", line: 1, severity: "low", ruleId: "trace/missing-request-id", message: "No request id.", fix: "Add one.", fingerprint: "trace" });
    const comment = renderThreatModelComment(makeReview({ verdict: "fail", findings: [low, ...same, critical] }));
    const entries = comment.split("\n").filter((line) => /^\d+\. /.test(line));
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatch(/^1\. 🔴 critical `auth\/jwt-decode-without-verify` at `z\/last\.ts:9`/);
    expect(entries[1]).toMatch(/^2\. 🟠 high `ingress\/missing-auth`, the same finding at 18 places: `app\/api\/items\/10\/route\.ts:4` \(`POST \/api\/items\/10`\), /);
    for (const finding of same) expect(entries[1]).toContain(`\`${finding.path}:4\` (\`${finding.data.route}\`)`);
    expect(entries[2]).toMatch(/^3\. ⚪ low `trace\/missing-request-id` at `a\/first\.ts:1`/);
    expect(comment).toContain("   At the first: `POST /api/items/10` changes the database with no auth call");
    expect(comment.match(/\*\*Fix:\*\*/g)).toHaveLength(3);
  });

  it("findings of one rule with different messages stay apart", () => {
    const comment = renderThreatModelComment(makeReview({ verdict: "fail", findings: [missingAuthOn(1), missingAuthOn(2, { message: "`POST /api/items/2` deletes every user with no auth call." })] }));
    expect(comment.split("\n").filter((line) => /^\d+\. /.test(line))).toHaveLength(2);
  });

  it("'Not analysed' names only source files the review would have read; other files are counted", () => {
    const review = makeReview({
      incomplete: "1 file could not be read in full within the review's limits (lib/huge.ts).",
      notAnalysed: [
        { path: "public/logo.svg", reason: "not analysed: unsupported language", outOfScope: true },
        { path: "app/globals.css", reason: "not analysed: unsupported language", outOfScope: true },
        { path: "lib/price.test.ts", reason: "skipped: test, fixture, script or generated file (paths.exclude)", outOfScope: true },
        { path: "lib/huge.ts", reason: "not analysed: larger than 1000000 bytes (limits.maxFileBytes)", limit: true },
      ],
    });
    const comment = renderThreatModelComment(review);
    expect(comment).toContain("<details><summary>Not analysed (1)</summary>");
    expect(comment).toContain("- `lib/huge.ts`: not analysed: larger than 1000000 bytes (limits.maxFileBytes)");
    expect(comment).toContain("- 3 changed files are outside the review's scope (other languages, or paths the config excludes).");
    for (const path of ["logo.svg", "globals.css", "price.test.ts"]) expect(comment).not.toContain(path);
  });
});

describe("many findings: the compact form", () => {
  /** Distinct findings, each with a multi-line fix and a suggested replacement: the full form would be long. */
  const many = (count: number, severity: (index: number) => Finding["severity"]) =>
    Array.from({ length: count }, (_, index) =>
      makeFinding({
        path: `src/routes/r${String(index).padStart(4, "0")}.ts`,
        line: index + 1,
        severity: severity(index),
        ruleId: "logging/pii-in-logs",
        message: `\`logger.info(…)\` writes \`field${index}\` to the logs.`,
        fix: `Log only ids.\n\nexport function redact${index}(value: unknown) {\n  return "[redacted]";\n}`,
        replacement: { startLine: index + 1, endLine: index + 1, text: `logger.info({ id: user${index}.id });` },
        diff: `--- a/src/routes/r${index}.ts\n+++ b/src/routes/r${index}.ts\n@@ -${index + 1} +${index + 1} @@\n-logger.info({ user: user${index} });\n+logger.info({ id: user${index}.id });\n`,
        fingerprint: `pii:${index}`,
      }),
    );

  it(`more than ${COMPACT_AFTER_ENTRIES} entries: one line each, no code samples, the coverage line last`, () => {
    const findings = many(COMPACT_AFTER_ENTRIES + 5, (index) => (index === 7 ? "critical" : "medium"));
    const comment = renderThreatModelComment(makeReview({ verdict: "fail", findings }));
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(COMMENT_BODY_BYTES);
    expect(comment).toContain(`${findings.length} new findings, one line per finding`);
    expect(comment).not.toContain("### Suggested diffs");
    expect(comment).not.toContain("```");
    const entries = comment.split("\n").filter((line) => /^\d+\. /.test(line));
    expect(entries).toHaveLength(findings.length);
    expect(entries[0]).toMatch(/^1\. 🔴 critical `logging\/pii-in-logs` at `src\/routes\/r0007\.ts:8`: .* \*\*Fix:\*\* Log only ids\.$/);
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
  });

  it(`${COMPACT_AFTER_ENTRIES} entries or fewer keep the full form`, () => {
    const comment = renderThreatModelComment(makeReview({ verdict: "fail", findings: many(COMPACT_AFTER_ENTRIES, () => "high") }));
    expect(comment).toContain("### Suggested diffs");
    expect(comment).toContain("export function redact0(value: unknown)");
  });

  it("too many even for the compact form: cut within GitHub's limit in bytes, verdict and blocking findings first, coverage line kept", () => {
    const findings = many(3_000, (index) => (index === 2_999 ? "critical" : "low"));
    const comment = renderThreatModelComment(makeReview({ verdict: "fail", headSha: "f".repeat(40), findings }));
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(COMMENT_BODY_BYTES);
    expect(comment).toContain("❌ **Blocking:**");
    expect(comment.split("\n").find((line) => /^\d+\. /.test(line))).toMatch(/^1\. 🔴 critical `logging\/pii-in-logs` at `src\/routes\/r2999\.ts:3000`/);
    expect(comment).toMatch(/- … and \d+ more not shown: the comment is cut to GitHub's size limit/);
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
  });
});

describe("checklist coverage", () => {
  const base = () =>
    makeReview({
      reach: { entryPoints: 1, dataAccess: 1, migrations: 0, egress: 0, messaging: 0, modelCalls: 0, auth: true, crypto: false, logCalls: 0, dataLogs: false, requestChain: true, removedSources: 0, questionSteps: [], rulesNotRun: [] },
    });

  it("a step is checked when its rules ran on what the PR reaches, not applicable when the PR has nothing it is about", () => {
    expect(statuses(base())).toEqual({ 1: "checked", 2: "checked", 3: "not-applicable", 4: "not-applicable", 5: "checked", 6: "checked", 7: "not-applicable", 8: "not-applicable", 9: "checked" });
  });

  it("a rule turned off, a likely finding or an open question leaves its step open", () => {
    const off = base();
    off.reach!.rulesNotRun = ["ingress/missing-rate-limit"];
    expect(statuses(off)[6]).toBe("open");
    expect(statuses(makeReview({ ...base(), findings: [makeFinding({ confidence: "likely", new: false })] }))[5]).toBe("open");
    const asked = base();
    asked.reach!.questionSteps = [5];
    expect(statuses(asked)[5]).toBe("open");
  });

  it("an incomplete review settles nothing it applies to", () => {
    const review = { ...base(), incomplete: "1 check could not finish." };
    expect(Object.values(statuses(review)).filter((status) => status === "checked")).toEqual([]);
    expect(lastLine(renderThreatModelComment(review))).toMatch(COVERAGE_LINE);
  });

  it("a review without the facts of what the PR reaches claims no step checked", () => {
    expect(Object.values(statuses(makeReview())).every((status) => status === "open")).toBe(true);
  });
});
