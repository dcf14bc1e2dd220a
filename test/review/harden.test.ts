import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { loadDemoSnapshot } from "../../src/local/demo.js";
import { renderHardenComment, HARDEN_MARKER } from "../../src/report/harden.js";
import { planHardening } from "../../src/review/harden.js";
import { reviewSnapshot } from "../../src/review/review.js";
import { atLeast } from "../../src/review/types.js";
import type { PullRequestSnapshot } from "../../src/snapshot.js";
import { snapshotOf } from "../checks/tester.js";
import { HOSTILE, injectedMarkup, renderGfm } from "../security/render.js";
import { compileProblems, gitApply } from "./fix-oracle.js";

const fixture = (name: string) => new URL(`../../fixtures/prs/${name}/`, import.meta.url);
const review = (snapshot: PullRequestSnapshot) => reviewSnapshot(snapshot, DEFAULT_CONFIG);
const plan = (snapshot: PullRequestSnapshot, rules?: string[]) => planHardening(review(snapshot), snapshot, DEFAULT_CONFIG, rules ? { rules } : {}, review);

function headFiles(snapshot: PullRequestSnapshot): Record<string, string> {
  return Object.fromEntries(snapshot.files.flatMap((f) => (f.content !== undefined && f.status !== "removed" ? [[f.path, f.content] as const] : [])));
}

/** The head as git left it after applying the patch, reviewed as the same PR: edited and new files count as changed. */
function afterGitApply(snapshot: PullRequestSnapshot, files: Record<string, string>): PullRequestSnapshot {
  const head = headFiles(snapshot);
  const kept = snapshot.files.map((f) => (files[f.path] !== undefined && files[f.path] !== f.content ? { path: f.path, status: "added" as const, content: files[f.path]! } : f));
  const added = Object.keys(files)
    .filter((p) => head[p] === undefined)
    .map((p) => ({ path: p, status: "added" as const, content: files[p]! }));
  return { ...snapshot, files: [...kept, ...added] };
}

const cases = [
  ["the demo", () => loadDemoSnapshot(), "demo"],
  ["express-billing-admin", () => loadDemoSnapshot(fixture("express-billing-admin")), "express-billing-admin"],
] as const;

describe.each(cases)("harden on %s", (_name, load, snapshotName) => {
  it("writes a patch git apply takes on the head, whose files parse and use only defined names, and that makes the review pass", async () => {
    const { snapshot } = await load();
    const before = review(snapshot);
    expect(before.verdict).toBe("fail");
    const hardened = await plan(snapshot);
    const files = headFiles(snapshot);
    const applied = gitApply(files, hardened.patch, { apply: true });
    expect(applied.error).toBe("");
    for (const { path } of hardened.diffs) {
      const problems = compileProblems(applied.files, path);
      expect(problems.syntax, path).toEqual([]);
      const had = files[path] !== undefined ? compileProblems(files, path).missingNames.length : 0;
      expect(problems.missingNames.length, `${path}: ${problems.missingNames.join("; ")}`).toBeLessThanOrEqual(had);
    }
    const again = review(afterGitApply(snapshot, applied.files));
    expect(again.findings.filter((f) => f.new && f.confidence === "certain" && atLeast(f.severity, DEFAULT_CONFIG.failOn)).map((f) => `${f.ruleId} ${f.path}:${f.line}`)).toEqual([]);
    expect(again.verdict).not.toBe("fail");
    expect(hardened.after?.blocking).toEqual([]);
  });

  it("renders the four sections (snapshot)", async () => {
    const { snapshot } = await load();
    const comment = renderHardenComment(await plan(snapshot));
    expect(comment.startsWith(`${HARDEN_MARKER}\n`)).toBe(true);
    const headings = comment.split("\n").filter((l) => l.startsWith("### "));
    expect(headings).toEqual(["### Restated request", "### Plan", "### Diffs", "### Verification"]);
    await expect(comment).toMatchFileSnapshot(`./__snapshots__/harden-${snapshotName}.md`);
  });
});

