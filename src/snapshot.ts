import type { ModuleLayout } from "./review/module-layout.js";

/**
 * The pull-request snapshot: plain data describing what a PR changes. Two loaders build it (GitHub
 * in `src/github/`, local git or a directory in `src/local/`); the review engine never knows which.
 */

export type FileStatus = "added" | "modified" | "removed" | "renamed" | "copied" | "changed" | "unchanged";

export interface SnapshotFile {
  /** Path relative to the repository (or scanned) root, with forward slashes. */
  path: string;
  status: FileStatus;
  /** Path before a rename or copy. */
  previousPath?: string;
  /**
   * The unified diff of this file (hunks only, GitHub's `patch` shape, or a whole `git diff` section).
   * Absent when every line of the file is new (a scanned file) or the diff was not available.
   */
  patch?: string;
  /** The head content when it is text and within the loader's limits. */
  content?: string;
  /** Why `content` is absent: binary, too large, deleted, not fetched. */
  skipReason?: string;
  /** Size of the head content in bytes, when known. */
  size?: number;
  /**
   * An unchanged file read for the guards it puts in front of the PR's routes (`middleware.ts`,
   * `src/hooks.server.ts`, `server/middleware/*`; see review/context-files.ts): analysed, never reviewed.
   */
  context?: boolean;
  /**
   * PR mode: the base version of this touched file (at `previousPath` for a rename or copy) when it
   * is text and within the loader's limits. Absent for an added file or when it could not be read
   * (then `baseSkipReason` says why): the review cannot compare this file and treats its findings as new.
   */
  baseContent?: string;
  /** Why `baseContent` is absent for a file the base has: binary, too large, not found at the base commit. */
  baseSkipReason?: string;
}

/**
 * PR mode: what the loader read of the base tree, so the engine can review the base as it reviews
 * the head and report only what the PR changes (see review/differential.ts). The base versions of
 * the touched files ride on the files themselves (`baseContent`); this holds their context.
 */
export interface SnapshotBase {
  /**
   * Every unchanged file the base versions reach (imports, guard files), by path. An unchanged file is
   * the same in both trees, so those the head already read are taken from `files` (context files);
   * `files` here holds only the ones the head review did not need.
   */
  contextPaths: string[];
  /** Unchanged files only the base versions import (with content), read for the base review. */
  files: SnapshotFile[];
  /** The base tree's module layout and unread imports. */
  context?: SnapshotContext;
  /**
   * Set when the base could not be read at all (a force-push or a deleted branch took the commit
   * away, or the tree could not be listed): the review still concludes, everything counts as new,
   * and the notes say why.
   */
  unavailable?: string;
}

/** What the loader learnt while reading context (see review/context-imports.ts). */
export interface SnapshotContext {
  /** How the repository's import specifiers map to files (path aliases, workspace packages). */
  layout: ModuleLayout;
  /** Modules the reviewed code imports that were not read, with why (limits, size, binary). */
  unread: { path: string; reason: string }[];
  /** What the reader of the review should know about the context (limits reached, imports not followed). */
  notes: string[];
}

export interface CommitTrailer {
  key: string;
  value: string;
}

export interface SnapshotCommit {
  sha: string;
  message: string;
  authorName?: string;
  authorEmail?: string;
  authorLogin?: string;
  trailers: CommitTrailer[];
}

export interface PullRequestSnapshot {
  /** `owner/name` on GitHub, or the folder name of a local scan. */
  repo: string;
  number?: number;
  title: string;
  body: string;
  baseSha?: string;
  headSha?: string;
  /** Head branch name. */
  branch?: string;
  baseBranch?: string;
  author?: { login: string; type: "User" | "Bot" | "Organization" | string };
  labels: string[];
  commits: SnapshotCommit[];
  files: SnapshotFile[];
  /**
   * True when every file is reviewed as if the PR added it (`scan <path>`): all lines are new.
   */
  wholeFiles?: boolean;
  /** Files the loader could not list at all (beyond GitHub's 3,000-file listing limit). */
  unlistedFileCount?: number;
  /** The module layout and the imports not read, when the loader followed imports. */
  context?: SnapshotContext;
  /**
   * PR mode (`diff`, the GitHub app): the base side of the comparison. Absent for `scan` (no base:
   * everything is new) and for callers that do not read the base (newness then falls back to the
   * changed lines of the diff).
   */
  base?: SnapshotBase;
}

/** Parses `Key: value` trailers from the last paragraph of a commit message (git's trailer rules, simplified to the common form). */
export function parseCommitTrailers(message: string): CommitTrailer[] {
  const paragraphs = message.replace(/\r\n/g, "\n").trimEnd().split(/\n\s*\n/);
  if (paragraphs.length < 2) return [];
  const last = paragraphs[paragraphs.length - 1] ?? "";
  const trailers: CommitTrailer[] = [];
  for (const line of last.split("\n")) {
    // A continuation line (leading whitespace) extends the previous trailer's value, as git joins it,
    // even when it contains a colon itself.
    const previous = trailers[trailers.length - 1];
    if (/^\s+\S/.test(line) && previous) {
      previous.value = `${previous.value} ${line.trim()}`;
      continue;
    }
    const match = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.+)$/.exec(line.trim());
    // Anything else means the paragraph is not a trailer block.
    if (!match) return [];
    trailers.push({ key: match[1]!, value: match[2]!.trim() });
  }
  return trailers;
}
