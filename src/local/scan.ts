/**
 * `scan <path>...`: every file under the given paths as a snapshot in which the PR adds them all,
 * so every line counts as new.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { PullRequestSnapshot, SnapshotFile } from "../snapshot.js";
import { decodeTextContent, DEFAULT_MAX_FILE_BYTES, mapWithConcurrency, tooLargeReason } from "./content.js";

export interface DirectoryScanOptions {
  /** Files larger than this are listed without content (default 1,000,000). */
  maxFileBytes?: number;
  /** Files beyond this many (in path order) are counted in `unlistedFileCount`, not listed (default 5,000). */
  maxFiles?: number;
}

export const DEFAULT_MAX_FILES = 5_000;

/** Directories that hold no reviewable source of the project itself. */
const SKIPPED_NAMES = new Set([".git", "node_modules"]);

const READ_CONCURRENCY = 16;

interface FoundEntry {
  absolute: string;
  relative: string;
  symlink: boolean;
}

export async function loadDirectorySnapshot(
  paths: string[],
  options: DirectoryScanOptions = {},
): Promise<{ snapshot: PullRequestSnapshot; root: string }> {
  if (paths.length === 0) throw new Error("no path to scan");
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;

  const targets = await Promise.all(paths.map(resolveTarget));
  const root = commonAncestor(targets.map((target) => (target.isDirectory ? target.absolute : path.dirname(target.absolute))));

  const found = new Map<string, FoundEntry>();
  for (const target of targets) {
    if (target.isDirectory) await walk(target.absolute, root, found);
    else addEntry(found, target.absolute, root, false);
  }
  const sorted = [...found.values()].sort((a, b) => compareCodeUnits(a.relative, b.relative));
  const listed = sorted.slice(0, maxFiles);
  const files = await mapWithConcurrency(listed, READ_CONCURRENCY, (entry) => readScannedFile(entry, maxFileBytes));

  const name = path.basename(root) || root;
  const snapshot: PullRequestSnapshot = {
    repo: name,
    title: `Scan of ${name}`,
    body: "",
    labels: [],
    commits: [],
    files,
    wholeFiles: true,
  };
  if (sorted.length > listed.length) snapshot.unlistedFileCount = sorted.length - listed.length;
  return { snapshot, root };
}

/** A path the user named: followed if it is a symlink (they asked for it), unlike links found while walking. */
async function resolveTarget(input: string): Promise<{ absolute: string; isDirectory: boolean }> {
  const absolute = path.resolve(input);
  try {
    const stats = await stat(absolute);
    return { absolute, isDirectory: stats.isDirectory() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new Error(`path not found: ${input}`, { cause: error });
    throw new Error(`cannot read ${input}: ${code ?? String(error)}`, { cause: error });
  }
}

async function walk(directory: string, root: string, found: Map<string, FoundEntry>): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new Error(`cannot list ${directory}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  for (const entry of entries) {
    if (SKIPPED_NAMES.has(entry.name)) continue;
    const absolute = path.join(directory, entry.name);
    // Dirent types come from lstat semantics: a symlink is reported as one and never followed.
    if (entry.isDirectory()) await walk(absolute, root, found);
    else if (entry.isSymbolicLink()) addEntry(found, absolute, root, true);
    else if (entry.isFile()) addEntry(found, absolute, root, false);
  }
}

function addEntry(found: Map<string, FoundEntry>, absolute: string, root: string, symlink: boolean): void {
  const relative = toForwardSlashes(path.relative(root, absolute));
  if (!found.has(relative)) found.set(relative, { absolute, relative, symlink });
}

async function readScannedFile(entry: FoundEntry, maxFileBytes: number): Promise<SnapshotFile> {
  const file: SnapshotFile = { path: entry.relative, status: "added" };
  // A link is listed (never silently dropped) but not followed: its target may lie outside the root.
  if (entry.symlink) return { ...file, skipReason: "symlink" };
  try {
    const { size } = await lstat(entry.absolute);
    if (size > maxFileBytes) return { ...file, size, skipReason: tooLargeReason(maxFileBytes) };
    const bytes = await readFile(entry.absolute);
    // The file may have grown between lstat and read.
    if (bytes.length > maxFileBytes) return { ...file, size: bytes.length, skipReason: tooLargeReason(maxFileBytes) };
    return { ...file, size: bytes.length, ...decodeTextContent(bytes) };
  } catch (error) {
    return { ...file, skipReason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}

/** The deepest directory containing all of `directories` (absolute, resolved paths). */
function commonAncestor(directories: string[]): string {
  let ancestor = directories[0]!;
  for (const directory of directories.slice(1)) {
    while (!isWithin(directory, ancestor)) {
      const parent = path.dirname(ancestor);
      if (parent === ancestor) break;
      ancestor = parent;
    }
  }
  return ancestor;
}

function isWithin(candidate: string, directory: string): boolean {
  const relative = path.relative(directory, candidate);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function toForwardSlashes(relative: string): string {
  return relative.split(path.sep).join("/");
}

/** Plain code-unit order: the same on every machine and locale. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
