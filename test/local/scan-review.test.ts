import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { DEFAULT_CONFIG, parseConfig } from "../../src/config/schema.js";
import { MAX_SCAN_DEPTH } from "../../src/local/scan.js";
import { planScanChunks, scanRepository } from "../../src/local/scan-review.js";
import type { Review } from "../../src/review/types.js";

let workspace: string;

beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), "scan-chunks-"));
  // A `.git` folder makes the workspace the project root, whatever lies above the temp folder.
  await mkdir(path.join(workspace, ".git"));
});

afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function put(files: Record<string, string>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(workspace, relative);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/** The whole review but the note that says how it was split. */
function outcome(review: Review) {
  const { notes, ...rest } = review;
  return { ...rest, notes: notes.filter((note) => !note.startsWith("Reviewed in ")) };
}

const TSCONFIG = JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } });

/** A route whose guard lives in another folder, one without a guard, and a module both import that has a finding of its own. */
const SEAM = {
  "tsconfig.json": TSCONFIG,
  "app/api/projects/route.ts": `import { requireUser } from "@/lib/guard";
import { db, readToken } from "@/lib/db";

export async function DELETE(request: Request) {
  await requireUser();
  const { id } = await request.json();
  await db.project.delete({ where: { id } });
  return Response.json({ ok: true, token: readToken(request) });
}
`,
  "app/api/tasks/route.ts": `import { db, readToken } from "@/lib/db";

export async function DELETE(request: Request) {
  const { id } = await request.json();
  await db.task.delete({ where: { id } });
  return Response.json({ ok: true, token: readToken(request) });
}
`,
  "lib/guard.ts": `import { getServerSession } from "next-auth";

export async function requireUser() {
  const session = await getServerSession();
  if (!session) throw new Response("Unauthorized", { status: 401 });
  return session.user;
}
`,
  "lib/db.ts": `import jwt from "jsonwebtoken";
import { PrismaClient } from "@prisma/client";

export const db = new PrismaClient();

export function readToken(request: Request) {
  return jwt.decode(request.headers.get("authorization") ?? "");
}
`,
  "README.md": "# Seams\n",
};

describe("scanRepository: a repository reviewed in chunks", () => {
  it("gives the single review's findings, surface and classification on the demo app split into several chunks", async () => {
    await cp(path.join(import.meta.dirname, "../../fixtures/demo/files"), workspace, { recursive: true });
    const single = await scanRepository([workspace], DEFAULT_CONFIG);
    expect(single.chunks).toBe(1);
    expect(single.review.findings.length).toBeGreaterThan(3);
    for (const chunkFiles of [1, 2, 3]) {
      const chunked = await scanRepository([workspace], DEFAULT_CONFIG, { chunkFiles });
      expect(chunked.chunks).toBeGreaterThan(1);
      expect(outcome(chunked.review)).toEqual(outcome(single.review));
      expect(chunked.review.notes).toContain(`Reviewed in ${chunked.chunks} parts of at most ${chunkFiles} source files (limits.maxFiles), grouped by folder; each part read the code it imports as context.`);
    }
  });

  it("credits a guard imported from another chunk, and reports a module several chunks read as context once", async () => {
    await put(SEAM);
    const single = await scanRepository([workspace], DEFAULT_CONFIG);
    const chunked = await scanRepository([workspace], DEFAULT_CONFIG, { chunkFiles: 1 });
    expect(chunked.chunks).toBe(4);
    // The one difference: a fix names the guard the project uses elsewhere only when its chunk saw that guard in use.
    const withoutFix = (review: Review) => ({ ...outcome(review), findings: review.findings.map(({ fix: _fix, draft: _draft, ...finding }) => finding) });
    expect(withoutFix(chunked.review)).toEqual(withoutFix(single.review));
    const where = chunked.review.findings.map((finding) => `${finding.ruleId} ${finding.path}:${finding.line}`);
    expect(where.filter((entry) => entry.startsWith("ingress/missing-auth"))).toEqual(["ingress/missing-auth app/api/tasks/route.ts:3"]);
    expect(where.filter((entry) => entry.startsWith("auth/jwt-decode-without-verify"))).toEqual(["auth/jwt-decode-without-verify lib/db.ts:7"]);
    // Every file was analysed in its own chunk: none is named as context that was not reviewed.
    expect(chunked.review.notes.some((note) => note.startsWith("Read to understand"))).toBe(false);
    expect(chunked.review.analysed).toEqual(["app/api/projects/route.ts", "app/api/tasks/route.ts", "lib/db.ts", "lib/guard.ts"]);
  });

  it("reads the middleware of another chunk as the guard in front of a chunk's routes", async () => {
    await put({
      "tsconfig.json": TSCONFIG,
      "app/api/notes/route.ts": SEAM["app/api/tasks/route.ts"].replace(/task/g, "note"),
      "lib/db.ts": SEAM["lib/db.ts"],
      "middleware.ts": `import { NextResponse } from "next/server";
import { auth } from "@/auth";
export default auth((req) => {
  if (!req.auth) return NextResponse.redirect(new URL("/login", req.url));
});
export const config = { matcher: ["/api/notes/:path*"] };
`,
    });
    const single = await scanRepository([workspace], DEFAULT_CONFIG);
    const chunked = await scanRepository([workspace], DEFAULT_CONFIG, { chunkFiles: 1 });
    expect(chunked.chunks).toBe(3);
    expect(outcome(chunked.review)).toEqual(outcome(single.review));
    expect(chunked.review.findings.filter((finding) => finding.ruleId === "ingress/missing-auth")).toEqual([]);
  });

  it("reports findings only in the scanned files: code they import from outside the scanned paths is context", async () => {
    await put(SEAM);
    const scanned = await scanRepository([path.join(workspace, "app")], DEFAULT_CONFIG, { chunkFiles: 1 });
    expect(scanned.review.analysed).toEqual(["app/api/projects/route.ts", "app/api/tasks/route.ts"]);
    expect(scanned.review.findings.map((finding) => finding.path)).toEqual(["app/api/tasks/route.ts"]);
    const read = scanned.review.notes.find((note) => note.startsWith("Read to understand"));
    expect(read?.replace(/.*: /, "").replace(/\.$/, "").split(", ").sort()).toEqual(["lib/db.ts", "lib/guard.ts"]);
  });

  it("lists at most limits.scanFiles files and says how many it left out, making the review incomplete", async () => {
    await put({ "a.ts": "export const a = 1;\n", "b.ts": "export const b = 2;\n", "c/d.ts": "export const d = 3;\n", "c/e.ts": "export const e = 4;\n" });
    const { review } = await scanRepository([workspace], parseConfig({ limits: { scanFiles: 3 } }));
    expect(review.analysed).toEqual(["a.ts", "b.ts", "c/d.ts"]);
    expect(review.incomplete).toContain("1 files past the first 3 (limits.scanFiles) were not listed and not reviewed.");
    expect(review.notes).toContain("1 files past the first 3 (limits.scanFiles) were not listed and not reviewed.");
  });

  it("stops counting far past the cap, so a huge tree is walked a bounded way", async () => {
    await put(Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`f${String(index).padStart(2, "0")}.ts`, "export {};\n"])));
    const { review } = await scanRepository([workspace], parseConfig({ limits: { scanFiles: 2 } }));
    expect(review.analysed).toEqual(["f00.ts", "f01.ts"]);
    expect(review.incomplete).toContain("More than 20 files past the first 2 (limits.scanFiles) were not listed and not reviewed.");
  });

  it("notes folders deeper than the walk goes, and reviews the rest", async () => {
    const deep = Array.from({ length: MAX_SCAN_DEPTH + 2 }, (_, index) => `d${index}`).join("/");
    await put({ "top.ts": "export const top = 1;\n", [`${deep}/hidden.ts`]: "export const hidden = 1;\n" });
    const { review } = await scanRepository([workspace], DEFAULT_CONFIG);
    expect(review.analysed).toEqual(["top.ts"]);
    expect(review.incomplete).toContain(`1 folder deeper than ${MAX_SCAN_DEPTH} levels was not listed and not reviewed.`);
  });
});

