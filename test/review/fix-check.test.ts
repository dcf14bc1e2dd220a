import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { collectFileFacts } from "../../src/review/analysis/facts.js";
import { parseSource } from "../../src/review/analysis/parse.js";
import { checkPatchedSource, checkReplacement, checkReplacementsTogether, sampleForLanguage } from "../../src/review/fix-check.js";

const handler = [
  'import { requireAuth } from "@/lib/auth/session";',
  "",
  "export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }) {",
  "  await requireAuth();",
  "  const { id } = await params;",
  "  await db.delete(id);",
  "}",
].join("\n");

describe("checkReplacement", () => {
  it("accepts a fix whose names are declared, imported or global", () => {
    const result = checkReplacement("app/route.ts", handler, { startLine: 6, endLine: 6, text: '  await db.delete(id);\n  console.info({ id, at: new Date().toISOString() }, "deleted");' });
    expect(result).toEqual({ ok: true, undefinedNames: [] });
  });

  it("names what a fix uses that does not exist at that point", () => {
    const result = checkReplacement("app/route.ts", handler, { startLine: 6, endLine: 6, text: '  await db.delete(id);\n  void logAdminAction({ actorId: session.userId, targetId }).catch(() => {});' });
    expect(result).toEqual({ ok: false, undefinedNames: ["logAdminAction", "session", "targetId"] });
  });

  it("does not count a name the original file already used undeclared (a project global)", () => {
    expect(checkReplacement("app/route.ts", handler, { startLine: 6, endLine: 6, text: "  await db.delete(id, { force: true });" }).ok).toBe(true);
  });

  it("refuses a fix for a one-line handler inserted outside the function", () => {
    const express = ['import { Router } from "express";', "const r = Router();", 'r.get("/go", (req, res) => res.redirect(req.query.next));'].join("\n");
    const result = checkReplacement("routes.js", express, { startLine: 3, endLine: 3, text: 'if (!String(req.query.next).startsWith("/")) throw new Error("bad");\nr.get("/go", (req, res) => res.redirect(req.query.next));' });
    expect(result.ok).toBe(false);
    expect(result.undefinedNames).toEqual(["req"]);
  });

  it("refuses type syntax in a JavaScript file", () => {
    const result = checkReplacement("lib/a.js", "const a = 1;\nexport { a };", { startLine: 1, endLine: 1, text: "const a: number = 1;" });
    expect(result.ok).toBe(false);
    expect(result.parseError).toMatch(/only be used in TypeScript files/);
  });

  it("refuses a fix that does not parse", () => {
    expect(checkReplacement("a.ts", "const a = 1;", { startLine: 1, endLine: 1, text: "const a = (1;" }).parseError).toBeDefined();
  });

  it("refuses lines that are not in the file, and languages it cannot check", () => {
    expect(checkReplacement("a.ts", "const a = 1;", { startLine: 3, endLine: 3, text: "x" }).ok).toBe(false);
    expect(checkPatchedSource("m.sql", "select 1;", [{ startLine: 1, endLine: 1 }]).ok).toBe(false);
  });

  it("does not take keys, members, labels or types for names", () => {
    const text = ["export function f(o: { a: number }) {", "  return o.a;", "}"].join("\n");
    const result = checkReplacement("a.ts", text, { startLine: 2, endLine: 2, text: "  const out: Record<string, Thing> = { key: o.a, [o.a]: 1 };\n  outer: for (const k of Object.keys(out)) { if (k) break outer; }\n  return o.a;" });
    expect(result).toEqual({ ok: true, undefinedNames: [] });
  });

  it("checks the value of a shorthand property", () => {
    expect(checkReplacement("a.ts", "const a = 1;", { startLine: 1, endLine: 1, text: "const a = { targetId };" }).undefinedNames).toEqual(["targetId"]);
  });
});

