import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";

const dirs: string[] = [];
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "psr-cli-"));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const DECODE = `import jwt from "jsonwebtoken";\nexport const user = (t: string) => jwt.decode(t);\n`;
const CLEAN = `export const add = (a: number, b: number) => a + b;\n`;

describe("security-review CLI", () => {
  it("scan exits 1 when a finding reaches failOn, with paths relative to the scanned root", async () => {
    const dir = repo({ "lib/session.ts": DECODE });
    const result = await main(["scan", dir, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.verdict).toBe("fail");
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: "auth/jwt-decode-without-verify", path: "lib/session.ts", line: 2, new: true })]);
  });

  it("scan exits 0 on clean code and prints markdown by default", async () => {
    const result = await main(["scan", repo({ "lib/math.ts": CLEAN })]);
    expect(result.code).toBe(0);
    // Code that reaches nothing the checklist is about gets the short answer.
    expect(result.stdout).toContain("✅ **No threat model needed**");
  });

  it("a config that raises failOn lets the same code pass; a rule set to off silences it", async () => {
    const dir = repo({ "lib/session.ts": DECODE, ".github/security-review.yml": "rules:\n  auth/jwt-decode-without-verify: high\nfailOn: critical\n" });
    const result = await main(["scan", dir, "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).findings[0].severity).toBe("high");
    const off = repo({ "lib/session.ts": DECODE, "cfg.yml": "rules:\n  auth/jwt-decode-without-verify: off\n" });
    expect(JSON.parse((await main(["scan", off, "--config", join(off, "cfg.yml"), "--format", "json"])).stdout).findings).toEqual([]);
  });

  it.each([
    [["scan"], /scan needs at least one path/],
    [["scan", "/no/such/path"], /path not found/],
    [["frobnicate"], /unknown command/],
    [["scan", ".", "--format", "xml"], /unknown format/],
    [["scan", ".", "--bogus"], /Unknown option/],
  ])("usage error %j exits 2", async (argv, message) => {
    const result = await main(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("an invalid config exits 2 naming the key and the problem", async () => {
    const dir = repo({ "a.ts": CLEAN, ".github/security-review.yml": "failOn: sometimes\n" });
    const result = await main(["scan", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/failOn/);
  });

  it("YAML that is not YAML exits 2 with the parse problem", async () => {
    const dir = repo({ "a.ts": CLEAN, ".github/security-review.yml": "failOn: [critical\n" });
    const result = await main(["scan", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not valid YAML/);
  });

  it("--format sarif prints SARIF 2.1.0", async () => {
    const result = await main(["scan", repo({ "lib/session.ts": DECODE }), "--format", "sarif"]);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: "2.1.0", runs: [{ results: [{ ruleId: "auth/jwt-decode-without-verify" }] }] });
  });

  it("diff reviews a git range: only changed lines are new, trailers mark it AI-generated", async () => {
    const dir = repo({ "lib/session.ts": DECODE });
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com", ...args], { stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    git("checkout", "-q", "-b", "feature");
    writeFileSync(join(dir, "lib/session.ts"), `${DECODE}export const other = (t: string) => t.length;\n`);
    writeFileSync(join(dir, "lib/store.ts"), `import { prisma } from "./db";\nexport const save = () => prisma.task.create({ data: { title: "x" } });\n`);
    git("add", ".");
    git("commit", "-q", "-m", "Add store\n\nCo-authored-by: Claude <noreply@anthropic.com>");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const result = await main(["diff", "--base", "main", "--format", "json"]);
      const report = JSON.parse(result.stdout);
      expect(result.code).toBe(0);
      expect(report.aiGenerated).toBe(true);
      expect(report.aiSignals.join(" ")).toMatch(/Co-authored-by: Claude/);
      expect(report.findings.find((f: { ruleId: string }) => f.ruleId === "auth/jwt-decode-without-verify")).toMatchObject({ new: false });
      expect(report.findings.find((f: { ruleId: string }) => f.ruleId === "ai/unreviewed-mutation")).toMatchObject({ path: "lib/store.ts", line: 2, new: true });
      expect(report.verdict).toBe("needs-human-review");
    } finally {
      process.chdir(cwd);
    }
  });

  it("diff compares with the base: SARIF marks results new, unchanged or absent (fixed), JSON lists what the PR fixes", async () => {
    const dir = repo({ "lib/session.ts": DECODE, "lib/token.ts": `import jwt from "jsonwebtoken";\nexport function peek(t: string) {\n  return jwt.decode(t);\n}\n` });
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com", ...args], { stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    git("checkout", "-q", "-b", "feature");
    // session.ts: the pre-existing decode moves down a line; token.ts: the decode is replaced by a verify; claims.ts: a new decode.
    writeFileSync(join(dir, "lib/session.ts"), `import jwt from "jsonwebtoken";\n\nexport const user = (t: string) => jwt.decode(t);\n`);
    writeFileSync(join(dir, "lib/token.ts"), `import jwt from "jsonwebtoken";\nexport function peek(t: string) {\n  return jwt.verify(t, process.env.JWT_SECRET!);\n}\n`);
    writeFileSync(join(dir, "lib/claims.ts"), `import jwt from "jsonwebtoken";\nexport const claims = (t: string) => jwt.decode(t);\n`);
    git("add", ".");
    git("commit", "-q", "-m", "Verify tokens, read claims");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const sarif = JSON.parse((await main(["diff", "--base", "main", "--format", "sarif"])).stdout);
      const states = sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; baselineState: string; kind?: string }) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.baselineState, r.kind ?? "fail"]);
      expect(states.sort()).toEqual([
        ["lib/claims.ts", "new", "fail"],
        ["lib/session.ts", "unchanged", "fail"],
        ["lib/token.ts", "absent", "pass"],
      ]);
      const report = JSON.parse((await main(["diff", "--base", "main", "--format", "json"])).stdout);
      expect(report.fixed).toEqual([expect.objectContaining({ ruleId: "auth/jwt-decode-without-verify", path: "lib/token.ts", line: 3, new: false })]);
      expect(report.findings.map((f: { path: string; new: boolean }) => [f.path, f.new])).toEqual([
        ["lib/claims.ts", true],
        ["lib/session.ts", false],
      ]);
      const markdown = (await main(["diff", "--base", "main"])).stdout;
      expect(markdown).toContain("**This PR fixes 1 issue** the base had:");
    } finally {
      process.chdir(cwd);
    }
  });

  it("demo reviews the bundled PR and exits 0", async () => {
    const result = await main(["demo"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("check run would conclude `failure`");
  });
});

