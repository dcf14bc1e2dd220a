import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { parse } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAction } from "../src/action.js";
import { THREAT_MODEL_MARKER } from "../src/report/threat-model.js";
import { FakeGitHub } from "./e2e/fake-github.js";
import { payloadOf } from "./handlers/helpers.js";

/**
 * The Action's entry point run as a workflow runs it: a real `pull_request` payload (base and head
 * pointed at a local git repository's commits), the runner's files for the event, summary and
 * outputs, and the fake GitHub API for the comment.
 */

const OWNER = "acme";
const REPO = "shop";
const ACTIONS_BOT_USER = { login: "github-actions[bot]", type: "Bot" as const };

const ROUTE = `import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: { id: string } }) {
  await prisma.item.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}
`;

let fake: FakeGitHub;
const dirs: string[] = [];

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  fake = new FakeGitHub(OWNER, REPO);
  fake.commentAuthor = ACTIONS_BOT_USER;
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});
beforeEach(() => {
  fake.comments.length = 0;
  fake.requests.length = 0;
});

function write(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A repository with a base commit on main and a PR branch; returns both SHAs. */
function repository(base: Record<string, string>, head: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "psr-action-"));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com", ...args], { stdio: "pipe" }).toString().trim();
  write(dir, base);
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  const baseSha = git("rev-parse", "HEAD");
  git("checkout", "-q", "-b", "feature");
  write(dir, head);
  git("add", ".");
  git("commit", "-q", "-m", "Item routes");
  return { dir, baseSha, headSha: git("rev-parse", "HEAD") };
}

const BASE = {
  "package.json": `{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n`,
  "tsconfig.json": `{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }\n`,
  "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
};

/** The runner's environment for a `pull_request` event on this repository. */
function runner(repo: { dir: string; baseSha: string; headSha: string }, inputs: Record<string, string> = {}) {
  const payload = payloadOf("pull_request", "opened");
  payload.pull_request.number = 7;
  payload.pull_request.title = "Item routes";
  payload.pull_request.base.sha = repo.baseSha;
  payload.pull_request.base.ref = "main";
  payload.pull_request.head.sha = repo.headSha;
  payload.pull_request.head.ref = "feature";
  payload.repository.name = REPO;
  payload.repository.owner.login = OWNER;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  const files = mkdtempSync(join(tmpdir(), "psr-runner-"));
  dirs.push(files);
  writeFileSync(join(files, "event.json"), JSON.stringify(payload));
  const env = {
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: join(files, "event.json"),
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_STEP_SUMMARY: join(files, "summary.md"),
    GITHUB_OUTPUT: join(files, "output.txt"),
    GITHUB_API_URL: `http://127.0.0.1:${fake.port}/api/v3`,
    INPUT_TOKEN: "ghs_workflowtoken",
    INPUT_COMMENT: "false",
    INPUT_CONFIG: ".github/security-review.yml",
    INPUT_SARIF: "security-review.sarif",
    ...inputs,
  };
  const read = (name: string) => readFileSync(join(files, name), "utf8");
  return { env, summary: () => read("summary.md"), outputs: () => read("output.txt") };
}

