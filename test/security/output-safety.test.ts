import { describe, expect, it } from "vitest";
import { renderCheckRun } from "../../src/report/check-run.js";
import { renderInlineCommentBody } from "../../src/report/inline.js";
import { codeSpan, escapeProse, escapeText } from "../../src/report/markdown.js";
import { renderThreatModelComment } from "../../src/report/threat-model.js";
import { makeFinding, makeReview } from "../handlers/helpers.js";
import { HOSTILE, injectedMarkup, renderGfm } from "./render.js";

/** A review whose every PR-derived field holds hostile text. */
function hostileReview() {
  const finding = makeFinding({
    path: `app/${HOSTILE}/route.ts`,
    message: `\`${HOSTILE}\` reaches the database: ${HOSTILE}`,
    fix: `Call \`requireAuth(${HOSTILE})\` first: ${HOSTILE}\n${HOSTILE}\n\`\`\`\n${HOSTILE}`,
    replacement: { startLine: 3, endLine: 3, text: `${HOSTILE}\n\`\`\`\`\`\`\n<img src=x>` },
  });
  return makeReview({
    verdict: "fail",
    headSha: "0123456789abcdef0123456789abcdef01234567",
    title: HOSTILE,
    restatedRequest: HOSTILE,
    classification: { tier: "regulated", evidence: [{ name: HOSTILE, owner: HOSTILE, path: HOSTILE, line: 1, source: "type", tier: "regulated", dataType: "ssn", category: "government id", reason: HOSTILE }], regulations: [HOSTILE] },
    surface: { ingress: HOSTILE, authz: `\`${HOSTILE}\``, mutation: HOSTILE, egress: HOSTILE, ai: HOSTILE },
    provenance: { aiGenerated: true, signals: [`label ${HOSTILE}`, `trailer \`${HOSTILE}\``] },
    findings: [finding, { ...finding, new: false, fingerprint: "old" }, { ...finding, severity: "low", fingerprint: "low" }],
    suppressions: [{ ruleId: "ingress/missing-auth", path: HOSTILE, line: 2, reason: HOSTILE }],
    openQuestions: [HOSTILE, `Does \`${HOSTILE}\` check the caller?`],
    notAnalysed: [{ path: HOSTILE, reason: HOSTILE, limit: true }],
    notes: [HOSTILE],
    incomplete: HOSTILE,
  });
}

const COMMENT_HEADINGS = ["🛡️ Security review: threat model", "Restated request", "Data classification", "Threat surface walk", "Issues found", "Suggested diffs", "Waivers in touched files", "Open questions"];
const CHECK_RUN_HEADINGS = ["Blocking findings", "Other new findings", "Waivers in touched files", "Not analysed", "Pre-existing findings (not blocking)", "Notes"];

describe("untrusted text stays text", () => {
  it("the threat-model comment: no HTML, image, link, heading, table, comment, mention or reference from the PR", () => {
    const review = hostileReview();
    const html = renderGfm(renderThreatModelComment(review, { configProblems: [HOSTILE], awaiting: "approval of the head" }));
    // Ours: the marker, and the collapsed pre-existing and not-analysed sections.
    expect(injectedMarkup(html, { headings: COMMENT_HEADINGS, comments: 1, details: 2 })).toEqual([]);
    // The waivers the PR added stay visible after anything the PR wrote.
    expect(html).toContain("<h3>Waivers in touched files</h3>");
  });

  it("grouped findings, the compact form and the short answer: places, routes and file names stay text", () => {
    const grouped = Array.from({ length: 30 }, (_, index) =>
      makeFinding({ path: `app/${HOSTILE}/${index}.ts`, data: { route: `POST /${HOSTILE}/${index}` }, message: `\`POST /${HOSTILE}/${index}\` ${HOSTILE}`, fingerprint: `g${index}` }),
    );
    const distinct = Array.from({ length: 30 }, (_, index) => makeFinding({ path: `lib/${HOSTILE}${index}.ts`, message: `${HOSTILE} ${index}`, fingerprint: `d${index}` }));
    for (const findings of [grouped, distinct]) {
      const review = { ...hostileReview(), findings };
      expect(injectedMarkup(renderGfm(renderThreatModelComment(review)), { headings: COMMENT_HEADINGS, comments: 1, details: 1 })).toEqual([]);
      expect(injectedMarkup(renderGfm(renderCheckRun(review).output.text), { headings: CHECK_RUN_HEADINGS })).toEqual([]);
    }
    const reach = { entryPoints: 0, dataAccess: 0, migrations: 0, egress: 0, messaging: 0, modelCalls: 0, auth: false, crypto: false, logCalls: 0, dataLogs: false, requestChain: false, removedSources: 0, questionSteps: [], rulesNotRun: [] };
    const small = makeReview({ headSha: "0123456789abcdef0123456789abcdef01234567", analysed: [`lib/${HOSTILE}.ts`], notAnalysed: [{ path: `docs/${HOSTILE}.md`, reason: "not analysed: unsupported language", outOfScope: true }], reach });
    const short = renderThreatModelComment(small);
    expect(short).toContain("No threat model needed");
    expect(injectedMarkup(renderGfm(short), { headings: ["🛡️ Security review"], comments: 1 })).toEqual([]);
    expect(injectedMarkup(renderGfm(renderCheckRun(small).output.summary))).toEqual([]);
  });

  it("the check run summary and text", () => {
    const rendered = renderCheckRun(hostileReview(), { configProblems: [HOSTILE] });
    expect(injectedMarkup(renderGfm(rendered.output.summary))).toEqual([]);
    expect(injectedMarkup(renderGfm(rendered.output.text), { headings: CHECK_RUN_HEADINGS })).toEqual([]);
    const gated = renderCheckRun({ ...hostileReview(), verdict: "needs-human-review" }, { approvedBy: "octocat" });
    // The approval gate's own markers and the approver's login, which GitHub vouches for.
    expect(injectedMarkup(renderGfm(gated.output.summary).replace("@octocat", "approver"), { comments: 2 })).toEqual([]);
  });

  it("an inline comment, with and without a suggestion", () => {
    for (const suggest of [true, false]) {
      const html = renderGfm(renderInlineCommentBody(hostileReview().findings[0]!, suggest));
      expect(injectedMarkup(html, { comments: 1 })).toEqual([]);
    }
  });

  it.each([
    ["a backtick run longer than the span's fence", "``` <img src=x> ```"],
    ["a span that starts and ends with backticks", "`<b>x</b>`"],
    ["a line separator", "a\u2028# b"],
    ["a carriage return", "a\r<!-- b"],
  ])("code spans hold %s literally", (_name, text) => {
    const html = renderGfm(`x ${codeSpan(text)} y`);
    expect(html.match(/<code>/g)).toHaveLength(1);
    expect(injectedMarkup(html)).toEqual([]);
  });

  it("escaped text and engine prose render as the text itself", () => {
    const text = "a <b> [c](d) @e #1 * _ ~ | $ & \\";
    expect(renderGfm(escapeText(text)).replace(/\u200B/g, "")).toBe("<p>a &lt;b&gt; [c](d) @e #1 * _ ~ | $ &amp; \\</p>");
    expect(renderGfm(escapeProse("calls `a`b` and <i>")).replace(/\u200B/g, "")).toBe("<p>calls <code>a</code>b` and &lt;i&gt;</p>");
  });
});
