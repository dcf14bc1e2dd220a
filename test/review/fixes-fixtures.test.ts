import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { loadDemoSnapshot } from "../../src/local/demo.js";
import { applyReplacement } from "../../src/review/fix-check.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot } from "../../src/snapshot.js";
import { compileProblems, gitApply } from "./fix-oracle.js";

/**
 * Every fix the demo and the fixture PRs get is re-checked by the full compiler: a suggestion
 * parses and uses only defined names; a diff applies to the head with `git apply`.
 */

const fixture = (name: string) => new URL(`../../fixtures/prs/${name}/`, import.meta.url);

function headFiles(snapshot: PullRequestSnapshot): Record<string, string> {
  return Object.fromEntries(snapshot.files.flatMap((f) => (f.content !== undefined && f.status !== "removed" ? [[f.path, f.content] as const] : [])));
}

const cases = [
  ["the demo", () => loadDemoSnapshot()],
  ["express-billing-admin", () => loadDemoSnapshot(fixture("express-billing-admin"))],
  ["hono-notes-clean", () => loadDemoSnapshot(fixture("hono-notes-clean"))],
] as const;

describe.each(cases)("fixes of %s", (_name, load) => {
  it("offers a suggestion only when the patched file parses and every name it uses is defined", async () => {
    const { snapshot } = await load();
    const files = headFiles(snapshot);
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    for (const finding of review.findings.filter((f) => f.replacement || f.draft)) {
      const before = compileProblems(files, finding.path);
      if (finding.replacement) {
        const patched = compileProblems({ ...files, [finding.path]: applyReplacement(files[finding.path]!, finding.replacement) }, finding.path);
        expect(patched.syntax, `${finding.ruleId} at ${finding.path}:${finding.line}`).toEqual([]);
        expect(patched.missingNames.length, `${finding.ruleId}: ${patched.missingNames.join("; ")}`).toBeLessThanOrEqual(before.missingNames.length);
      }
      if (finding.draft) {
        // A draft is not offered; its prose names exactly what the file lacks, which the compiler confirms.
        const patched = compileProblems({ ...files, [finding.path]: applyReplacement(files[finding.path]!, finding.draft.replacement) }, finding.path);
        expect(patched.syntax).toEqual([]);
        for (const name of finding.draft.needs) {
          expect(finding.fix).toContain(`\`${name}\``);
          expect(patched.missingNames.some((m) => m.includes(`'${name}'`))).toBe(true);
        }
      }
    }
  });

  it("gives unified diffs that git apply takes on the head", async () => {
    const { snapshot } = await load();
    const files = headFiles(snapshot);
    const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
    for (const finding of review.findings.filter((f) => f.diff)) {
      const result = gitApply(files, finding.diff!, { apply: true });
      expect(result.error).toBe("");
      expect(result.files[finding.path]).toBe(applyReplacement(files[finding.path]!, finding.replacement!));
    }
  });
});

it("the demo's suggestions that name missing helpers are not offered, and the rest are", async () => {
  const { snapshot } = await loadDemoSnapshot();
  const review = reviewSnapshot(snapshot, DEFAULT_CONFIG);
  const byRule = (id: string) => review.findings.find((f) => f.ruleId === id)!;
  expect(byRule("authz/admin-client-unguarded").draft?.needs).toEqual(["requireAdmin"]);
  expect(byRule("audit/missing-audit-log").draft?.needs).toEqual(["logAdminAction", "session", "targetId"]);
  expect(byRule("redirect/open-redirect").draft?.needs).toEqual(["safeNext"]);
  expect(byRule("logging/pii-in-logs").replacement).toBeDefined();
  expect(byRule("egress/phi-without-baa").replacement).toBeDefined();
  expect(review.findings.filter((f) => f.replacement).every((f) => f.diff?.startsWith(`diff --git a/${f.path} b/${f.path}\n`))).toBe(true);
});
