import { ts } from "ts-morph";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { JSDocParsingMode, ScriptKind, ScriptTarget, createSourceFile } = ts;

const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ScriptTarget.Latest, jsDocParsingMode: JSDocParsingMode.ParseNone };

export type Language = "ts" | "js" | "sql" | "prisma";

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ".ts": ScriptKind.TS,
  ".mts": ScriptKind.TS,
  ".cts": ScriptKind.TS,
  ".tsx": ScriptKind.TSX,
  ".js": ScriptKind.JS,
  ".mjs": ScriptKind.JS,
  ".cjs": ScriptKind.JS,
  ".jsx": ScriptKind.JSX,
};

function extensionOf(path: string): string {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash ? path.slice(dot).toLowerCase() : "";
}

/** The compiler's script kind for a JavaScript or TypeScript file, or undefined for other files. */
export function scriptKindOf(path: string): ts.ScriptKind | undefined {
  return SCRIPT_KINDS[extensionOf(path)];
}

/** The language the engine analyses a file as, or undefined when it does not analyse that kind of file. */
export function languageOf(path: string): Language | undefined {
  const ext = extensionOf(path);
  if (ext === ".ts" || ext === ".tsx" || ext === ".mts" || ext === ".cts") return "ts";
  if (ext === ".js" || ext === ".jsx" || ext === ".mjs" || ext === ".cjs") return "js";
  if (ext === ".sql") return "sql";
  if (ext === ".prisma") return "prisma";
  return undefined;
}

/**
 * Parses one file with the TypeScript compiler bundled in ts-morph. Without `setParentNodes` the
 * nodes have no `parent` until {@link collectFileFacts} walks the tree (it sets them as it goes,
 * sparing the parser's own full walk for parent pointers). The engine walks compiler nodes
 * directly (one walk per file): ts-morph's wrappers cost more than the parse itself on large PRs, and
 * checks that want them can wrap a node with ts-morph's `createWrappedNode`. JSDoc comments are
 * scanned as plain comments, not parsed into tags: no check reads them (waivers and provenance
 * markers are read from the text), and a tag parse per doc comment is up to a fifth of parsing a
 * well-documented file.
 */
export function parseSource(path: string, text: string, setParentNodes = true): ts.SourceFile {
  const kind = SCRIPT_KINDS[extensionOf(path)] ?? ScriptKind.TS;
  return createSourceFile(path, text, PARSE_OPTIONS, setParentNodes, kind);
}
