import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Project, ts } from "ts-morph";

/**
 * Independent oracles for fixes, apart from the engine's own gate: the full TypeScript compiler
 * (with its standard library) over the whole PR, and `git apply --check` in a throwaway repository.
 */

/** "Cannot find name" and its variants: a name used that nothing declares. */
const MISSING_NAME_CODES = new Set([2304, 2552, 18004, 2582, 2580]);

/** The server runtime's globals beyond the language's own (Node and the web platform APIs it has). */
const RUNTIME_GLOBALS = ["process", "Buffer", "console", "URL", "URLSearchParams", "Request", "Response", "Headers", "fetch", "TextEncoder", "TextDecoder", "crypto", "setTimeout", "clearTimeout", "require", "module", "window"]
  .map((name) => `declare var ${name}: any;`)
  .join("\n");

export interface CompileProblems {
  syntax: string[];
  missingNames: string[];
}

/**
 * Compiles `files` (path → content) with lib types but without packages: returns the syntax errors
 * and the names nothing declares, in `path` only. Unresolved package imports are not problems here.
 */
export function compileProblems(files: Record<string, string>, path: string): CompileProblems {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], allowJs: true, checkJs: true, strict: false, noEmit: true, jsx: ts.JsxEmit.Preserve, baseUrl: "/", paths: { "@/*": ["./*"] } } });
  project.createSourceFile("/__runtime.d.ts", RUNTIME_GLOBALS);
  for (const [p, content] of Object.entries(files)) if (/\.(c|m)?[jt]sx?$/.test(p)) project.createSourceFile(`/${p}`, content, { overwrite: true });
  const program = project.getProgram().compilerObject;
  const sf = program.getSourceFile(`/${path}`);
  if (!sf) throw new Error(`not compiled: ${path}`);
  const flatten = (d: ts.Diagnostic) => `${ts.flattenDiagnosticMessageText(d.messageText, " ")}${d.start !== undefined ? ` (line ${sf.getLineAndCharacterOfPosition(d.start).line + 1})` : ""}`;
  return {
    syntax: program.getSyntacticDiagnostics(sf).map(flatten),
    missingNames: program
      .getSemanticDiagnostics(sf)
      .filter((d) => MISSING_NAME_CODES.has(d.code))
      .map(flatten),
  };
}

/** Runs `git apply --check` (and optionally applies) `patch` on a repository holding `files`; returns git's stderr on failure. */
export function gitApply(files: Record<string, string>, patch: string, options: { apply?: boolean } = {}): { ok: boolean; error: string; files: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "fix-oracle-"));
  try {
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
    git("init", "-q");
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    git("add", "-A");
    git("commit", "-q", "-m", "head");
    writeFileSync(join(dir, ".patch"), patch);
    try {
      git("apply", "--check", ".patch");
      if (options.apply) git("apply", ".patch");
    } catch (error) {
      return { ok: false, error: String((error as { stderr?: string }).stderr ?? error), files: {} };
    }
    const out: Record<string, string> = {};
    if (options.apply) {
      for (const p of git("ls-files", "--others", "--cached", "--exclude-standard").split("\n").filter((l) => l && l !== ".patch")) out[p] = execFileSync("cat", [join(dir, p)], { encoding: "utf8" });
    }
    return { ok: true, error: "", files: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