describe("harden plan", () => {
  const REDIRECT = (name: string) => `import { redirect } from "next/navigation";\n\nexport async function ${name}(form: FormData) {\n  const next = form.get("next");\n  redirect(String(next));\n}\n`;

  it("groups the findings one shared helper fixes into one change, and writes the helper once", async () => {
    const snapshot = snapshotOf({ name: "three redirects", files: { "app/a/actions.ts": `"use server";\n${REDIRECT("a")}`, "app/b/actions.ts": `"use server";\n${REDIRECT("b")}`, "app/c/actions.ts": `"use server";\n${REDIRECT("c")}` } });
    const hardened = await plan(snapshot);
    const redirects = hardened.targets.filter((f) => f.ruleId === "redirect/open-redirect");
    expect(redirects).toHaveLength(3);
    const change = hardened.changes.find((c) => c.findings.some((f) => f.ruleId === "redirect/open-redirect"))!;
    expect(change.findings).toHaveLength(3);
    expect(change.helpers.filter((h) => h.created)).toEqual([{ name: "safeNext", path: "lib/safe-next.ts", created: true }]);
    expect(hardened.diffs.filter((d) => d.path === "lib/safe-next.ts")).toHaveLength(1);
    // The directive stays first; the import goes after the file's own imports.
    const applied = gitApply(headFiles(snapshot), hardened.patch, { apply: true });
    expect(applied.files["app/a/actions.ts"]!.split("\n").slice(0, 3)).toEqual(['"use server";', 'import { redirect } from "next/navigation";', 'import { safeNext } from "../../lib/safe-next";']);
    expect(hardened.after?.resolved.filter((f) => f.ruleId === "redirect/open-redirect")).toHaveLength(3);
  });

  it("writes a JavaScript helper without types for a JavaScript project, in its module system", async () => {
    const code = `const express = require("express");\nconst router = express.Router();\nrouter.get("/login/done", (req, res) => {\n  res.redirect(req.query.returnTo);\n});\nmodule.exports = router;\n`;
    const snapshot = snapshotOf({ name: "express js", files: { "src/routes/login.js": code } });
    const hardened = await plan(snapshot, ["redirect/open-redirect"]);
    const helper = hardened.diffs.find((d) => d.path.endsWith("safe-next.js"));
    expect(helper?.path).toBe("src/lib/safe-next.js");
    expect(helper?.diff).not.toMatch(/: (unknown|string)\b/);
    const applied = gitApply(headFiles(snapshot), hardened.patch, { apply: true });
    expect(applied.files["src/routes/login.js"]).toContain('const { safeNext } = require("../lib/safe-next");');
    expect(compileProblems(applied.files, "src/lib/safe-next.js").syntax).toEqual([]);
    expect(compileProblems(applied.files, "src/routes/login.js").missingNames).toEqual([]);
  });

  it("keeps a fix as prose when a helper it needs cannot be written from what the project defines", async () => {
    const code = `import { createClient } from "@supabase/supabase-js";\nimport { getUser } from "@/lib/user";\n\nexport async function POST() {\n  await getUser();\n  const admin = createClient(process.env.URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);\n  await admin.from("orgs").delete().eq("id", "x");\n}\n`;
    const snapshot = snapshotOf({ name: "no requireAuth", files: { "app/api/orgs/route.ts": code } });
    const hardened = await plan(snapshot, ["authz/admin-client-unguarded"]);
    expect(hardened.changes).toHaveLength(1);
    expect(hardened.changes[0]!.manual?.reason).toBe("`requireAdmin` would call `requireAuth`, which the project does not export");
    expect(hardened.patch).toBe("");
    expect(renderHardenComment(hardened)).toContain("None: no change could be written as a diff");
  });

  it("hardens only the rules or categories named, and says which names match nothing", async () => {
    const { snapshot } = await loadDemoSnapshot();
    const hardened = await plan(snapshot, ["redirect", "nope/unknown"]);
    expect(hardened.targets.map((f) => f.ruleId)).toEqual(["redirect/open-redirect"]);
    expect(hardened.unmatched).toEqual(["nope/unknown"]);
    expect(hardened.diffs.map((d) => d.path)).toEqual(["app/auth/callback/route.ts", "lib/safe-next.ts"]);
    expect(renderHardenComment(hardened)).toContain("No open finding matches `nope/unknown`.");
  });
});

describe("security-review harden", () => {
  const dir = mkdtempSync(join(tmpdir(), "psr-harden-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the plan of the demo and writes its patch with --patch", async () => {
    const patch = join(dir, "demo.patch");
    const result = await main(["harden", "demo", "--patch", patch]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter((l) => l.startsWith("### "))).toEqual(["### Restated request", "### Plan", "### Diffs", "### Verification"]);
    const { snapshot } = await loadDemoSnapshot();
    expect(readFileSync(patch, "utf8")).toBe((await plan(snapshot)).patch);
    expect(result.stderr).toMatch(/^\nWrote 8 file diffs to .*demo\.patch/);
  });

  it("hardens only the rules named with --rule", async () => {
    const result = await main(["harden", "demo", "--rule", "logging/pii-in-logs"]);
    expect(result.stdout).toContain("Harden the findings named (`logging/pii-in-logs`)");
    expect(result.stdout).not.toContain("safe-next");
  });

  it("refuses an input it does not know (exit 2)", async () => {
    const result = await main(["harden", "nowhere"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("harden reviews scan, diff or demo input (got nowhere)");
  });
});

describe("harden comment safety", () => {
  it("keeps PR-controlled text (paths, code in the diffs) inside code or escaped", async () => {
    const code = `import { redirect } from "next/navigation";\n\nexport async function go(form: FormData) {\n  // ${HOSTILE.replace(/[\r\n\u2028]/g, " ")}\n  const next = form.get("next");\n  redirect(String(next));\n}\n`;
    const snapshot = snapshotOf({ name: "hostile", files: { "app/<img src=x>/@octocat `x` #123/actions.ts": `"use server";\n${code}` } });
    const hardened = await plan(snapshot);
    expect(hardened.diffs.length).toBeGreaterThan(0);
    const comment = renderHardenComment(hardened);
    const headings = ["🛡️ Security review: harden plan", "Restated request", "Plan", "Diffs", "Verification"];
    expect(injectedMarkup(renderGfm(comment), { headings, comments: 1 })).toEqual([]);
    expect(comment.startsWith(`${HARDEN_MARKER}\n`)).toBe(true);
    expect(comment.indexOf(HARDEN_MARKER, 1)).toBe(-1);
  });
});
