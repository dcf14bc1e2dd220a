import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/index.js";
import { main } from "../../src/cli.js";
import { MAX_SARIF_TEXT_BYTES, renderSarif } from "../../src/report/sarif.js";
import { API, Bodies, createTestApp, fakeEngine, makeFinding, makeReview, mockToken, payloadOf } from "../handlers/helpers.js";

const REPO = "/repos/Codertocat/Hello-World";
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "psr-gaps-"));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe("the command line fails closed", () => {
  const CLEAN = "export const add = (a: number, b: number) => a + b;\n";
  const LARGE = `export const big = ${JSON.stringify("x".repeat(3_000))};\n`;

  it("an incomplete review (a source file over the limit) exits 1, not 0", async () => {
    const dir = project({ "package.json": "{}", "lib/math.ts": CLEAN, "lib/big.ts": LARGE, ".github/security-review.yml": "limits:\n  maxFileBytes: 1000\n" });
    const result = await main(["scan", dir, "--format", "json"]);
    expect(JSON.parse(result.stdout).incomplete).toBeTruthy();
    expect(result.code).toBe(1);
  });

  it("incomplete: allow is the repository's choice to pass; a complete clean review exits 0", async () => {
    const allowed = project({ "package.json": "{}", "lib/math.ts": CLEAN, "lib/big.ts": LARGE, ".github/security-review.yml": "incomplete: allow\nlimits:\n  maxFileBytes: 1000\n" });
    expect((await main(["scan", allowed])).code).toBe(0);
    expect((await main(["scan", project({ "package.json": "{}", "lib/math.ts": CLEAN })])).code).toBe(0);
  });
});

describe("SARIF text is plain text, bounded", () => {
  it("a PR's strings cannot plant links or hidden text, paths are percent-encoded, and long text is cut", () => {
    const hostile = "see [the docs](https://evil.example/x) \u202eevil\u0007 \\";
    const review = makeReview({
      verdict: "fail",
      findings: [makeFinding({ path: "app/a b#c%d/[id]/route.ts", message: hostile, fix: "ü".repeat(10_000), replacement: { startLine: 1, endLine: 1, text: "x".repeat(100_000) } })],
    });
    const log = JSON.parse(renderSarif(review, CHECKS, "0.0.0"));
    const result = log.runs[0].results[0];
    expect(result.message.text).toContain("see \\[the docs\\](https://evil.example/x) evil \\\\");
    expect(result.message.text.includes("\u202e") || result.message.text.includes("\u0007")).toBe(false);
    expect(Buffer.byteLength(result.message.text)).toBeLessThanOrEqual(MAX_SARIF_TEXT_BYTES);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe("app/a%20b%23c%25d/%5Bid%5D/route.ts");
    // A 100 KB replacement is described, not offered.
    expect(result.fixes).toBeUndefined();
  });
});

describe("a review that fails before its check run exists", () => {
  it("an HTML answer where the PR was expected still leaves a failing check run on the head", async () => {
    const payload = payloadOf("pull_request", "opened");
    const head = payload.pull_request.head.sha as string;
    const { probot, queue } = await createTestApp(fakeEngine(makeReview({ verdict: "pass" })));
    const bodies = new Bodies();
    mockToken();
    nock(API)
      .post("/graphql")
      .reply(200, "<html><body>Unicorn!</body></html>", { "content-type": "text/html" })
      .get(`${REPO}/commits/${head}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 3, status: "in_progress", conclusion: null, external_id: null, output: { title: "t", summary: "" }, app: { id: 9, slug: "someone-else" } }] })
      .post(`${REPO}/check-runs`, bodies.capture("create"))
      .reply(201, { id: 8 });

    await probot.receive({ id: "gap-1", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("create")).toMatchObject({ name: "Security review", head_sha: head, status: "completed", conclusion: "failure", output: { title: expect.stringMatching(/^Not reviewed: /) } });
  });

  it("a GitHub outage on the last attempt completes the run of ours left in progress", async () => {
    const payload = payloadOf("pull_request", "opened");
    const head = payload.pull_request.head.sha as string;
    const { probot, queue } = await createTestApp(fakeEngine(makeReview({ verdict: "pass" })));
    const bodies = new Bodies();
    mockToken();
    nock(API)
      .post("/graphql")
      .reply(502, { message: "Bad Gateway" })
      .get(`${REPO}/commits/${head}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 4, status: "in_progress", conclusion: null, external_id: null, output: { title: "t", summary: "" }, app: { id: 1, slug: "security-review" } }] })
      .patch(`${REPO}/check-runs/4`, bodies.capture("complete"))
      .reply(200, { id: 4 });

    await probot.receive({ id: "gap-2", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("complete")).toMatchObject({ status: "completed", conclusion: "failure", output: { title: expect.stringMatching(/^Not reviewed: GitHub API error 5\d\d$/) } });
  });
});
