import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { checkRunConclusion, renderCheckRun } from "../../src/report/check-run.js";
import { checklistCoverage, tooSmallForChecklist } from "../../src/report/checklist.js";
import { renderThreatModelComment, THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot, SnapshotFile } from "../../src/snapshot.js";
import { COVERAGE_LINE, lastLine } from "./coverage-line.js";

const HEAD = "5be1c0de5be1c0de5be1c0de5be1c0de5be1c0de";

function pr(title: string, files: SnapshotFile[]): PullRequestSnapshot {
  return { repo: "acme/app", number: 7, headSha: HEAD, title, body: "", labels: [], commits: [], files };
}

const added = (path: string, content: string): SnapshotFile => ({ path, status: "added", content });

const ROUTE = `import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";

export async function GET() {
  const plans = await prisma.plan.findMany({ where: { public: true } });
  return NextResponse.json(plans);
}
`;

const review = (title: string, files: SnapshotFile[]) => reviewSnapshot(pr(title, files), DEFAULT_CONFIG);

describe("short answer for a PR the checklist does not apply to", () => {
  it("docs-only PR", async () => {
    const r = review("Document the setup", [added("README.md", "# App\n\nRun `npm start`.\n"), added("docs/setup.md", "## Setup\n")]);
    expect(tooSmallForChecklist(r)).toBe(true);
    await expect(renderThreatModelComment(r)).toMatchFileSnapshot("./__snapshots__/short-docs.md");
  });
  it("CSS-only PR", async () => {
    const r = review("Tighten the header", [added("app/globals.css", "header { padding: 0 }\n"), added("public/logo.svg", "<svg/>")]);
    expect(tooSmallForChecklist(r)).toBe(true);
    await expect(renderThreatModelComment(r)).toMatchFileSnapshot("./__snapshots__/short-css.md");
  });
  it("test-only PR", async () => {
    const r = review("Cover the price formatter", [added("lib/price.test.ts", `import { formatPrice } from "./price";\ntest("cents", () => expect(formatPrice(100)).toBe("$1.00"));\n`)]);
    expect(tooSmallForChecklist(r)).toBe(true);
    await expect(renderThreatModelComment(r)).toMatchFileSnapshot("./__snapshots__/short-tests.md");
  });
  it("a constant in a source file", async () => {
    const r = review("Bigger pages", [added("lib/constants.ts", "export const PAGE_SIZE = 50;\n")]);
    expect(tooSmallForChecklist(r)).toBe(true);
    await expect(renderThreatModelComment(r)).toMatchFileSnapshot("./__snapshots__/short-constant.md");
  });
  it("a PR that adds one route gets the threat model, ending with the coverage line", () => {
    const r = review("List public plans", [added("app/api/plans/route.ts", ROUTE)]);
    expect(tooSmallForChecklist(r)).toBe(false);
    const comment = renderThreatModelComment(r);
    expect(comment).toContain("### Threat surface walk");
    expect(comment).toContain("GET /api/plans (anyone)");
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
    const steps = Object.fromEntries(checklistCoverage(r).map((entry) => [entry.step, entry.status]));
    // The route reads the database without a guard: whether it may be public is asked, so step 5 is open.
    expect(steps).toEqual({ 1: "checked", 2: "checked", 3: "not-applicable", 4: "not-applicable", 5: "open", 6: "checked", 7: "not-applicable", 8: "not-applicable", 9: "open" });
    expect(renderCheckRun(r).output.title).not.toContain("checklist does not apply");
  });
});


describe("the short answer's check run", () => {
  it("nothing in scope (docs, styles, tests): neutral, saying what was looked at", () => {
    const docs = review("Document the setup", [added("README.md", "# App\n")]);
    const rendered = renderCheckRun(docs);
    expect(rendered.conclusion).toBe("neutral");
    expect(rendered.output.title).toBe("Nothing to review: no file of this PR is in scope");
    expect(rendered.output.summary).toContain("This PR changes 1 documentation file: `README.md`.");
  });

  it("code in scope that touches nothing the checklist is about: success", () => {
    const constant = review("Bigger pages", [added("lib/constants.ts", "export const PAGE_SIZE = 50;\n")]);
    const rendered = renderCheckRun(constant);
    expect(rendered.conclusion).toBe("success");
    expect(checkRunConclusion(constant)).toBe("success");
    expect(rendered.output.title).toBe("Nothing security-relevant changed: the checklist does not apply");
    expect(rendered.output.summary).toContain("Its code adds or changes no entry point");
  });
});

describe("what keeps a PR from the short answer", () => {
  it.each([
    ["a log line with data", added("lib/sync.ts", `export function done(count: number) {\n  console.log("synced", count);\n}\n`)],
    ["an outbound call", added("lib/ping.ts", `export const ping = () => fetch("https://status.example.com");\n`)],
    ["a classified field", added("lib/types.ts", "export interface Contact {\n  email: string;\n  phone: string;\n}\n")],
    ["a JWT read", added("lib/token.ts", `import jwt from "jsonwebtoken";\nexport const verify = (t: string) => jwt.verify(t, process.env.SECRET!);\n`)],
    ["an encrypt call", added("lib/seal.ts", `import { encryptField } from "./kms";\nexport const seal = (v: string) => encryptField(v, { userId: "u" });\n`)],
    ["a deleted source file", { path: "middleware.ts", status: "removed" } as SnapshotFile],
    ["a source file a limit kept out", { path: "lib/huge.ts", status: "added", skipReason: "too large (9000000 bytes; limit 1000000)" } as SnapshotFile],
  ])("%s", (_name, file) => {
    const r = review("Change", [added("README.md", "# App\n"), file]);
    expect(tooSmallForChecklist(r)).toBe(false);
    const comment = renderThreatModelComment(r);
    expect(comment.startsWith(THREAT_MODEL_MARKER)).toBe(true);
    expect(comment).not.toContain("No threat model needed");
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
  });
});
