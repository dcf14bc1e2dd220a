/**
 * `scan <path>...`: every file under the given paths as a snapshot in which the PR adds them all,
 * so every line counts as new. Paths are relative to the project root (the folder holding `.git`
 * above the scanned paths, else the outermost one holding a `package.json`), as GitHub would name
 * them, and the modules the scanned code imports from outside the scanned paths are read as
 * context, resolved with the project's own tsconfig paths and workspace packages.
 */
import type { Dirent } from "node:fs";
import { lstatSync } from "node:fs";
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { loadImportContext, type ContextLimits, type ContextRead } from "../review/context-imports.js";
import { buildModuleLayout, CONFIG_FILE, layoutConfigPaths, type ModuleLayout } from "../review/module-layout.js";
import type { PullRequestSnapshot, SnapshotFile } from "../snapshot.js";
import { decodeTextContent, DEFAULT_MAX_FILE_BYTES, mapWithConcurrency, tooLargeReason } from "./content.js";

export interface DirectoryScanOptions {
  /** Files larger than this are listed without content (default 1,000,000). */
  maxFileBytes?: number;
  /** Files beyond this many (in path order) are counted in `unlistedFileCount`, not listed (default 5,000). */
  maxFiles?: number;
  /** Follow the scanned code's imports out of the scanned paths, within the project root. */
  context?: ContextLimits;
  /** The project root, when the caller has found it already ({@link scanProjectRoot}). */
  root?: string;
}

export const DEFAULT_MAX_FILES = 5_000;

/** Directories that hold no reviewable source of the project itself. */
const SKIPPED_NAMES = new Set([".git", "node_modules"]);

const READ_CONCURRENCY = 16;

export interface FoundEntry {
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

  const listing = await listScanFiles(paths, { maxFiles, ...(options.root ? { root: options.root } : {}) });
  const { root } = listing;
  const files = await mapWithConcurrency(listing.entries, READ_CONCURRENCY, (entry) => readScannedFile(entry, maxFileBytes));
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
  if (listing.unlisted > 0) snapshot.unlistedFileCount = listing.unlisted;
  if (options.context) {
    const imported = await readImportContext(root, files, maxFileBytes, options.context, await readModuleLayout(root));
    snapshot.files.push(...imported.files);
    snapshot.context = imported.context;
  }
  return { snapshot, root };
}

/** Folders above the scanned paths looked at for the project root. */
const MAX_ROOT_CLIMB = 8;

/**
 * The project the scanned folder belongs to: the nearest folder at or above it holding `.git`,
 * else the outermost one (a few levels up at most) holding a `package.json` (a monorepo's root
 * above its app), else the scanned folder itself.
 */
async function projectRoot(scanned: string): Promise<string> {
  let outermostPackage: string | undefined;
  let current = scanned;
  for (let i = 0; i <= MAX_ROOT_CLIMB; i++) {
    if (await exists(path.join(current, ".git"))) return current;
    if (await exists(path.join(current, "package.json"))) outermostPackage = current;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return outermostPackage ?? scanned;
}

async function exists(candidate: string): Promise<boolean> {
  try {
    await lstat(candidate);
    return true;
  } catch {
    return false;
  }
}

/** Config files larger than this are not read for the module layout. */
const MAX_LAYOUT_FILE_BYTES = 64 * 1024;
/** Folders visited when listing the project's tsconfig and package.json files: a bounded walk. */
const MAX_LAYOUT_DIRECTORIES = 5_000;
const MAX_LAYOUT_DEPTH = 6;
const LAYOUT_SKIPPED = /^(node_modules|dist|build|out|coverage|vendor)$|^\./;

/** The project's path aliases and workspace packages, from its tsconfig/jsconfig and package.json files. */
export async function readModuleLayout(root: string): Promise<ModuleLayout> {
  const configs = new Map<string, string>();
  for (const relative of layoutConfigPaths(await listConfigFiles(root))) {
    const read = await readContextFile(root, relative, MAX_LAYOUT_FILE_BYTES);
    if (read.content !== undefined) configs.set(relative, read.content);
  }
  return buildModuleLayout(configs);
}

/**
 * The files of the project `files` import, level by level (see review/context-imports.ts), read
 * from disk; `files` themselves are never read again.
 */
export async function readImportContext(root: string, files: readonly SnapshotFile[], maxFileBytes: number, limits: ContextLimits, layout: ModuleLayout) {
  const reader = {
    exists: (relative: string) => {
      try {
        return lstatSync(path.join(root, relative)).isFile();
      } catch {
        return false;
      }
    },
    read: async (relatives: string[]) => new Map(await mapWithConcurrency(relatives, READ_CONCURRENCY, async (relative) => [relative, await readContextFile(root, relative, maxFileBytes)] as const)),
  };
  const seeds = files.flatMap((file) => (file.content === undefined ? [] : [{ path: file.path, content: file.content }]));
  return loadImportContext(seeds, layout, reader, limits, new Set(files.map((file) => file.path)));
}

/** tsconfig/jsconfig/package.json files under the root, breadth first, bounded in folders and depth. */
async function listConfigFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  let level = [""];
  let visited = 0;
  for (let depth = 0; depth <= MAX_LAYOUT_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const relative of level) {
      if (++visited > MAX_LAYOUT_DIRECTORIES) return found;
      let entries: Dirent[];
      try {
        entries = await readdir(path.join(root, relative), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const child = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory() && !LAYOUT_SKIPPED.test(entry.name)) next.push(child);
        else if (entry.isFile() && CONFIG_FILE.test(child)) found.push(child);
      }
    }
    level = next.sort(compareCodeUnits);
  }
  return found;
}