describe("GitHub Action", () => {
  it("reviews the PR against its base: the threat model in the job summary, SARIF for upload, the job failed per failOn", async () => {
    // The PR also turns the rule off in its own config: the config is read at the base, so it does not take effect.
    const repo = repository(BASE, { "src/app/api/items/[id]/route.ts": ROUTE, ".github/security-review.yml": "rules:\n  ingress/missing-auth: off\n" });
    const { env, summary, outputs } = runner(repo);
    const lines: string[] = [];
    const result = await runAction(env, (line) => lines.push(line));

    expect(result).toMatchObject({ code: 1, verdict: "fail" });
    expect(summary()).toContain(THREAT_MODEL_MARKER);
    expect(summary()).toContain("ingress/missing-auth");
    const sarif = JSON.parse(readFileSync(join(repo.dir, "security-review.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results).toEqual([
      expect.objectContaining({ ruleId: "ingress/missing-auth", baselineState: "new", locations: [{ physicalLocation: expect.objectContaining({ artifactLocation: { uri: "src/app/api/items/%5Bid%5D/route.ts", uriBaseId: "%SRCROOT%" } }) }] }),
    ]);
    expect(outputs()).toMatch(/^verdict<<(ghadelimiter_[\w-]+)\nfail\n\1$/m);
    expect(lines.join("\n")).toMatch(/Reviewing pull request #7: [0-9a-f]{12} against main/);
    expect(lines.join("\n")).toMatch(/^::error title=Security review::a new finding reaches failOn \(critical\)/m);
    // comment: false (the default) makes no request.
    expect(fake.requests).toEqual([]);
  });

  it("comment: true creates the threat-model comment once and updates the same comment on the next run, leaving others' comments alone", async () => {
    const repo = repository(BASE, { "src/app/api/items/[id]/route.ts": ROUTE });
    // A person quoting the marker: not the Action's comment.
    fake.comments.push({ id: 1, issue_number: 7, body: `${THREAT_MODEL_MARKER}\nquoted`, user: { login: "octocat", type: "User" } });
    const first = await runAction(runner(repo, { INPUT_COMMENT: "true" }).env, () => {});
    expect(first.commentUrl).toMatch(/\/pull\/7#issuecomment-\d+$/);
    expect(fake.comments).toHaveLength(2);
    const ours = fake.comments.find((comment) => comment.user.login === ACTIONS_BOT_USER.login)!;
    expect(ours.body.startsWith(`${THREAT_MODEL_MARKER}\n`)).toBe(true);
    expect(ours.body).toContain("ingress/missing-auth");

    // The PR drops the route: the same comment is edited to say so, no second one posted.
    execFileSync("git", ["-C", repo.dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "rm", "-q", "src/app/api/items/[id]/route.ts"]);
    execFileSync("git", ["-C", repo.dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "Drop the route"]);
    const headSha = execFileSync("git", ["-C", repo.dir, "rev-parse", "HEAD"]).toString().trim();
    const second = await runAction(runner({ ...repo, headSha }, { INPUT_COMMENT: "true" }).env, () => {});
    expect(second).toMatchObject({ code: 0, verdict: "pass", commentUrl: first.commentUrl });
    expect(fake.comments).toHaveLength(2);
    expect(ours.body).not.toContain("ingress/missing-auth");
    expect(fake.comments[0]!.body).toBe(`${THREAT_MODEL_MARKER}\nquoted`);
    expect(fake.violations).toEqual([]);
    expect(fake.requests.map((request) => request.operation)).toEqual(["issues/list-comments", "issues/create-comment", "issues/list-comments", "issues/update-comment"]);
  });

  it("a shallow checkout (actions/checkout's default) is deepened from origin to reach the base", async () => {
    const origin = repository(BASE, { "src/app/api/items/[id]/route.ts": ROUTE });
    const clone = mkdtempSync(join(tmpdir(), "psr-shallow-"));
    dirs.push(clone);
    execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "feature", `file://${origin.dir}`, clone], { stdio: "pipe" });
    expect(() => execFileSync("git", ["-C", clone, "cat-file", "-e", `${origin.baseSha}^{commit}`], { stdio: "pipe" })).toThrow();
    const result = await runAction(runner({ ...origin, dir: clone }).env, () => {});
    expect(result).toMatchObject({ code: 1, verdict: "fail" });
  });

  it("an invalid config at the base is reported and the review runs with the defaults", async () => {
    const repo = repository({ ...BASE, ".github/security-review.yml": "rules:\n  ingress/missing-auht: off\n" }, { "src/app/api/items/[id]/route.ts": ROUTE });
    const { env, summary } = runner(repo);
    const lines: string[] = [];
    const result = await runAction(env, (line) => lines.push(line));
    expect(result.code).toBe(1);
    expect(lines.join("\n")).toMatch(/^::warning title=Security review config::rules\.ingress\/missing-auht: unknown rule id/m);
    expect(summary()).toContain("ingress/missing-auht");
  });

  it("a payload without a pull request, or commits the checkout cannot reach, stops with a clear error (exit 2)", async () => {
    const repo = repository(BASE, { "src/lib/other.ts": "export const x = 1;\n" });
    const { env } = runner(repo);
    writeFileSync(env.GITHUB_EVENT_PATH, JSON.stringify({ action: "opened" }));
    const lines: string[] = [];
    expect(await runAction(env, (line) => lines.push(line))).toEqual({ code: 2 });
    expect(lines.join("\n")).toMatch(/::error title=Security review::the event payload has no pull request/);

    const gone = runner({ ...repo, headSha: "f".repeat(40) });
    const goneLines: string[] = [];
    expect(await runAction(gone.env, (line) => goneLines.push(line))).toEqual({ code: 2 });
    expect(goneLines.join("\n")).toMatch(/ffffffffffff are not in the checkout and could not be fetched: check out with actions\/checkout and fetch-depth: 0/);
  });

  it("action.yml runs the built entry point with every input it declares", () => {
    const action = parse(readFileSync(new URL("../action.yml", import.meta.url), "utf8")) as {
      inputs: Record<string, unknown>;
      runs: { using: string; steps: { run?: string; env?: Record<string, string>; with?: Record<string, unknown> }[] };
    };
    expect(action.runs.using).toBe("composite");
    expect(action.runs.steps[0]).toMatchObject({ uses: "actions/setup-node@v4", with: { "node-version": 24 } });
    const review = action.runs.steps.find((step) => step.run?.includes("dist/action.js"))!;
    for (const name of Object.keys(action.inputs)) expect(review.env?.[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    expect(readFileSync(new URL("../src/action.ts", import.meta.url), "utf8")).toMatch(/INPUT_TOKEN.*INPUT_COMMENT.*INPUT_CONFIG.*INPUT_SARIF/s);
  });
});
