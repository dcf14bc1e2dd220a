import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { renderCheckRun, renderNotRunCheckRun } from "../../src/report/check-run.js";
import { readFingerprint, renderInlineCommentBody } from "../../src/report/inline.js";
import { CHECK_RUN_TEXT_BYTES, COMMENT_BODY_BYTES } from "../../src/report/limits.js";
import { renderThreatModelComment, THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot } from "../../src/snapshot.js";
import { makeFinding, makeReview } from "../handlers/helpers.js";

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** A Next.js route that deletes any user's account with no auth: a critical finding when read. */
const ROUTE = `import { db } from "@/lib/db";

export async function DELETE(req: Request) {
  const { id } = await req.json();
  await db.user.delete({ where: { id } });
  return Response.json({ ok: true });
}
`;

function snapshotWith(content: string): PullRequestSnapshot {
  // The client's module is read as context, so the finding is certain (a client from an unread module would make it likely).
  const client = { path: "lib/db.ts", status: "unchanged" as const, context: true, content: `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();\n` };
  return { repo: "acme/app", number: 1, headSha: "a".repeat(40), title: "t", body: "", labels: [], commits: [], files: [{ path: "app/api/users/route.ts", status: "added", content }, client] };
}

describe("a limit never turns a blocking finding into a passing check", () => {
  it("the route as written fails the check", () => {
    expect(renderCheckRun(reviewSnapshot(snapshotWith(ROUTE), DEFAULT_CONFIG)).conclusion).toBe("failure");
  });

  it.each([
    ["a NUL byte", `${ROUTE}\n// \u0000\n`],
    ["one line over the screen's limit", `${ROUTE}\nexport const blob = "${"x".repeat(6_000)}";\n`],
    ["nesting deeper than the analysis goes", `${ROUTE}\nexport const deep = ${"[".repeat(1_100)}${"]".repeat(1_100)};\n`],
    ["a file over maxFileBytes", `${ROUTE}\n${"// padding\n".repeat(100_000)}`],
  ])("%s: the review is incomplete and the check waits for an approval", (_name, content) => {
    const review = reviewSnapshot(snapshotWith(content), DEFAULT_CONFIG);
    const rendered = renderCheckRun(review);
    expect(review.incomplete).toBeTruthy();
    expect(["failure", "action_required"]).toContain(rendered.conclusion);
  });

  it("incomplete: allow is the repository's explicit choice to pass", () => {
    const review = reviewSnapshot(snapshotWith(`${ROUTE}\n// \u0000\n`), DEFAULT_CONFIG);
    expect(renderCheckRun(review, { allowIncomplete: true }).conclusion).toBe("success");
  });

  it("a review that did not complete (GitHub failing, an internal error, a newer push) fails", () => {
    expect(renderNotRunCheckRun("GitHub API error 502").conclusion).toBe("failure");
    expect(renderCheckRun(makeReview({ verdict: "not-run", notRunReason: "internal error" })).conclusion).toBe("failure");
  });
});

describe("no post is refused for size", () => {
  const manyFindings = (count: number, message: string) =>
    Array.from({ length: count }, (_, index) => makeFinding({ line: index + 1, severity: index % 3 === 0 ? "critical" : "medium", fingerprint: `f${index}`, message: `${message} (${index})`, fix: `${message}\nconst fixed = ${index};` }));

  it("a comment of 400 findings fits in 65,536 bytes with the verdict and the blocking findings first", () => {
    const review = makeReview({ verdict: "fail", headSha: "b".repeat(40), findings: manyFindings(400, "ü".repeat(300)) });
    const body = renderThreatModelComment(review);
    expect(bytes(body)).toBeLessThanOrEqual(COMMENT_BODY_BYTES);
    expect(body.startsWith(THREAT_MODEL_MARKER)).toBe(true);
    expect(body).toContain("❌ **Blocking:**");
    const issues = body.slice(body.indexOf("### Issues found"));
    expect(issues.split("\n")[1]).toMatch(/^1\. 🔴 critical/);
    expect(body).toMatch(/more not shown: the comment is cut to GitHub's size limit/);
  });

  it("check-run text under 65,535 characters but over 65,535 bytes is cut to the byte limit", () => {
    const review = makeReview({ verdict: "fail", findings: manyFindings(200, "字".repeat(150)) });
    const rendered = renderCheckRun(review);
    expect(bytes(rendered.output.text)).toBeLessThanOrEqual(CHECK_RUN_TEXT_BYTES);
    expect(bytes(rendered.output.summary)).toBeLessThanOrEqual(CHECK_RUN_TEXT_BYTES);
    expect(rendered.output.text.startsWith("### Blocking findings")).toBe(true);
  });

  it.each([1_990, 1_999, 2_000, 2_001])("a %i-file PR's not-analysed list is cut to the byte limit", (files) => {
    const notAnalysed = Array.from({ length: files }, (_, index) => ({ path: `src/ü/${"d".repeat(20)}/${index}.ts`, reason: "not analysed: binary content", limit: true }));
    const rendered = renderCheckRun(makeReview({ verdict: "pass", incomplete: "x", notAnalysed }));
    expect(bytes(rendered.output.text)).toBeLessThanOrEqual(CHECK_RUN_TEXT_BYTES);
    expect(rendered.conclusion).toBe("action_required");
  });

  it("an inline comment with a huge suggestion fits, and keeps its fingerprint as the last line", () => {
    const finding = makeFinding({ fingerprint: "keep-me", message: "é".repeat(40_000), replacement: { startLine: 3, endLine: 3, text: "€".repeat(30_000) } });
    const body = renderInlineCommentBody(finding, true);
    expect(bytes(body)).toBeLessThanOrEqual(COMMENT_BODY_BYTES);
    expect(readFingerprint(body)).toBe("keep-me");
  });
});
