import { describe, expect, it } from "vitest";
import { loadImportContext, type ContextRead, type ContextReader } from "../../src/review/context-imports.js";
import { buildModuleLayout, EMPTY_LAYOUT, importedSpecifiers, layoutConfigPaths, normaliseRepoPath, resolveImport } from "../../src/review/module-layout.js";

/** A head tree in memory; `reads` records each level's batch, so rounds are counted. */
function tree(files: Record<string, string | ContextRead>): ContextReader & { reads: string[][] } {
  const reads: string[][] = [];
  return {
    reads,
    exists: (path) => Object.hasOwn(files, path),
    read: async (paths) => {
      reads.push(paths);
      return new Map(paths.map((path) => {
        const entry = files[path];
        return [path, typeof entry === "string" ? { content: entry } : (entry ?? { skipReason: "missing" })] as const;
      }));
    },
  };
}

const limits = { depth: 3, files: 400 };

describe("module layout", () => {
  it("resolves tsconfig path aliases from the nearest config, through extends, relative to its baseUrl", () => {
    const layout = buildModuleLayout(
      new Map([
        ["tsconfig.base.json", `{ // comments are allowed\n "compilerOptions": { "baseUrl": ".", "paths": { "@acme/*": ["packages/*/src"] } } }`],
        ["apps/web/tsconfig.json", `{ "extends": "../../tsconfig.base.json", "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"], "~server": ["./src/server/index.ts"] } } }`],
        ["apps/api/tsconfig.json", `{ "extends": "../../tsconfig.base.json" }`],
        ["packages/db/package.json", `{ "name": "@acme/db", "main": "dist/index.js" }`],
        ["package.json", `{ "name": "root", "workspaces": ["apps/*", "packages/*"] }`],
      ]),
    );
    const files = new Set(["apps/web/src/lib/auth.ts", "apps/web/src/server/index.ts", "packages/db/src/index.ts", "packages/db/src/schema/users.ts", "packages/ui/src/index.tsx"]);
    const exists = (path: string) => files.has(path);
    expect(resolveImport("apps/web/src/app/api/route.ts", "@/lib/auth", layout, exists)).toBe("apps/web/src/lib/auth.ts");
    expect(resolveImport("apps/web/src/app/api/route.ts", "~server", layout, exists)).toBe("apps/web/src/server/index.ts");
    // apps/api inherits the base's aliases, relative to the base's baseUrl; apps/web's own paths replace them.
    expect(resolveImport("apps/api/src/main.ts", "@acme/ui", layout, exists)).toBe("packages/ui/src/index.tsx");
    // A workspace package by its name: the built entry stands for its source, a subpath below src/.
    expect(resolveImport("apps/api/src/main.ts", "@acme/db", layout, exists)).toBe("packages/db/src/index.ts");
    expect(resolveImport("apps/web/src/app/api/route.ts", "@acme/db/schema/users", layout, exists)).toBe("packages/db/src/schema/users.ts");
    // An ESM `.js` specifier names the `.ts` source.
    expect(resolveImport("apps/web/src/app/api/route.ts", "../../lib/auth.js", layout, exists)).toBe("apps/web/src/lib/auth.ts");
    expect(resolveImport("apps/web/src/app/api/route.ts", "next/server", layout, exists)).toBeUndefined();
  });

  it("never names a path outside the repository", () => {
    expect(normaliseRepoPath("a/../../etc/passwd")).toBeUndefined();
    expect(normaliseRepoPath("/etc/passwd")).toBeUndefined();
    expect(normaliseRepoPath("a/./b/../c.ts")).toBe("a/c.ts");
    const everything = () => true;
    expect(resolveImport("src/app/route.ts", "../../../../etc/passwd", EMPTY_LAYOUT, everything)).toBeUndefined();
    const hostile = buildModuleLayout(new Map([["tsconfig.json", `{ "compilerOptions": { "paths": { "@x/*": ["../../outside/*", "/etc/*"] } } }`]]));
    expect(hostile.scopes).toEqual([]);
    expect(resolveImport("src/a.ts", "@x/passwd", hostile, everything)).toBeUndefined();
  });

  it("leaves unparseable configs out and keeps config files shallow-first and outside build output", () => {
    expect(buildModuleLayout(new Map([["tsconfig.json", "{ not json"], ["pkg/package.json", "[]"]]))).toEqual({ scopes: [], packages: {} });
    expect(layoutConfigPaths(["node_modules/x/package.json", "apps/web/tsconfig.json", "tsconfig.json", "dist/tsconfig.json", "src/index.ts"])).toEqual(["tsconfig.json", "apps/web/tsconfig.json"]);
  });

  it("lists imports, re-exports, requires and dynamic imports", () => {
    const text = `import a from "./a"; export * from "./b"; const c = require("./c"); const d = await import("./d"); import type { E } from "./e";`;
    expect(importedSpecifiers(text).sort()).toEqual(["./a", "./b", "./c", "./d", "./e"]);
  });
});