/** A Next.js route handler that deletes an item by the id in its URL, with no auth of its own. */
const NEXT_DELETE_ITEM = `import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: { id: string } }) {
  await prisma.item.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}
`;

function inDirectory<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(dir);
  return run().finally(() => process.chdir(cwd));
}

function gitRepo(dir: string) {
  return (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com", ...args], { stdio: "pipe" }).toString();
}

describe("security-review CLI wherever it is pointed", () => {
  const app = () =>
    repo({
      "package.json": `{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n`,
      "tsconfig.json": `{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }\n`,
      "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
      "src/app/api/items/[id]/route.ts": NEXT_DELETE_ITEM,
      "src/app/api/my items/[id]/route.ts": NEXT_DELETE_ITEM,
    });
  const located = (stdout: string) => (JSON.parse(stdout) as { findings: { ruleId: string; path: string; line: number }[] }).findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`);

  it("a scan of a subfolder recognises the routes a scan of the source folder does, named from the project root", async () => {
    const dir = app();
    const whole = await inDirectory(dir, () => main(["scan", "src", "--format", "json"]));
    const api = await inDirectory(dir, () => main(["scan", "src/app/api", "--format", "json"]));
    const one = await inDirectory(join(dir, "src/app/api/items"), () => main(["scan", ".", "--format", "json"]));
    expect(located(whole.stdout)).toContain("ingress/missing-auth src/app/api/items/[id]/route.ts:2");
    expect(located(api.stdout)).toEqual(located(whole.stdout));
    expect(located(one.stdout)).toEqual(located(whole.stdout).filter((entry) => entry.includes("src/app/api/items/")));
    expect([whole.code, api.code, one.code]).toEqual([1, 1, 1]);
  });

  it("SARIF names files by percent-encoded URIs relative to the repository root under %SRCROOT%, for scan and diff", async () => {
    const dir = app();
    const uris = (stdout: string) =>
      (JSON.parse(stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[] }[] }).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    const expected = [
      { uri: "src/app/api/items/%5Bid%5D/route.ts", uriBaseId: "%SRCROOT%" },
      { uri: "src/app/api/my%20items/%5Bid%5D/route.ts", uriBaseId: "%SRCROOT%" },
    ];
    const scanned = await inDirectory(join(dir, "src/app"), () => main(["scan", "api", "--format", "sarif"]));
    expect(uris(scanned.stdout).filter((l) => l.uri.startsWith("src/app/api/"))).toEqual(expected);

    const git = gitRepo(dir);
    git("init", "-q", "-b", "main");
    git("add", "package.json", "tsconfig.json", "src/lib");
    git("commit", "-q", "-m", "base");
    git("checkout", "-q", "-b", "feature");
    git("add", ".");
    git("commit", "-q", "-m", "Item routes");
    const diffed = await inDirectory(join(dir, "src/app/api"), () => main(["diff", "--base", "main", "--format", "sarif"]));
    expect(uris(diffed.stdout).filter((l) => l.uri.startsWith("src/app/api/"))).toEqual(expected);
  });

  it("an incomplete review has the verdict incomplete and exits 1, unless the config says incomplete: allow", async () => {
    const big = `${CLEAN}${"// padding to pass the file size limit\n".repeat(60)}`;
    const dir = repo({ "lib/math.ts": CLEAN, "lib/big.ts": big, ".github/security-review.yml": "limits:\n  maxFileBytes: 1000\n" });
    const result = await main(["scan", dir, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.verdict).toBe("incomplete");
    expect(report.incomplete).toMatch(/lib\/big\.ts/);
    writeFileSync(join(dir, ".github/security-review.yml"), "limits:\n  maxFileBytes: 1000\nincomplete: allow\n");
    const allowed = await main(["scan", dir, "--format", "json"]);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).verdict).toBe("incomplete");
    const complete = await main(["scan", join(dir, "lib/math.ts"), "--format", "json"]);
    expect([complete.code, JSON.parse(complete.stdout).verdict]).toEqual([0, "pass"]);
  });

  it("a rule id the registry does not have is a config error naming it (exit 2)", async () => {
    const dir = repo({ "a.ts": CLEAN, ".github/security-review.yml": "rules:\n  ingress/missing-auht: off\n" });
    const result = await main(["scan", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rules\.ingress\/missing-auht: unknown rule id/);
    expect(result.stdout).toBe("");
  });

  it.each([
    ["a folder", (dir: string) => join(dir, ".github"), /is a folder, not a config file/],
    ["a missing file", (dir: string) => join(dir, "nope.yml"), /config file not found/],
  ])("--config naming %s is a usage error (exit 2), not a crash", async (_what, configPath, message) => {
    const dir = repo({ "a.ts": CLEAN, ".github/security-review.yml": "failOn: high\n" });
    for (const argv of [["scan", dir], ["demo"]]) {
      const result = await main([...argv, "--config", configPath(dir)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/EISDIR|ENOENT/);
    }
  });

  it("diff says which base it compared with on stderr, leaving JSON and SARIF output intact", async () => {
    const dir = repo({ "lib/math.ts": CLEAN });
    const git = gitRepo(dir);
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    const mergeBase = git("rev-parse", "HEAD").trim();
    git("checkout", "-q", "-b", "feature");
    writeFileSync(join(dir, "lib/session.ts"), DECODE);
    git("add", ".");
    git("commit", "-q", "-m", "Session");
    for (const format of ["json", "sarif", "markdown"]) {
      const result = await inDirectory(dir, () => main(["diff", "--format", format]));
      expect(result.stderr).toBe(`Compared with main (merge base ${mergeBase.slice(0, 12)}).\n`);
      if (format !== "markdown") expect(() => JSON.parse(result.stdout)).not.toThrow();
    }
  });
});
