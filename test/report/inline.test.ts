import { describe, expect, it } from "vitest";
import { commentableLines, planInlineComments, readFingerprint, renderInlineCommentBody, renderOutdatedBody } from "../../src/report/inline.js";
import { makeFinding } from "../handlers/helpers.js";

const PATCH = "@@ -1,3 +1,5 @@\n import a from 'a';\n-const x = 1;\n+const x = 2;\n+const y = 3;\n \n+export {};";

function plan(findings: ReturnType<typeof makeFinding>[], options: Partial<Parameters<typeof planInlineComments>[1]> = {}) {
  return planInlineComments(findings, {
    minSeverity: "high",
    maxComments: 25,
    alreadyCommented: new Set(),
    commentableLines: new Map([["app/api/users/route.ts", commentableLines(PATCH)]]),
    ...options,
  });
}

describe("commentableLines", () => {
  it("lists the head-side lines of the hunks (added and context)", () => {
    expect([...commentableLines(PATCH)]).toEqual([1, 2, 3, 4, 5]);
    expect(commentableLines(undefined).size).toBe(0);
  });
});

describe("renderInlineCommentBody", () => {
  it("carries the fix, the suggestion and the hidden fingerprint", () => {
    const finding = makeFinding({ replacement: { startLine: 2, endLine: 2, text: "const x = requireAuth();" } });
    expect(renderInlineCommentBody(finding, true)).toMatchInlineSnapshot(`
      "**🔴 Critical · \`ingress/missing-auth\`**

      POST changes users without an auth call.

      **Fix:** Call \`requireAuth()\` first.

      \`\`\`suggestion
      const x = requireAuth();
      \`\`\`

      <!-- security-review:fingerprint=ingress%2Fmissing-auth%3Aapp%2Fapi%2Fusers%2Froute.ts%3Aabc123 -->"
    `);
  });

  it("uses a longer fence when the replacement holds backticks", () => {
    const body = renderInlineCommentBody(makeFinding({ replacement: { startLine: 1, endLine: 1, text: "const s = ```x```;" } }), true);
    expect(body).toContain("````suggestion\nconst s = ```x```;\n````");
  });

  it("round-trips the fingerprint, and marks outdated bodies", () => {
    const body = renderInlineCommentBody(makeFinding({ fingerprint: "rule/x:a.ts:--> odd" }), false);
    expect(readFingerprint(body)).toBe("rule/x:a.ts:--> odd");
    expect(readFingerprint(renderOutdatedBody(body, "abc"))).toBe("rule/x:a.ts:--> odd");
    expect(readFingerprint("no marker")).toBeUndefined();
  });
});

describe("planInlineComments", () => {
  it("puts a finding on an untouched line (a guard the PR removed) on its comment line, where the diff shows the change", () => {
    const { comments, overflow } = plan([makeFinding({ line: 40, commentLine: 4 })]);
    expect(overflow).toEqual([]);
    expect(comments.map((comment) => comment.line)).toEqual([4]);
    // A comment line the diff does not show is no better than the finding's own line.
    expect(plan([makeFinding({ line: 40, commentLine: 30 })]).overflow).toHaveLength(1);
  });

  it("comments on new findings at or above the threshold, with a suggestion over the replaced lines", () => {
    const result = plan([
      makeFinding({ line: 3, fingerprint: "a", replacement: { startLine: 3, endLine: 4, text: "const x = 2;\nconst y = 4;" } }),
      makeFinding({ line: 4, fingerprint: "b", severity: "medium" }),
      makeFinding({ line: 2, fingerprint: "c", new: false }),
    ]);
    expect(result.overflow).toEqual([]);
    expect(result.comments.map(({ body: _body, ...comment }) => comment)).toEqual([{ path: "app/api/users/route.ts", line: 4, side: "RIGHT", start_line: 3, start_side: "RIGHT", fingerprint: "a" }]);
    expect(result.comments[0]!.body).toContain("```suggestion\nconst x = 2;\nconst y = 4;\n```");
  });

  it("never repeats a fingerprint already commented, nor one twice in a review", () => {
    const result = plan([makeFinding({ fingerprint: "seen" }), makeFinding({ fingerprint: "fresh" }), makeFinding({ fingerprint: "fresh", line: 4 })], { alreadyCommented: new Set(["seen"]) });
    expect(result.comments.map((comment) => comment.fingerprint)).toEqual(["fresh"]);
  });

  it("caps the comments, most severe first; the rest and findings off the diff are overflow", () => {
    const result = plan(
      [
        makeFinding({ fingerprint: "high", severity: "high", line: 1 }),
        makeFinding({ fingerprint: "critical", line: 5 }),
        makeFinding({ fingerprint: "off-diff", line: 40 }),
      ],
      { maxComments: 1 },
    );
    expect(result.comments.map((comment) => comment.fingerprint)).toEqual(["critical"]);
    expect(result.overflow.map((finding) => finding.fingerprint)).toEqual(["off-diff", "high"]);
  });

  it("keeps the fix but drops the suggestion when the replaced lines are not all in the diff", () => {
    const [comment] = plan([makeFinding({ line: 5, replacement: { startLine: 5, endLine: 7, text: "x" } })]).comments;
    expect(comment).toMatchObject({ line: 5 });
    expect(comment!.start_line).toBeUndefined();
    expect(comment!.body).toContain("```ts\nx\n```");
    expect(comment!.body).not.toContain("suggestion");
  });
});
