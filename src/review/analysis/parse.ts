import { ts } from "ts-morph";

export type Language = "ts" | "js" | "sql" | "prisma";

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ".ts": ts.ScriptKind.TS,
  ".mts": ts.ScriptKind.TS,
  ".cts": ts.ScriptKind.TS,
  ".tsx": ts.ScriptKind.TSX,
  ".js": ts.ScriptKind.JS,
  ".mjs": ts.ScriptKind.JS,
  ".cjs": ts.ScriptKind.JS,
  ".jsx": ts.ScriptKind.JSX,
};

function extensionOf(path: string): string {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash ? path.slice(dot).toLowerCase() : "";
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
 * Parses one file with the TypeScript compiler bundled in ts-morph. The engine walks compiler nodes
 * directly (one walk per file): ts-morph's wrappers cost more than the parse itself on large PRs, and
 * checks that want them can wrap a node with ts-morph's `createWrappedNode`.
 */
export function parseSource(path: string, text: string): ts.SourceFile {
  const kind = SCRIPT_KINDS[extensionOf(path)] ?? ts.ScriptKind.TS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
}

/** 1-based line of a node's first token. */
export function lineOf(node: ts.Node, sourceFile: ts.SourceFile = node.getSourceFile()): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

export function columnOf(node: ts.Node, sourceFile: ts.SourceFile = node.getSourceFile()): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).character + 1;
}