describe("the review's own tree of the file", () => {
  /** The tree as the review keeps it: parsed without parent pointers, which the facts walk sets. */
  const reviewTree = (path: string, text: string) => collectFileFacts(parseSource(path, text, false), undefined, path).sourceFile;
  const fix = { startLine: 6, endLine: 6, text: "  await db.delete(id, { force: true });" };

  it("answers as the text does for the names the file already uses undeclared", () => {
    expect(checkReplacement("app/route.ts", handler, fix, reviewTree("app/route.ts", handler))).toEqual(checkReplacement("app/route.ts", handler, fix));
    expect(checkReplacementsTogether("app/route.ts", handler, [fix, { startLine: 4, endLine: 4, text: "  await requireAuth(db);" }], reviewTree("app/route.ts", handler))).toEqual([
      { ok: true, undefinedNames: [] },
      { ok: true, undefinedNames: [] },
    ]);
  });

  it("is not used for a different text of the file", () => {
    // A tree without `db`: were it read, `db` would count as a name the fix added.
    const other = handler.replace("await db.delete(id);", "return id;");
    expect(checkReplacement("app/route.ts", handler, fix, reviewTree("app/route.ts", other))).toEqual({ ok: true, undefinedNames: [] });
  });
});

describe("syntax errors of a TypeScript file", () => {
  it("are the first the compiler reports for the file, with its line", () => {
    const broken = ["const a = (1;", "function f( {\n}", "export const x = 1;\nlet y = ;\nlet z = 2 +;", "if (ready {\n  go();\n}", "const el = <div>{x</div>;"];
    for (const [text, path] of broken.flatMap((t) => [[t, "a.ts"], [t, "a.tsx"]] as const)) {
      const [first] = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { jsx: ts.JsxEmit.Preserve } }).diagnostics ?? [];
      const line = text.slice(0, first!.start).split("\n").length;
      expect(checkPatchedSource(path, text, [{ startLine: 1, endLine: 1 }]).parseError).toBe(`${ts.flattenDiagnosticMessageText(first!.messageText, " ")} (line ${line})`);
    }
  });
});

describe("sampleForLanguage", () => {
  const sample = 'export function safeNext(value: unknown, fallback = "/"): string {\n  return typeof value === "string" ? value : fallback;\n}';
  it("keeps a TypeScript sample for a TypeScript file", () => {
    expect(sampleForLanguage(sample, "app/route.ts")).toBe(sample);
  });
  it("strips the types of a sample for a JavaScript file", () => {
    const js = sampleForLanguage(sample, "routes/auth.js")!;
    expect(js).toContain("export function safeNext(value, fallback = \"/\") {");
    expect(checkPatchedSource("x.js", js, [{ startLine: 1, endLine: 3 }]).ok).toBe(true);
  });
});

describe("checkReplacementsTogether", () => {
  const text = ["export async function f(id: string) {", "  await db.delete(id);", "  log(id);", "}"].join("\n");
  it("checks each replacement's own names with one parse of the file with all of them", () => {
    const checks = checkReplacementsTogether("a.ts", text, [
      { startLine: 3, endLine: 3, text: "  log({ id, who: actor });" },
      { startLine: 2, endLine: 2, text: "  await guard();\n  await db.delete(id);" },
    ]);
    // `db` and `log` are the file's own undeclared names already: only what each fix adds counts.
    expect(checks).toEqual([
      { ok: false, undefinedNames: ["actor"] },
      { ok: false, undefinedNames: ["guard"] },
    ]);
  });
  it("declines when replacements overlap, declare names, or the joint file does not parse", () => {
    expect(checkReplacementsTogether("a.ts", text, [{ startLine: 2, endLine: 3, text: "x();" }, { startLine: 3, endLine: 3, text: "y();" }])).toBeUndefined();
    expect(checkReplacementsTogether("a.ts", text, [{ startLine: 2, endLine: 2, text: "  const actor = 1;" }, { startLine: 3, endLine: 3, text: "  log(actor);" }])).toBeUndefined();
    expect(checkReplacementsTogether("a.ts", text, [{ startLine: 2, endLine: 2, text: "  (" }, { startLine: 3, endLine: 3, text: "  log(id);" }])).toBeUndefined();
  });
});

describe("hostile input", () => {
  it("a file nested too deep to parse: the fix is not offered, the review goes on", () => {
    const deep = `export const x = ${"1 + ".repeat(60_000)}1;\nexport function f(id: string) {\n  return id;\n}\n`;
    // An unknown name makes the gate read the whole original file's scopes: deep enough to overflow a recursive walk.
    const result = checkReplacement("deep.ts", deep, { startLine: 3, endLine: 3, text: "  return String(missingName);" });
    expect(result.ok).toBe(false);
    expect(sampleForLanguage(`const y = ${"(".repeat(20_000)}1${")".repeat(20_000)};`, "a.js")).toBeUndefined();
  });
});