describe("planScanChunks", () => {
  it("keeps a folder that fits in one chunk and packs folders in path order", () => {
    const paths = ["app/api/a/route.ts", "app/api/b/route.ts", "app/page.tsx", "lib/auth.ts", "lib/db.ts", "package.json"];
    // Files of other languages ride along without counting: the root's package.json goes with the first folder.
    expect(planScanChunks(paths, 3)).toEqual([["app/api/a/route.ts", "app/api/b/route.ts", "app/page.tsx", "package.json"], ["lib/auth.ts", "lib/db.ts"]]);
    expect(planScanChunks(["z.ts", ...paths.slice(0, 5)], 3)).toEqual([["app/api/a/route.ts", "app/api/b/route.ts", "app/page.tsx"], ["lib/auth.ts", "lib/db.ts"], ["z.ts"]]);
    expect(planScanChunks(paths, 6)).toEqual([paths]);
  });

  it("splits a folder too large for one chunk into its own files and its subfolders", () => {
    const paths = ["src/a.ts", "src/b.ts", "src/c.ts", "src/d.ts", "src/e.ts", "src/notes.md", "src/x/y.ts", "src/x/z.ts"];
    expect(planScanChunks(paths, 2)).toEqual([["src/a.ts", "src/b.ts"], ["src/c.ts", "src/d.ts"], ["src/e.ts", "src/notes.md"], ["src/x/y.ts", "src/x/z.ts"]]);
  });

  it("gives one empty chunk for an empty scan, and never a chunk over the size in source files", () => {
    expect(planScanChunks([], 5)).toEqual([[]]);
    const paths = Array.from({ length: 50 }, (_, index) => `m${index % 7}/f${index}.ts`).sort();
    const chunks = planScanChunks(paths, 4);
    expect(chunks.flat().sort()).toEqual(paths);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(4);
  });
});

describe("security-review scan in chunks", () => {
  it("exits as the single review does: 1 on a finding, 0 on clean code, 1 when the listing was cut unless incomplete is allowed", async () => {
    await put({ ...SEAM, ".github/security-review.yml": "limits:\n  maxFiles: 1\n" });
    const failing = await main(["scan", workspace, "--format", "json"]);
    expect(failing.code).toBe(1);
    const report = JSON.parse(failing.stdout) as { verdict: string; notes: string[] };
    expect(report.verdict).toBe("fail");
    expect(report.notes).toContainEqual(expect.stringMatching(/^Reviewed in 4 parts/));

    await rm(workspace, { recursive: true, force: true });
    await mkdir(path.join(workspace, ".git"), { recursive: true });
    await put({ "a/x.ts": "export const x = 1;\n", "b/y.ts": "export const y = 2;\n", "c/z.ts": "export const z = 3;\n", ".github/security-review.yml": "limits:\n  maxFiles: 1\n" });
    expect((await main(["scan", workspace])).code).toBe(0);
    await put({ ".github/security-review.yml": "limits:\n  maxFiles: 1\n  scanFiles: 2\n" });
    expect((await main(["scan", workspace])).code).toBe(1);
    await put({ ".github/security-review.yml": "incomplete: allow\nlimits:\n  maxFiles: 1\n  scanFiles: 2\n" });
    expect((await main(["scan", workspace])).code).toBe(0);
  });
});
