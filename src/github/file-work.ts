import { loadImportContext, type ContextLimits, type ContextReader } from "../review/context-imports.js";
import type { ModuleLayout } from "../review/module-layout.js";
import type { SnapshotContext, SnapshotFile } from "../snapshot.js";
import { commentableLines } from "../report/inline.js";

/**
 * The work around a review that reads whole files or whole patches: scanning the PR's files and
 * their imports for the modules to read as context, and finding the diff lines inline comments may
 * go on. On a 1 MB file each takes a tenth of a second or more, so the app runs them in the review
 * pool's threads (src/queue/review-pool.ts), off the event loop that answers webhooks; the
 * command line and tests run them in the calling thread. Both sides take and give plain data.
 */
export interface FileWork {
  /** `loadImportContext` over a tree given as data: the files it may read are those `tree` has. */
  importContext(request: ImportContextRequest, read: ContextReader["read"]): Promise<{ files: SnapshotFile[]; context: SnapshotContext }>;
  /** Per path, the head-side lines of its patch that inline comments may go on. */
  commentableLines(patches: ReadonlyMap<string, string>): Promise<Map<string, Set<number>>>;
}

/** Which files exist: the head tree's, less `absent`, plus `present` (the base as the head's listing sees it). */
export interface TreeFiles {
  files: ReadonlySet<string>;
  absent?: ReadonlySet<string>;
  present?: ReadonlySet<string>;
}

export interface ImportContextRequest {
  seeds: readonly { path: string; content: string }[];
  layout: ModuleLayout;
  tree: TreeFiles;
  limits: ContextLimits;
  known: ReadonlySet<string>;
}

export function treeHas(tree: TreeFiles, path: string): boolean {
  return tree.present?.has(path) === true || (tree.files.has(path) && tree.absent?.has(path) !== true);
}

export function importContextOf(request: ImportContextRequest, read: ContextReader["read"]): Promise<{ files: SnapshotFile[]; context: SnapshotContext }> {
  return loadImportContext(request.seeds, request.layout, { exists: (path) => treeHas(request.tree, path), read }, request.limits, request.known);
}

export function commentableLinesOf(patches: ReadonlyMap<string, string>): Map<string, Set<number>> {
  return new Map([...patches].map(([path, patch]) => [path, commentableLines(patch)]));
}

/** The work in the calling thread. */
export const inThreadFileWork: FileWork = {
  importContext: importContextOf,
  commentableLines: async (patches) => commentableLinesOf(patches),
};
