import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { globMatcher, globProblem, MAX_GLOB_LENGTH } from "../../src/config/globs.js";
import { ConfigError, DEFAULT_CONFIG } from "../../src/config/schema.js";
import { MAX_CONFIG_BYTES, parseConfigText } from "../../src/config/yaml.js";
import { loadRepoConfig, MAX_EXTENDS_DEPTH } from "../../src/github/config.js";
import { API } from "../handlers/helpers.js";

function problemsOf(yaml: string): string[] {
  try {
    parseConfigText(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("config file bounds", () => {
  it("a file over 64 KB is refused by its size in bytes, even when its characters are fewer", () => {
    expect(MAX_CONFIG_BYTES).toBe(64 * 1024);
    expect(problemsOf(`failOn: high\n# ${"x".repeat(MAX_CONFIG_BYTES)}\n`)).toEqual([expect.stringMatching(/^\(file\): .*larger than 65536 bytes/)]);
    // 30,000 three-byte characters: under 65,536 characters, over 65,536 bytes.
    expect(problemsOf(`failOn: high\n# ${"字".repeat(30_000)}\n`)).toEqual([expect.stringMatching(/larger than 65536 bytes/)]);
    expect(parseConfigText(`failOn: high\n# ${"x".repeat(60_000)}\n`).failOn).toBe("high");
  });

  it("a file of tens of thousands of keys is refused before the document is built", () => {
    const keys = Array.from({ length: 12_000 }, (_, index) => index.toString(36)).join(":\n") + ":\n";
    expect(Buffer.byteLength(keys)).toBeLessThan(MAX_CONFIG_BYTES);
    expect(problemsOf(keys)).toEqual([expect.stringMatching(/more than 20000 YAML tokens/)]);
  });

  it("deep [ ] nesting and alias bombs are refused", () => {
    expect(problemsOf(`paths:\n  exclude: ${"[".repeat(40)}${"]".repeat(40)}\n`)).toEqual([expect.stringMatching(/nests \[ \] or \{ \} more than 32 deep/)]);
    const aliases = `a: &a x\nb: [${Array(60).fill("*a").join(", ")}]\n`;
    expect(problemsOf(aliases)).toEqual([expect.stringMatching(/not valid YAML/)]);
  });
});

describe("config globs", () => {
  it.each([
    ["@(src|+(lib))/**", /nested extglobs/],
    ["!(test)/**", /negated extglobs/],
    ["!src/**", /negated globs/],
    ["x".repeat(MAX_GLOB_LENGTH + 1), /256/],
    ["[[:nope:]]", /unknown character class/],
  ])("%j is refused with a problem naming the glob's key", (glob, problem) => {
    const problems = problemsOf(`paths:\n  exclude:\n    - ok/**\n    - ${JSON.stringify(glob)}\n`);
    expect(problems).toEqual([expect.stringMatching(/^paths\.exclude\.1: /)]);
    expect(problems[0]).toMatch(problem);
  });

  it("publicRoutes and paths.include are validated the same way", () => {
    expect(problemsOf(`publicRoutes: ["/api/@(a|*(b))"]\npaths:\n  include: ["@(x|@(y))"]\n`).map((p) => p.split(":")[0]).sort()).toEqual(["paths.include.0", "publicRoutes.0"]);
  });

  it("the usual glob forms keep their meaning", () => {
    const cases: [string, string, boolean][] = [
      ["**/*.test.*", "src/a/b.test.ts", true],
      ["**/*.test.*", "b.test.ts", true],
      ["**/test/**", "test/a.ts", true],
      ["**/test/**", "src/testing/a.ts", false],
      ["src/**", "src", true],
      ["src/**", "src/a/b.ts", true],
      ["src/**", "srcx/a.ts", false],
      ["src/*.ts", "src/a/b.ts", false],
      ["a/**/b.ts", "a/b.ts", true],
      ["a/**/b.ts", "a/x/y/b.ts", true],
      ["{src,lib}/**/*.{ts,tsx}", "lib/x/y.tsx", true],
      ["{src,lib}/**/*.{ts,tsx}", "app/y.tsx", false],
      ["@(app|pages)/api/**", "pages/api/x.ts", true],
      ["?(x)y.ts", "y.ts", true],
      ["?(x)y.ts", "xy.ts", true],
      ["+(ab).ts", "ababab.ts", true],
      ["[!a]*.ts", "b.ts", true],
      ["[!a]*.ts", "a.ts", false],
      ["[a-c]?.js", "bz.js", true],
      ["/api/webhooks/*", "/api/webhooks/stripe", true],
      ["/api/webhooks/*", "/api/webhooks/stripe/x", false],
      ["app/(shop)/**", "app/(shop)/page.tsx", true],
      ["app/(shop)/**", "app/shop/page.tsx", false],
      ["app/api/[id]/route.ts", "app/api/[id]/route.ts", true],
      [".github/**", ".github/workflows/ci.yml", true],
      ["./scripts/**", "scripts/a.ts", true],
      ["a\\*b", "a*b", true],
      ["a\\*b", "axb", false],
    ];
    for (const [glob, path, expected] of cases) {
      expect(globProblem(glob), glob).toBeUndefined();
      expect(globMatcher([glob])(path), `${glob} on ${path}`).toBe(expected);
    }
  });

  it("globs that make a backtracking matcher run for minutes answer at once on long paths", () => {
    // Each of these takes a backtracking matcher seconds to hours on these paths.
    const hostile = ["+(a*|*a)z", "*a*a*a*a*a*a*a*a*a*b", "**a**a**a**a**b", "+(ab|a|b)c", "{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}b"];
    for (const glob of hostile) expect(globProblem(glob), glob).toBeUndefined();
    const isMatch = globMatcher(hostile);
    expect(isMatch("a".repeat(4_000))).toBe(false);
    expect(isMatch(`${"ab".repeat(2_000)}x`)).toBe(false);
    expect(isMatch(`${"a".repeat(3_999)}z`)).toBe(true);
  });
});

describe("_extends", () => {
  const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
  const file = (repo: string, yaml: string) => nock(API).get(`/repos/acme/${repo}/contents/.github%2Fsecurity-review.yml`).reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });

  it(`is followed ${MAX_EXTENDS_DEPTH} deep, the extending file winning`, async () => {
    file("shop", "_extends: base1\nfailOn: high\n");
    file("base1", "_extends: base2\ninlineMinSeverity: medium\n");
    file("base2", "_extends: base3\nmaxInlineComments: 7\n");
    file("base3", "failOn: low\nreviewDrafts: true\n");

    expect(await loadRepoConfig(octokit(), { owner: "acme", repo: "shop" })).toEqual({ config: { ...DEFAULT_CONFIG, failOn: "high", inlineMinSeverity: "medium", maxInlineComments: 7, reviewDrafts: true } });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("a fourth link is refused, reported, and not fetched: the review runs with the defaults", async () => {
    file("shop", "_extends: base1\nfailOn: high\n");
    file("base1", "_extends: base2\n");
    file("base2", "_extends: base3\n");
    file("base3", "_extends: base4\n");

    const { config, problems } = await loadRepoConfig(octokit(), { owner: "acme", repo: "shop" });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toEqual([expect.stringMatching(/^\(file\): acme\/base3:.* at most 3 deep/)]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("a loop, a path outside .github-style names and a missing file are problems, never silently ignored", async () => {
    file("shop", "_extends: base1\n");
    file("base1", "_extends: shop\n");
    expect((await loadRepoConfig(octokit(), { owner: "acme", repo: "shop" })).problems).toEqual([expect.stringMatching(/_extends loop/)]);

    file("shop", "_extends: base1:../../etc/passwd.yml\n");
    expect((await loadRepoConfig(octokit(), { owner: "acme", repo: "shop" })).problems).toEqual([expect.stringMatching(/invalid _extends/)]);

    file("shop", "_extends: gone\n");
    nock(API).get("/repos/acme/gone/contents/.github%2Fsecurity-review.yml").reply(404, { message: "Not Found" });
    expect((await loadRepoConfig(octokit(), { owner: "acme", repo: "shop" })).problems).toEqual([expect.stringMatching(/acme\/gone.* does not exist/)]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("an extended file over 64 KB is refused like the repository's own", async () => {
    file("shop", "_extends: base1\n");
    file("base1", `failOn: low\n# ${"x".repeat(MAX_CONFIG_BYTES)}\n`);
    expect((await loadRepoConfig(octokit(), { owner: "acme", repo: "shop" })).problems).toEqual([expect.stringMatching(/acme\/base1.* larger than 65536 bytes/)]);
  });
});
