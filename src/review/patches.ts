import { createTwoFilesPatch } from "diff";

/**
 * Unified diffs against the head, in the form `git apply` takes: a `diff --git` header per file,
 * `--- a/…` / `+++ b/…` (or `/dev/null` for a new file), hunks with three lines of context.
 */

export interface FileEdit {
  /** Repository-relative path. */
  path: string;
  /** The head's content, or undefined when the edit creates the file. */
  before: string | undefined;
  after: string;
}

/**
 * A path a patch can name unquoted: no control characters, quotes, backslashes or leading dashes.
 * Git quotes other paths; a path from the PR is never written into a patch in a form that could
 * read as another patch line.
 */
export function isPatchablePath(path: string): boolean {
  const controlOrQuote = [...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || ch === '"' || ch === "\\");
  return path.length > 0 && path.length <= 4096 && !controlOrQuote && !path.startsWith("-") && !path.startsWith("/") && !path.split("/").includes("..");
}

/** One file's unified diff, or undefined when nothing changed or the path cannot be written into a patch. */
export function unifiedDiff(edit: FileEdit): string | undefined {
  if (!isPatchablePath(edit.path) || edit.before === edit.after) return undefined;
  const created = edit.before === undefined;
  const patch = createTwoFilesPatch(created ? "/dev/null" : `a/${edit.path}`, `b/${edit.path}`, edit.before ?? "", edit.after, "", "", { context: 3 });
  // jsdiff opens with a separator line; git wants the `diff --git` header in its place.
  const body = patch.slice(patch.indexOf("--- "));
  return `diff --git a/${edit.path} b/${edit.path}\n${created ? "new file mode 100644\n" : ""}${body}`;
}

/** Several files' diffs as one patch. */
export function joinPatches(diffs: readonly string[]): string {
  return diffs.map((d) => (d.endsWith("\n") ? d : `${d}\n`)).join("");
}
