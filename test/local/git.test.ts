import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadGitRangeSnapshot } from "../../src/local/git.js";
import { changedLinesFromPatch } from "../../src/review/diff.js";
import type { SnapshotFile } from "../../src/snapshot.js";

let repo: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: repo } }).trim();
}

async function put(relative: string, content: string | Uint8Array): Promise<void> {
  const absolute = path.join(repo, relative);
  await mkdir(path.dirname(absolute), { recursive: true });
  await writeFile(absolute, content);
}

function commit(message: string): string {
  git("add", "-A");
  git("commit", "-q", "-m", message);
  return git("rev-parse", "HEAD");
}

const changed = (file: SnapshotFile | undefined): number[] => [...changedLinesFromPatch(file?.patch ?? "")].sort((a, b) => a - b);
const byPath = (files: SnapshotFile[], filePath: string): SnapshotFile | undefined => files.find((file) => file.path === filePath);

beforeEach(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), "git-range-test-"));
  execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q", repo]);
  git("config", "user.name", "Dev One");
  git("config", "user.email", "dev@example.com");
  git("config", "commit.gpgsign", "false");
});

afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

const routeV1 = ["import { db } from './db';", "export function list() {", "  return db.all();", "}", ""].join("\n");
const routeV2 = ["import { db } from './db';", "export function list(user) {", "  return db.all();", "}", "export const extra = true;", ""].join("\n");
const legacyBody = ["export function legacy() {", "  const a = 1;", "  const b = 2;", "  const c = 3;", "  return a + b + c;", "}", ""].join("\n");

