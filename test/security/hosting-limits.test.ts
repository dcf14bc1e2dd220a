import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { globMatcher } from "../../src/config/globs.js";
import { ConfigError, DEFAULT_CONFIG } from "../../src/config/schema.js";
import { MAX_CONFIG_BYTES, parseConfigText } from "../../src/config/yaml.js";
import { loadRepoConfig } from "../../src/github/config.js";
import { renderCheckRun } from "../../src/report/check-run.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot } from "../../src/snapshot.js";
import { API } from "../handlers/helpers.js";

/** A route that deletes any user with no auth: a critical, blocking finding when it is read. */
const ROUTE = `import { PrismaClient } from "@prisma/client";
const db = new PrismaClient();
export async function DELETE(req: Request) {
  const { id } = await req.json();
  await db.user.delete({ where: { id } });
  return Response.json({ ok: true });
}
`;
const snapshot: PullRequestSnapshot = { repo: "acme/app", number: 1, headSha: "a".repeat(40), title: "t", body: "", labels: [], commits: [], files: [{ path: "app/api/users/route.ts", status: "added", content: ROUTE }] };

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("a hostile config cannot switch the gate off or stall the review", () => {
  it("a config over 64 KB that would exclude every file is refused: the review runs with the defaults and blocks", async () => {
    const hostile = `paths:\n  exclude: ["**"]\nfailOn: critical\n# ${"x".repeat(MAX_CONFIG_BYTES)}\n`;
    nock(API).get("/repos/acme/app/contents/.github%2Fsecurity-review.yml").reply(200, hostile, { "content-type": "text/plain; charset=utf-8" });
    const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });

    const { config, problems } = await loadRepoConfig(octokit, { owner: "acme", repo: "app" });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toEqual([expect.stringMatching(/larger than 65536 bytes/)]);

    const checkRun = renderCheckRun(reviewSnapshot(snapshot, config), { configProblems: problems });
    expect(checkRun.conclusion).toBe("failure");
    expect(checkRun.output.summary).toMatch(/larger than 65536 bytes/);
  });

  it("within the limit, the same exclusion is the repository's choice and nothing is in scope", () => {
    const config = parseConfigText(`paths:\n  exclude: ["**"]\n`);
    expect(renderCheckRun(reviewSnapshot(snapshot, config)).conclusion).toBe("neutral");
  });

  it("nested extglobs are refused; a glob that backtracking matchers take minutes on matches at once", () => {
    expect(() => parseConfigText(`paths:\n  exclude: ["*(*(a|aa))b"]\n`)).toThrow(/nested extglobs/);
    const config = parseConfigText(`paths:\n  exclude: ["+(a*|*a)z", "*a*a*a*a*a*a*a*a*b"]\n`);
    const longName = { ...snapshot, files: [{ path: `app/api/${"a".repeat(2_000)}/route.ts`, status: "added" as const, content: ROUTE }] };
    expect(renderCheckRun(reviewSnapshot(longName, config)).conclusion).toBe("failure");
    expect(globMatcher(config.paths.exclude)(`${"a".repeat(3_000)}y`)).toBe(false);
  });

  it("the CLI refuses a config file over 64 KB by its size, before reading it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "psr-limits-"));
    dirs.push(dir);
    writeFileSync(join(dir, "route.ts"), ROUTE);
    const config = join(dir, "big.yml");
    writeFileSync(config, "failOn: low\n");
    truncateSync(config, 512 * 1024 * 1024); // sparse: 512 MB on paper, nothing on disk

    const result = await main(["scan", dir, "--config", config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/larger than 65536 bytes \(536870912 bytes\)/);
  });

  it("config problems are ConfigErrors, never crashes", () => {
    expect(() => parseConfigText("{".repeat(5_000))).toThrow(ConfigError);
    expect(() => parseConfigText("- x\n".repeat(16_000))).toThrow(ConfigError);
  });
});
