/**
 * Unified-diff reading for diff awareness: which head-side lines a change adds, and how a whole
 * `git diff` splits into per-file sections. Parsing is parse-diff's; this module only adapts shapes.
 */
import parseDiff from "parse-diff";
import type { FileStatus } from "../snapshot.js";

export interface UnifiedDiffFile {
  /** Head-side path (the old path for a deletion). */
  path: string;
  /** Path before a rename or copy. */
  previousPath?: string;
  status: FileStatus;
  /** This file's raw section of the diff, from its `diff --git` line to the next. */
  patch: string;
}

const DEV_NULL = "/dev/null";

/**
 * The 1-based head-side line numbers that a unified diff adds or changes. Accepts GitHub's per-file
 * `patch` (hunks only) or a `git diff` section with headers. Deleted lines have no head-side line
 * and contribute nothing.
 */
export function changedLinesFromPatch(patch: string): Set<number> {
  const lines = new Set<number>();
  if (!patch.trim()) return lines;
  // parse-diff only starts a file at a header line; a hunk-only patch gets a minimal one.
  const text = patch.startsWith("@@") ? `--- a/x\n+++ b/x\n${patch}` : patch;
  for (const file of parseDiff(text)) {
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        if (change.type === "add") lines.add(change.ln);
      }
    }
  }
  return lines;
}

/**
 * Splits the output of `git diff` (any number of files) into one entry per file, in diff order,
 * with the file's status from git's new/deleted/rename/copy markers and its raw section as `patch`.
 */
export function parseUnifiedDiff(text: string): UnifiedDiffFile[] {
  const normalized = text.replace(/\r\n/g, "\n");
  const parsed = parseDiff(normalized);
  if (parsed.length === 0) return [];
  const sections = splitGitDiffSections(normalized);
  if (sections.length !== parsed.length) {
    throw new Error(
      `could not split the diff into files: found ${sections.length} "diff --git" sections but ${parsed.length} files`,
    );
  }
  return parsed.map((file, index) => describeFile(file, sections[index]!));
}

/**
 * Raw text of each file section. A section starts at a line beginning `diff ` (a hunk line never
 * does: it starts with a space, `+`, `-` or `\`); text before the first one (a commit header) is
 * dropped. Without any `diff ` line the whole text is one section.
 */
function splitGitDiffSections(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const hasDiffLines = lines.some((line) => line.startsWith("diff "));
  if (!hasDiffLines) return [lines.join("\n")];
  const sections: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith("diff ")) {
      current = [];
      sections.push(current);
    }
    current?.push(line);
  }
  return sections.map((section) => section.join("\n"));
}

function describeFile(file: parseDiff.File, section: string): UnifiedDiffFile {
  const headerLines = sectionHeader(section);
  const renameFrom = headerValue(headerLines, "rename from ");
  const renameTo = headerValue(headerLines, "rename to ");
  const copyFrom = headerValue(headerLines, "copy from ");
  const copyTo = headerValue(headerLines, "copy to ");
  const from = file.from && file.from !== DEV_NULL ? file.from : undefined;
  const to = file.to && file.to !== DEV_NULL ? file.to : undefined;

  if (file.new) return { path: to ?? from ?? "", status: "added", patch: section };
  if (file.deleted) return { path: from ?? to ?? "", status: "removed", patch: section };
  if (renameFrom !== undefined || copyFrom !== undefined) {
    return {
      path: renameTo ?? copyTo ?? to ?? "",
      previousPath: renameFrom ?? copyFrom,
      status: renameFrom !== undefined ? "renamed" : "copied",
      patch: section,
    };
  }
  if (from && to && from !== to) return { path: to, previousPath: from, status: "renamed", patch: section };
  return { path: to ?? from ?? "", status: "modified", patch: section };
}

/** The extended header lines of a section: everything before its first hunk. */
function sectionHeader(section: string): string[] {
  const lines = section.split("\n");
  const firstHunk = lines.findIndex((line) => line.startsWith("@@"));
  return firstHunk === -1 ? lines : lines.slice(0, firstHunk);
}

function headerValue(headerLines: string[], prefix: string): string | undefined {
  const line = headerLines.find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : unquoteGitPath(line.slice(prefix.length));
}

/** Git C-quotes a path holding `"`, `\` or control characters (and non-ASCII unless core.quotePath=false). */
function unquoteGitPath(value: string): string {
  if (!(value.startsWith('"') && value.endsWith('"') && value.length >= 2)) return value;
  const bytes: number[] = [];
  const body = value.slice(1, -1);
  const simpleEscapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
      continue;
    }
    const next = body[i + 1];
    if (next !== undefined && next in simpleEscapes) {
      bytes.push(simpleEscapes[next]!);
      i += 1;
      continue;
    }
    bytes.push(92);
  }
  return Buffer.from(bytes).toString("utf8");
}
