import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadDirectorySnapshot, scanProjectRoot } from "../../src/local/scan.js";

let workspace: string;

beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), "scan-test-"));
});

afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function put(relative: string, content: string | Uint8Array): Promise<void> {
  const absolute = path.join(workspace, relative);
  await mkdir(path.dirname(absolute), { recursive: true });
  await writeFile(absolute, content);
}

describe("loadDirectorySnapshot", () => {
  it("lists every reviewable file as added, sorted, skipping .git and node_modules, without following links", async () => {
    const project = path.join(workspace, "shop");
    await put("shop/src/app.ts", "export const app = 1;\n");
    await put("shop/src/a-b/x.ts", "x\n");
    await put("shop/src/a/x.ts", "y\n");
    await put("shop/node_modules/lib/index.js", "module.exports = 1;\n");
    await put("shop/packages/web/node_modules/dep/index.js", "1\n");
    await put("shop/.git/config", "[core]\n");
    await put("shop/assets/logo.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await put("shop/legacy.txt", Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // latin-1 "café": no NUL, not UTF-8
    await put("shop/huge.sql", "-- big\n".repeat(20));
    await put("outside/secret.ts", "export const secret = 'not for the scan';\n");
    await symlink(path.join(workspace, "outside"), path.join(project, "linked-dir"));
    await symlink(path.join(workspace, "outside/secret.ts"), path.join(project, "linked.ts"));

    const { snapshot, root } = await loadDirectorySnapshot([project], { maxFileBytes: 100 });

    expect(root).toBe(project);
    expect(snapshot).toMatchObject({ repo: "shop", title: "Scan of shop", body: "", labels: [], commits: [], wholeFiles: true });
    expect(snapshot.unlistedFileCount).toBeUndefined();
    expect(snapshot.files).toEqual([
      { path: "assets/logo.png", status: "added", size: 6, skipReason: "binary" },
      { path: "huge.sql", status: "added", size: 140, skipReason: "larger than 100 bytes" },
      { path: "legacy.txt", status: "added", size: 5, skipReason: "binary" },
      { path: "linked-dir", status: "added", skipReason: "symlink" },
      { path: "linked.ts", status: "added", skipReason: "symlink" },
      { path: "src/a-b/x.ts", status: "added", size: 2, content: "x\n" },
      { path: "src/a/x.ts", status: "added", size: 2, content: "y\n" },
      { path: "src/app.ts", status: "added", size: 22, content: "export const app = 1;\n" },
    ]);
  });

  it("skips files over 1,000,000 bytes by default", async () => {
    await put("big.ts", "a".repeat(1_000_001));
    await put("fits.ts", "a".repeat(1_000_000));
    const { snapshot } = await loadDirectorySnapshot([workspace]);
    expect(snapshot.files.map(({ path: filePath, skipReason, size }) => ({ filePath, skipReason, size }))).toEqual([
      { filePath: "big.ts", skipReason: "larger than 1000000 bytes", size: 1_000_001 },
      { filePath: "fits.ts", skipReason: undefined, size: 1_000_000 },
    ]);
  });

  it("stops listing at maxFiles, in path order, and counts the rest", async () => {
    for (const name of ["e", "d", "c", "b", "a"]) await put(`${name}.ts`, `${name}\n`);
    const { snapshot } = await loadDirectorySnapshot([workspace], { maxFiles: 3 });
    expect(snapshot.files.map((file) => file.path)).toEqual(["a.ts", "b.ts", "c.ts"]);
    expect(snapshot.unlistedFileCount).toBe(2);
  });

  it("roots several paths at their common ancestor directory", async () => {
    await put("repo/src/api/users.ts", "u\n");
    await put("repo/src/lib/db.ts", "d\n");
    await put("repo/README.md", "r\n");
    const { snapshot, root } = await loadDirectorySnapshot([path.join(workspace, "repo/src/api"), path.join(workspace, "repo/src/lib/db.ts")]);
    expect(root).toBe(path.join(workspace, "repo/src"));
    expect(snapshot.repo).toBe("src");
    expect(snapshot.files.map((file) => file.path)).toEqual(["api/users.ts", "lib/db.ts"]);
  });

  it("roots a single file at its directory and lists an overlapping path once", async () => {
    await put("app/server.ts", "s\n");
    const file = path.join(workspace, "app/server.ts");
    const { snapshot, root } = await loadDirectorySnapshot([file, path.join(workspace, "app")]);
    expect(root).toBe(path.join(workspace, "app"));
    expect(snapshot.files).toEqual([{ path: "server.ts", status: "added", size: 2, content: "s\n" }]);
  });

  it("takes relative paths from the working directory", async () => {
    await put("rel/x.ts", "x\n");
    const relative = path.relative(process.cwd(), path.join(workspace, "rel"));
    const { root, snapshot } = await loadDirectorySnapshot([relative]);
    expect(root).toBe(path.join(workspace, "rel"));
    expect(snapshot.files.map((file) => file.path)).toEqual(["x.ts"]);
  });

  it("names a path that does not exist", async () => {
    const missing = path.join(workspace, "nope");
    await expect(loadDirectorySnapshot([missing])).rejects.toThrow(`path not found: ${missing}`);
  });

  it("names files from the project root above the scanned folder and reads what they import from outside it as context", async () => {
    await put("mono/.git/HEAD", "ref: refs/heads/main\n");
    await put("mono/package.json", JSON.stringify({ name: "mono", workspaces: ["apps/*", "packages/*"] }));
    await put("mono/apps/server/tsconfig.json", JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@server/*": ["server/*"] } } }));
    await put("mono/apps/server/server/routes/users.ts", 'import { isAuthenticated } from "@server/middleware/auth";\nimport { db } from "@mono/db";\nexport const x = [isAuthenticated, db];\n');
    await put("mono/apps/server/server/middleware/auth.ts", 'import { hashOf } from "../../lib/hash";\nexport const isAuthenticated = hashOf;\n');
    await put("mono/apps/server/lib/hash.ts", "export const hashOf = (s: string) => s;\n");
    await put("mono/packages/db/package.json", JSON.stringify({ name: "@mono/db", main: "src/index.ts" }));
    await put("mono/packages/db/src/index.ts", "export const db = {};\n");
    await put("mono/packages/db/src/secret-unimported.ts", "export const never = 1;\n");
    const scanned = path.join(workspace, "mono/apps/server/server/routes");
    expect(await scanProjectRoot([scanned])).toBe(path.join(workspace, "mono"));
    const { snapshot, root } = await loadDirectorySnapshot([scanned], { context: { depth: 3, files: 50 } });
    expect(root).toBe(path.join(workspace, "mono"));
    expect(snapshot.files.filter((f) => !f.context).map((f) => f.path)).toEqual(["apps/server/server/routes/users.ts"]);
    expect(snapshot.files.filter((f) => f.context).map((f) => f.path).sort()).toEqual([
      "apps/server/lib/hash.ts",
      "apps/server/server/middleware/auth.ts",
      "packages/db/src/index.ts",
    ]);
  });

  it("reads no context past its depth limit, and without the option, none", async () => {
    await put("p/.git/HEAD", "x\n");
    await put("p/src/a.ts", 'import "./b";\n');
    await put("p/lib/b.ts", "export {};\n");
    await put("p/src/b.ts", 'import "../lib/b";\n');
    const { snapshot: plain } = await loadDirectorySnapshot([path.join(workspace, "p/src/a.ts")]);
    expect(plain.files.map((f) => f.path)).toEqual(["src/a.ts"]);
    const { snapshot: one } = await loadDirectorySnapshot([path.join(workspace, "p/src/a.ts")], { context: { depth: 1, files: 50 } });
    expect(one.files.map((f) => f.path)).toEqual(["src/a.ts", "src/b.ts"]);
  });
});