describe("import context", () => {
  it("follows imports breadth first, one read per level, up to the depth limit, and keeps what it could not read", async () => {
    const reader = tree({
      "app/api/route.ts": `import { withTeam } from "../../lib/team";`,
      "lib/team.ts": `import { auth } from "./auth"; import { db } from "./db";`,
      "lib/auth.ts": `import { session } from "./session";`,
      "lib/db.ts": `export const db = {};`,
      "lib/session.ts": `import { deep } from "./deep";`,
      "lib/deep.ts": `export const deep = 1;`,
    });
    const { files, context } = await loadImportContext([{ path: "app/api/route.ts", content: `import { withTeam } from "../../lib/team";` }], EMPTY_LAYOUT, reader, limits, new Set(["app/api/route.ts"]));
    expect(files.map((f) => f.path)).toEqual(["lib/team.ts", "lib/auth.ts", "lib/db.ts", "lib/session.ts"]);
    expect(files.every((f) => f.context && f.status === "unchanged")).toBe(true);
    expect(reader.reads).toEqual([["lib/team.ts"], ["lib/auth.ts", "lib/db.ts"], ["lib/session.ts"]]);
    expect(context.unread).toEqual([{ path: "lib/deep.ts", reason: "deeper than 3 import levels (limits.contextDepth)" }]);
    expect(context.notes[0]).toMatch(/^1 module the reviewed code imports could not be read/);
  });

  it("ends a cycle of a thousand modules within the file limit, never re-reading one", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 1000; index++) files[`m/${index}.ts`] = `import "./${(index + 1) % 1000}"; import "./${index}";`;
    const reader = tree(files);
    const result = await loadImportContext([{ path: "m/0.ts", content: files["m/0.ts"]! }], EMPTY_LAYOUT, reader, { depth: 10_000, files: 50 }, new Set(["m/0.ts"]));
    expect(result.files).toHaveLength(50);
    expect(new Set(reader.reads.flat()).size).toBe(reader.reads.flat().length);
    expect(result.context.unread).toEqual([{ path: "m/51.ts", reason: "past 50 context files (limits.contextFiles)" }]);
  });

  it("does not follow imports out of the repository, and notes files it could not read (too large, binary)", async () => {
    const reader = tree({
      "src/route.ts": "",
      "src/generated/schema.ts": { skipReason: "too large (52428800 bytes; limit 1000000)" },
    });
    const content = `import "../../../../etc/passwd"; import { schema } from "./generated/schema"; import x from "lodash";`;
    const { files, context } = await loadImportContext([{ path: "src/route.ts", content }], EMPTY_LAYOUT, reader, limits, new Set(["src/route.ts"]));
    expect(files).toEqual([]);
    expect(reader.reads).toEqual([["src/generated/schema.ts"]]);
    expect(context.unread).toEqual([{ path: "src/generated/schema.ts", reason: "too large (52428800 bytes; limit 1000000)" }]);
    expect(context.notes).toContain("1 import points outside the repository and was not followed.");
  });

  it("reads nothing with a depth of 0, and never re-reads files the snapshot has", async () => {
    const reader = tree({ "a.ts": `import "./b";`, "b.ts": `import "./a";` });
    expect((await loadImportContext([{ path: "a.ts", content: `import "./b";` }], EMPTY_LAYOUT, reader, { depth: 0, files: 400 }, new Set(["a.ts"]))).files).toEqual([]);
    const known = await loadImportContext([{ path: "a.ts", content: `import "./b";` }], EMPTY_LAYOUT, reader, limits, new Set(["a.ts", "b.ts"]));
    expect(known.files).toEqual([]);
    expect(reader.reads).toEqual([]);
  });
});