/** A project file read as context: regular files only (a link may point outside the root), within the size limit. */
export async function readContextFile(root: string, relative: string, maxBytes: number): Promise<ContextRead> {
  try {
    const absolute = path.join(root, relative);
    const info = await lstat(absolute);
    if (!info.isFile()) return { skipReason: info.isSymbolicLink() ? "symlink" : "not a regular file" };
    if (info.size > maxBytes) return { skipReason: tooLargeReason(maxBytes) };
    const bytes = await readFile(absolute);
    if (bytes.length > maxBytes) return { skipReason: tooLargeReason(maxBytes) };
    return decodeTextContent(bytes);
  } catch (error) {
    return { skipReason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
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

/** Folder levels below a scanned path that are listed: deeper folders are counted, not walked. */
export const MAX_SCAN_DEPTH = 64;
/** How far past the listing cap files are still counted, as a multiple of the cap, before the walk stops. */
const COUNT_PAST_CAP = 10;

export interface ScanListing {
  root: string;
  /** The listed files, in path order: the first `maxFiles` of a walk in name order. */
  entries: FoundEntry[];
  /** Files found past the cap and not listed (a lower bound when `countStopped`). */
  unlisted: number;
  /** The walk stopped counting: there are more files than `unlisted` says. */
  countStopped: boolean;
  /** Folders deeper than {@link MAX_SCAN_DEPTH} levels that were not walked. */
  tooDeep: number;
}

/**
 * The files under the scanned paths (never inside `.git` or `node_modules`, never through a link),
 * walked in name order, so the listing is the same on every machine: the first `maxFiles` are
 * listed and the rest counted, up to ten times the cap, where the walk stops. Bounded in memory by
 * the cap and in depth by {@link MAX_SCAN_DEPTH}, whatever the tree holds.
 */
export async function listScanFiles(paths: string[], options: { maxFiles: number; root?: string }): Promise<ScanListing> {
  if (paths.length === 0) throw new Error("no path to scan");
  const targets = await Promise.all(paths.map(resolveTarget));
  const root = options.root ?? (await projectRoot(commonAncestor(targets.map((target) => (target.isDirectory ? target.absolute : path.dirname(target.absolute))))));
  const state: WalkState = { root, found: new Map(), cap: options.maxFiles, unlisted: 0, countLimit: options.maxFiles * COUNT_PAST_CAP, tooDeep: 0 };
  for (const target of targets) {
    if (target.isDirectory) await walk(target.absolute, 0, state);
    else addEntry(state, target.absolute, false);
  }
  const entries = [...state.found.values()].sort((a, b) => compareCodeUnits(a.relative, b.relative));
  return { root, entries, unlisted: state.unlisted, countStopped: state.unlisted >= state.countLimit, tooDeep: state.tooDeep };
}

interface WalkState {
  root: string;
  found: Map<string, FoundEntry>;
  cap: number;
  unlisted: number;
  countLimit: number;
  tooDeep: number;
}

async function walk(directory: string, depth: number, state: WalkState): Promise<void> {
  if (state.unlisted >= state.countLimit) return;
  if (depth > MAX_SCAN_DEPTH) {
    state.tooDeep++;
    return;
  }
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new Error(`cannot list ${directory}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  entries.sort((a, b) => compareCodeUnits(a.name, b.name));
  for (const entry of entries) {
    if (SKIPPED_NAMES.has(entry.name)) continue;
    const absolute = path.join(directory, entry.name);
    // Dirent types come from lstat semantics: a symlink is reported as one and never followed.
    if (entry.isDirectory()) await walk(absolute, depth + 1, state);
    else if (entry.isSymbolicLink()) addEntry(state, absolute, true);
    else if (entry.isFile()) addEntry(state, absolute, false);
    if (state.unlisted >= state.countLimit) return;
  }
}

function addEntry(state: WalkState, absolute: string, symlink: boolean): void {
  const relative = toForwardSlashes(path.relative(state.root, absolute));
  if (state.found.has(relative)) return;
  if (state.found.size >= state.cap) state.unlisted++;
  else state.found.set(relative, { absolute, relative, symlink });
}

export async function readScannedFile(entry: FoundEntry, maxFileBytes: number): Promise<SnapshotFile> {
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

/** The project root a scan of these paths reads from and names files relative to (see {@link projectRoot}). */
export async function scanProjectRoot(paths: string[]): Promise<string> {
  const targets = await Promise.all(paths.map(resolveTarget));
  return projectRoot(commonAncestor(targets.map((target) => (target.isDirectory ? target.absolute : path.dirname(target.absolute)))));
}
