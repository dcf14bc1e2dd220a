/**
 * The three things timed over the same files: the review engine (built, from dist/), the parse
 * floor (TypeScript's createSourceFile, from the compiler ts-morph bundles, i.e. the very parser
 * the engine runs), and the peer (ESLint with eslint-plugin-security and @microsoft/eslint-plugin-sdl
 * on typescript-eslint's parser, as a CI job would run it).
 */
import { ESLint } from "eslint";
import sdl from "@microsoft/eslint-plugin-sdl";
import security from "eslint-plugin-security";
import { ts } from "ts-morph";
import tseslint from "typescript-eslint";
import { DEFAULT_CONFIG } from "../dist/config/schema.js";
import { reviewSnapshot } from "../dist/review/review.js";
import { parseSource } from "../dist/review/analysis/parse.js";
import { collectFileFacts } from "../dist/review/analysis/facts.js";

export function runEngine(snapshot) {
  return reviewSnapshot(snapshot, DEFAULT_CONFIG);
}

const SCRIPT_KINDS = { ".ts": ts.ScriptKind.TS, ".tsx": ts.ScriptKind.TSX, ".js": ts.ScriptKind.JS, ".jsx": ts.ScriptKind.JSX };

/** Parses every file once, as the engine does (parent pointers set); returns the node count so nothing is optimised away. */
export function runFloor(files) {
  let statements = 0;
  for (const file of files) {
    const kind = SCRIPT_KINDS[file.path.slice(file.path.lastIndexOf("."))] ?? ts.ScriptKind.TS;
    const sourceFile = ts.createSourceFile(file.path, file.content, ts.ScriptTarget.Latest, true, kind);
    statements += sourceFile.statements.length;
  }
  return statements;
}

/**
 * The floor with every tree kept until all files are parsed, as an analysis that follows names across
 * files must keep them: each tree then survives the young-generation collections and is copied as it
 * is promoted, a cost the plain floor (each tree dropped at once) never pays. Informational: the
 * targets are against the plain floor.
 */
export function runFloorKept(files) {
  const trees = [];
  for (const file of files) {
    const kind = SCRIPT_KINDS[file.path.slice(file.path.lastIndexOf("."))] ?? ts.ScriptKind.TS;
    trees.push(ts.createSourceFile(file.path, file.content, ts.ScriptTarget.Latest, true, kind));
  }
  return trees.reduce((sum, tree) => sum + tree.statements.length, 0);
}

/**
 * The engine's front end alone: each file parsed as the engine parses it and walked once by the facts
 * walk (parent pointers, imports, bindings, functions, calls, field evidence), with each tree dropped
 * at once (`keep` false: what a streaming engine would pay before its rules) or every tree and its
 * facts kept (`keep` true: what this engine pays before its rules). Informational.
 */
export function runFrontEnd(files, keep) {
  const kept = [];
  let calls = 0;
  for (const file of files) {
    const facts = collectFileFacts(parseSource(file.path, file.content, false), undefined, file.path);
    calls += facts.calls.length;
    if (keep) kept.push(facts);
  }
  return calls + kept.length;
}

/** sdl's `recommended` registers its own copy of eslint-plugin-security without rules; the top-level plugin's `recommended` supplies them. */
export function createPeer(cwd) {
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    cache: false,
    overrideConfig: [
      ...sdl.configs.recommended.filter((config) => !config.plugins?.security),
      security.configs.recommended,
      { files: ["**/*.ts", "**/*.tsx", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"], languageOptions: { parser: tseslint.parser } },
    ],
  });
}

/** Lints each file's text (no disk reads: the peer pays no I/O the engine does not); returns the message count. */
export async function runPeer(eslint, cwd, files) {
  let messages = 0;
  for (const file of files) {
    const [result] = await eslint.lintText(file.content, { filePath: `${cwd}/${file.path}` });
    if (result.fatalErrorCount > 0) throw new Error(`the peer could not parse ${file.path}: ${result.messages[0]?.message}`);
    messages += result.messages.length;
  }
  return messages;
}
