import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { loadDemoSnapshot } from "../../src/local/demo.js";
import { renderThreatModelComment, THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { notRunReview, reviewSnapshot } from "../../src/review/review.js";
import { renderGfm } from "../security/render.js";

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
    await expect(comment).toMatchFileSnapshot("./__snapshots__/demo.md");
  });

  it("Express billing PR: names its routes, the org-settings write and the PCI question", async () => {
    const { snapshot } = await loadDemoSnapshot(fixture("express-billing-admin"));
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    const comment = renderThreatModelComment(review);
    expect(review.surface.ingress).toContain("POST /orgs/:orgId/plan (signed-in users)");
    expect(review.openQuestions.join("\n")).toContain("PCI DSS");
    await expect(comment).toMatchFileSnapshot("./__snapshots__/express-billing-admin.md");
  });

  it("clean Hono PR: passes with a specific surface and no open questions", async () => {
    const { snapshot } = await loadDemoSnapshot(fixture("hono-notes-clean"));
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    expect(review.verdict).toBe("pass");
    expect(review.findings).toEqual([]);
    expect(review.surface.mutation).toContain("drizzle notes.insert");
    await expect(renderThreatModelComment(review)).toMatchFileSnapshot("./__snapshots__/hono-notes-clean.md");
  });
});

describe("renderThreatModelComment", () => {
  it("a review cut short by a limit says so in place of the pass line", () => {
    const review = { ...notRunReview({ repo: "acme/app", title: "t", body: "", labels: [], commits: [], files: [] }, "x"), verdict: "pass" as const, incomplete: "The review's time limit was reached: 3 checks were not run (a/b, c/d, e/f)." };
    const comment = renderThreatModelComment(review);
    expect(comment).toContain("⚠️ **Incomplete:** The review's time limit was reached: 3 checks were not run (a/b, c/d, e/f). Nothing new reaches the failure threshold in what was reviewed.");
    expect(comment).not.toContain("✅ **Pass:**");
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