/** main: one commit. claude/export: two commits with AI trailers, a rename, a deletion, a binary and a large file. */
async function buildFeatureRepo(): Promise<{ baseSha: string; firstSha: string; headSha: string }> {
  await put("src/routes.ts", routeV1);
  await put("src/legacy.ts", legacyBody);
  await put("src/obsolete.ts", "export const gone = 1;\n");
  await put("README.md", "# shop\n");
  const baseSha = commit("Initial commit");

  git("checkout", "-q", "-b", "claude/export");
  await put("src/routes.ts", routeV2);
  const firstSha = commit("Scope the list to the user\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>");

  git("mv", "src/legacy.ts", "src/modern.ts");
  await put("src/modern.ts", legacyBody.replace("  return a + b + c;", "  return a * b * c;"));
  git("rm", "-q", "src/obsolete.ts");
  await put("assets/logo.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]));
  await put("data/seed.sql", "insert into t values (1);\n".repeat(10));
  await put("src/export.ts", "export function exportCsv() {\n  return '';\n}\n");
  const headSha = commit("Add CSV export\n\nExports the user list as CSV.\nSecond line.\n\nGenerated-by: Claude");
  return { baseSha, firstSha, headSha };
}

describe("loadGitRangeSnapshot", () => {
  it("reads a feature branch like a pull request against main", async () => {
    const { baseSha, firstSha, headSha } = await buildFeatureRepo();
    const { snapshot, root } = await loadGitRangeSnapshot({ cwd: path.join(repo, "src"), maxFileBytes: 200 });

    expect(root).toBe(git("rev-parse", "--show-toplevel"));
    expect(snapshot).toMatchObject({
      repo: path.basename(root),
      title: "Add CSV export",
      body: "Exports the user list as CSV.\nSecond line.\n\nGenerated-by: Claude",
      baseSha,
      headSha,
      branch: "claude/export",
      baseBranch: "main",
      author: { login: "Dev One", type: "User" },
      labels: [],
    });
    expect(snapshot.wholeFiles).toBeUndefined();

    expect(snapshot.commits).toEqual([
      {
        sha: firstSha,
        message: "Scope the list to the user\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
        authorName: "Dev One",
        authorEmail: "dev@example.com",
        trailers: [{ key: "Co-authored-by", value: "Copilot <175728472+Copilot@users.noreply.github.com>" }],
      },
      {
        sha: headSha,
        message: "Add CSV export\n\nExports the user list as CSV.\nSecond line.\n\nGenerated-by: Claude",
        authorName: "Dev One",
        authorEmail: "dev@example.com",
        trailers: [{ key: "Generated-by", value: "Claude" }],
      },
    ]);

    const files = snapshot.files;
    expect(files.map(({ path: filePath, status, previousPath, skipReason }) => ({ filePath, status, previousPath, skipReason }))).toEqual([
      { filePath: "assets/logo.png", status: "added", previousPath: undefined, skipReason: "binary" },
      { filePath: "data/seed.sql", status: "added", previousPath: undefined, skipReason: "larger than 200 bytes" },
      { filePath: "src/export.ts", status: "added", previousPath: undefined, skipReason: undefined },
      { filePath: "src/modern.ts", status: "renamed", previousPath: "src/legacy.ts", skipReason: undefined },
      { filePath: "src/obsolete.ts", status: "removed", previousPath: undefined, skipReason: "deleted" },
      { filePath: "src/routes.ts", status: "modified", previousPath: undefined, skipReason: undefined },
    ]);

    expect(changed(byPath(files, "src/routes.ts"))).toEqual([2, 5]);
    expect(changed(byPath(files, "src/modern.ts"))).toEqual([5]);
    expect(changed(byPath(files, "src/export.ts"))).toEqual([1, 2, 3]);
    expect(changed(byPath(files, "src/obsolete.ts"))).toEqual([]);

    expect(byPath(files, "src/routes.ts")).toMatchObject({ content: routeV2, size: Buffer.byteLength(routeV2) });
    expect(byPath(files, "src/routes.ts")?.patch).toMatch(/^diff --git a\/src\/routes\.ts b\/src\/routes\.ts\n/);
    expect(byPath(files, "data/seed.sql")).toMatchObject({ size: 260 });
    expect(byPath(files, "data/seed.sql")?.content).toBeUndefined();
    expect(byPath(files, "assets/logo.png")?.content).toBeUndefined();
    expect(byPath(files, "src/obsolete.ts")?.content).toBeUndefined();
  });

  it("reads the base versions of the files the PR changes, renames or deletes, and the unchanged modules only they import", async () => {
    await put("src/auth.ts", "export async function requireAuth() { return { id: 1 }; }\n");
    await put("src/route.ts", "import { requireAuth } from './auth';\nexport async function GET() {\n  await requireAuth();\n  return 1;\n}\n");
    await put("src/old-name.ts", "export const a = 1;\nexport const b = 2;\nexport const c = 3;\nexport const d = 4;\n");
    await put("src/gone.ts", "export const gone = 1;\n");
    await put("assets/logo.ts", "export const logo = 1;\n");
    const baseSha = commit("base");
    git("checkout", "-q", "-b", "feature");
    await put("src/route.ts", "export async function GET() {\n  return 1;\n}\n");
    git("mv", "src/old-name.ts", "src/new-name.ts");
    await put("src/new-name.ts", "export const a = 1;\nexport const b = 2;\nexport const c = 3;\nexport const d = 5;\n");
    git("rm", "-q", "src/gone.ts");
    await put("assets/logo.ts", Uint8Array.from([0x00, 0x01, 0x02]));
    await put("src/added.ts", "export const added = 1;\n");
    commit("change");

    const { snapshot } = await loadGitRangeSnapshot({ cwd: repo, base: "main" });
    expect(snapshot.baseSha).toBe(baseSha);
    const base = (filePath: string) => {
      const file = byPath(snapshot.files, filePath);
      return { baseContent: file?.baseContent, baseSkipReason: file?.baseSkipReason };
    };
    expect(base("src/route.ts").baseContent).toContain("await requireAuth();");
    expect(base("src/new-name.ts").baseContent).toContain("export const d = 4;");
    expect(base("src/gone.ts").baseContent).toBe("export const gone = 1;\n");
    expect(base("assets/logo.ts")).toEqual({ baseContent: "export const logo = 1;\n", baseSkipReason: undefined });
    expect(base("src/added.ts")).toEqual({ baseContent: undefined, baseSkipReason: undefined });
    // The head no longer imports ./auth; the base version does, so the base side reads it.
    expect(snapshot.files.some((file) => file.path === "src/auth.ts")).toBe(false);
    expect(snapshot.base?.contextPaths).toEqual(["src/auth.ts"]);
    expect(snapshot.base?.files.map((file) => [file.path, file.content])).toEqual([["src/auth.ts", "export async function requireAuth() { return { id: 1 }; }\n"]]);
    expect(snapshot.base?.unavailable).toBeUndefined();
  });

  it("diffs from the merge base, so later commits on the base are not part of the change", async () => {
    const { baseSha } = await buildFeatureRepo();
    git("checkout", "-q", "main");
    await put("README.md", "# shop\n\nmore\n");
    commit("Docs on main");
    git("checkout", "-q", "claude/export");

    const { snapshot } = await loadGitRangeSnapshot({ cwd: repo, base: "main" });
    expect(snapshot.baseSha).toBe(baseSha);
    expect(snapshot.files.map((file) => file.path)).not.toContain("README.md");
    expect(snapshot.commits).toHaveLength(2);
  });

  it("prefers origin/HEAD as the default base and names the remote's branch", async () => {
    const { firstSha, headSha } = await buildFeatureRepo();
    git("update-ref", "refs/remotes/origin/trunk", firstSha);
    git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");

    const { snapshot } = await loadGitRangeSnapshot({ cwd: repo });
    expect(snapshot).toMatchObject({ baseSha: firstSha, headSha, baseBranch: "trunk" });
    expect(snapshot.commits.map((c) => c.sha)).toEqual([headSha]);
    expect(snapshot.files.map((file) => file.path)).not.toContain("src/routes.ts");
  });

  it("falls back to master, then to the last commit when head is the default branch itself", async () => {
    await put("a.ts", "one\n");
    const first = commit("First");
    await put("a.ts", "one\ntwo\n");
    const second = commit("Second\n\nAI-Assisted: true");

    const onMain = await loadGitRangeSnapshot({ cwd: repo });
    expect(onMain.snapshot).toMatchObject({ baseSha: first, headSha: second, baseBranch: "HEAD~1", branch: "main", title: "Second", body: "AI-Assisted: true" });
    expect(changed(onMain.snapshot.files[0])).toEqual([2]);

    git("branch", "-m", "main", "master");
    git("checkout", "-q", "-b", "topic");
    await put("b.ts", "b\n");
    commit("Topic work");
    const onTopic = await loadGitRangeSnapshot({ cwd: repo });
    expect(onTopic.snapshot).toMatchObject({ baseSha: second, baseBranch: "master", branch: "topic" });
  });

  it("says which default bases it tried when none leaves anything to review", async () => {
    await put("a.ts", "one\n");
    commit("Only commit");
    await expect(loadGitRangeSnapshot({ cwd: repo })).rejects.toThrow(
      "no base to compare HEAD with; tried origin/HEAD (not found), main (HEAD has no commits after it), master (not found), HEAD~1 (not found). Pass --base REF.",
    );
  });

  it("accepts SHAs as head and base and leaves the branch out when head is detached", async () => {
    const { baseSha, firstSha } = await buildFeatureRepo();
    const bySha = await loadGitRangeSnapshot({ cwd: repo, base: baseSha, head: firstSha });
    expect(bySha.snapshot).toMatchObject({ baseSha, headSha: firstSha, baseBranch: baseSha, title: "Scope the list to the user" });
    expect(bySha.snapshot.branch).toBeUndefined();
    expect(bySha.snapshot.files.map((file) => file.path)).toEqual(["src/routes.ts"]);

    git("checkout", "-q", "--detach", firstSha);
    const detached = await loadGitRangeSnapshot({ cwd: repo, base: "main" });
    expect(detached.snapshot.branch).toBeUndefined();
    expect(detached.snapshot.headSha).toBe(firstSha);

    const named = await loadGitRangeSnapshot({ cwd: repo, base: "main", head: "claude/export" });
    expect(named.snapshot.branch).toBe("claude/export");
  });

  it("keeps unusual paths exact and does not read a symlink's target as content", async () => {
    await put("README.md", "# r\n");
    commit("Base");
    git("checkout", "-q", "-b", "feature");
    await put("src/my routes/[id] café.ts", "export const id = 1;\n");
    await symlink("../README.md", path.join(repo, "src/readme-link.md"));
    commit("Odd names");

    const { snapshot } = await loadGitRangeSnapshot({ cwd: repo });
    expect(snapshot.files).toEqual([
      expect.objectContaining({ path: "src/my routes/[id] café.ts", status: "added", content: "export const id = 1;\n" }),
      expect.objectContaining({ path: "src/readme-link.md", status: "added", skipReason: "symlink" }),
    ]);
    expect(snapshot.files[1]?.content).toBeUndefined();
  });

  it("reads the unchanged guard files at the head that the changed routes depend on, as context", async () => {
    await put("src/hooks.server.ts", "export const handle = async ({ event, resolve }) => resolve(event);\n");
    await put("server/middleware/auth.ts", "export default defineEventHandler(() => {});\n");
    await put("server/middleware/nested/deep.ts", "export default 1;\n");
    await put("middleware.ts", "export default function middleware() {}\n");
    commit("Base");
    git("checkout", "-q", "-b", "feature");
    await put("src/routes/api/notes/+server.ts", "export async function GET() { return new Response(null); }\n");
    await put("server/api/notes.get.ts", "export default defineEventHandler(() => []);\n");
    await put("src/hooks.server.ts", "export const handle = async ({ event, resolve }) => resolve(event); // changed\n");
    commit("Notes endpoints");

    const { snapshot } = await loadGitRangeSnapshot({ cwd: repo, base: "main" });

    // The changed hook is the PR's own; Next.js's middleware.ts has no changed route depending on it.
    expect(snapshot.files.filter((file) => file.context)).toEqual([{ path: "server/middleware/auth.ts", status: "unchanged", context: true, content: "export default defineEventHandler(() => {});\n", size: 45 }]);
    expect(byPath(snapshot.files, "src/hooks.server.ts")?.context).toBeUndefined();
  });

  it("follows the changed files' imports into the head tree through path aliases, within the limits, never through a link", async () => {
    await put("tsconfig.json", `{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }\n`);
    await put("src/lib/with-team.ts", `import { getSession } from "./session";\nexport const withTeam = (handler) => handler;\n`);
    await put("src/lib/session.ts", `import "./deeper";\nexport const getSession = () => null;\n`);
    await put("src/lib/deeper.ts", "export const deeper = 1;\n");
    await put("src/lib/huge.ts", `export const rows = "${"x".repeat(2_000)}";\n`);
    await symlink("/etc/hostname", path.join(repo, "src/lib/linked.ts"));
    commit("Base");
    git("checkout", "-q", "-b", "feature");
    await put("src/app/api/tags/route.ts", `import { withTeam } from "@/lib/with-team";\nimport { rows } from "../../../lib/huge";\nimport "../../../lib/linked";\nimport "../../../../../etc/passwd";\nexport const POST = withTeam(async () => new Response(rows));\n`);
    commit("Tags endpoint");

    const { snapshot } = await loadGitRangeSnapshot({ cwd: repo, base: "main", maxFileBytes: 1_000, context: { depth: 2, files: 400 } });

    expect(snapshot.files.filter((file) => file.context).map((file) => file.path)).toEqual(["src/lib/with-team.ts", "src/lib/session.ts"]);
    expect(snapshot.context?.unread).toEqual([
      { path: "src/lib/huge.ts", reason: "larger than 1000 bytes" },
      { path: "src/lib/deeper.ts", reason: "deeper than 2 import levels (limits.contextDepth)" },
    ]);
    expect(snapshot.context?.layout.scopes).toEqual([{ dir: "", aliases: [{ prefix: "@/", suffix: "", targets: ["src/*"] }] }]);
    expect(snapshot.context?.notes).toContain("1 import points outside the repository and was not followed.");
  });

  it("titles an empty range after its base", async () => {
    await buildFeatureRepo();
    const { snapshot } = await loadGitRangeSnapshot({ cwd: repo, base: "claude/export" });
    expect(snapshot).toMatchObject({ title: "Changes since claude/export", body: "", commits: [], files: [] });
    expect(snapshot.author).toBeUndefined();
  });

  it("refuses refs that git would read as options, and names refs it cannot find", async () => {
    await buildFeatureRepo();
    await expect(loadGitRangeSnapshot({ cwd: repo, base: "--output=/tmp/x" })).rejects.toThrow('invalid base ref: "--output=/tmp/x"');
    await expect(loadGitRangeSnapshot({ cwd: repo, head: "-p" })).rejects.toThrow('invalid head ref: "-p"');
    await expect(loadGitRangeSnapshot({ cwd: repo, base: "no-such-branch" })).rejects.toThrow("base ref not found: no-such-branch");
    await expect(loadGitRangeSnapshot({ cwd: repo, head: "nope" })).rejects.toThrow("head ref not found: nope");
  });

  it("reports git's reason, in one line, outside a repository", async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), "not-a-repo-"));
    try {
      const failure = loadGitRangeSnapshot({ cwd: outside });
      await expect(failure).rejects.toThrow(/^git rev-parse failed in .*not-a-repo-.*: fatal: not a git repository/);
      await expect(failure).rejects.not.toThrow(/\n/);
      await expect(loadGitRangeSnapshot({ cwd: path.join(outside, "missing") })).rejects.toThrow(`directory not found: ${path.join(outside, "missing")}`);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
