/**
 * `scan` of a whole repository, in bounded memory: the listed files are split into chunks of at
 * most `limits.maxFiles` source files, grouped by folder so a route and its neighbours are reviewed
 * together. Each chunk is read, reviewed with the code it imports (from other chunks or from outside
 * the scanned paths) and the guard files in front of its routes as context, as a PR of those files
 * would be, and its syntax trees are dropped before the next chunk is read. The chunks' plain results
 * are merged into one review: each file is analysed in exactly one chunk and findings come only from
 * the files a chunk analyses, so a file read as context by several chunks yields no finding twice.
 *
 * What a chunk does not see: the data classification the checks weigh (sensitive tables, health data)
 * is its own files' (the review reports the whole scan's), a fix names the project's own guard only
 * when the chunk saw it in use, and a file that mounts a router of another chunk (an Express
 * `app.use`) is read only when the router imports it. Within `limits.maxFiles` source files a scan
 * is a single review.
 */
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Config } from "../config/schema.js";
import { languageOf } from "../review/analysis/parse.js";
import { contextWanted, isWantedContext, MAX_CONTEXT_FILES } from "../review/context-files.js";
import { importContextNotes } from "../review/context-imports.js";
import { assembleReview, mergeReviewParts, reviewChunk, type ReviewOptions, type ReviewParts } from "../review/review.js";
import type { Provenance, Review } from "../review/types.js";
import type { PullRequestSnapshot, SnapshotFile } from "../snapshot.js";
import { mapWithConcurrency } from "./content.js";
import { listScanFiles, MAX_SCAN_DEPTH, readContextFile, readImportContext, readModuleLayout, readScannedFile, type FoundEntry } from "./scan.js";

export interface RepositoryScanOptions extends ReviewOptions {
  /** The project root, when the caller has found it already. */
  root?: string;
  /** Source files a chunk holds at most (default `limits.maxFiles`). */
  chunkFiles?: number;
}

export interface RepositoryScan {
  review: Review;
  root: string;
  /** How many chunks the files were reviewed in. */
  chunks: number;
}

const READ_CONCURRENCY = 16;

/**
 * A full garbage collection. V8 lets the old generation grow to several times its live size before
 * it collects (a chunk's trees are a few hundred MB): left to itself, a scan of many chunks would hold
 * the garbage of several at once. Collected between chunks, the peak stays near one chunk's, and the
 * collection is cheap then, as little is alive. `gc` is V8's own, exposed at run time when Node was
 * not started with `--expose-gc`.
 */
function collectGarbage(): void {
  if (!fullCollection) {
    if (typeof globalThis.gc === "function") fullCollection = globalThis.gc;
    else {
      setFlagsFromString("--expose-gc");
      fullCollection = runInNewContext("gc") as () => void;
    }
  }
  fullCollection();
}
let fullCollection: (() => void) | undefined;

export async function scanRepository(paths: string[], config: Config, options: RepositoryScanOptions = {}): Promise<RepositoryScan> {
  const { limits } = config;
  const listing = await listScanFiles(paths, { maxFiles: limits.scanFiles, ...(options.root ? { root: options.root } : {}) });
  const { root } = listing;
  const layout = await readModuleLayout(root);
  const chunkFiles = options.chunkFiles ?? limits.maxFiles;
  const entries = new Map(listing.entries.map((entry) => [entry.relative, entry]));
  const listed = new Set(entries.keys());
  const chunks = planScanChunks([...listed], chunkFiles);
  const name = path.basename(root) || root;
  const meta = { repo: name, title: `Scan of ${name}`, body: "" };

  const parts: ReviewParts[] = [];
  let provenance: Provenance | undefined;
  const unread = new Map<string, string>();
  const outside = new Set<string>();
  for (const chunk of chunks) {
    const files = await mapWithConcurrency(chunk, READ_CONCURRENCY, (relative) => readListedFile(entries.get(relative)!, limits.maxFileBytes));
    const guards = await readGuardFiles(root, chunk, listed, limits.maxFileBytes);
    const imported = await readImportContext(root, [...files, ...guards], limits.maxFileBytes, { depth: limits.contextDepth, files: limits.contextFiles }, layout);
    for (const [unreadPath, reason] of imported.unread) if (!unread.has(unreadPath)) unread.set(unreadPath, reason);
    for (const key of imported.outside) outside.add(key);
    const snapshot: PullRequestSnapshot = { ...meta, labels: [], commits: [], files: [...files, ...guards, ...imported.files], wholeFiles: true, context: { ...imported.context, notes: [] } };
    const reviewed = reviewChunk(snapshot, config, options);
    parts.push(reviewed.parts);
    provenance ??= reviewed.provenance;
    // The chunk's trees are garbage now; collected here, the next chunk starts from the merged parts alone.
    if (chunks.length > 1) collectGarbage();
  }

  const incomplete: string[] = [];
  if (listing.unlisted > 0) incomplete.push(`${listing.countStopped ? "More than " : ""}${listing.unlisted} files past the first ${limits.scanFiles} (limits.scanFiles) were not listed and not reviewed.`);
  if (listing.tooDeep > 0) incomplete.push(`${listing.tooDeep} ${listing.tooDeep === 1 ? "folder" : "folders"} deeper than ${MAX_SCAN_DEPTH} levels ${listing.tooDeep === 1 ? "was" : "were"} not listed and not reviewed.`);
  const notes = [
    ...importContextNotes(unread, outside.size),
    ...(chunks.length > 1 ? [`Reviewed in ${chunks.length} parts of at most ${chunkFiles} source files (limits.maxFiles), grouped by folder; each part read the code it imports as context.`] : []),
  ];
  const review = assembleReview(meta, mergeReviewParts(parts), config, provenance!, { notes, incomplete });
  return { review, root, chunks: chunks.length };
}

/** A listed file: a source file with its content; any other file by name only (the review reads no other language). */
async function readListedFile(entry: FoundEntry, maxFileBytes: number): Promise<SnapshotFile> {
  if (!languageOf(entry.relative)) return { path: entry.relative, status: "added" };
  return readScannedFile(entry, maxFileBytes);
}

/** The listed guard files of other chunks in front of this chunk's routes (see review/context-files.ts), as context. */
async function readGuardFiles(root: string, chunk: readonly string[], listed: ReadonlySet<string>, maxFileBytes: number): Promise<SnapshotFile[]> {
  const wanted = contextWanted(chunk);
  if (wanted.files.length === 0 && wanted.folders.length === 0) return [];
  const own = new Set(chunk);
  // Exact paths are looked up; only a wanted folder (Nuxt's server/middleware/) needs the listing walked.
  const inFolders = wanted.folders.length > 0 ? [...listed].filter((candidate) => isWantedContext(candidate, { files: [], folders: wanted.folders })) : [];
  const paths = [...new Set([...wanted.files.filter((candidate) => listed.has(candidate)), ...inFolders])]
    .filter((candidate) => !own.has(candidate))
    .sort(compareCodeUnits)
    .slice(0, MAX_CONTEXT_FILES);
  const read = await mapWithConcurrency(paths, READ_CONCURRENCY, async (relative) => ({ relative, read: await readContextFile(root, relative, maxFileBytes) }));
  return read.flatMap(({ relative, read: { content } }) => (content === undefined ? [] : [{ path: relative, status: "unchanged" as const, context: true, content }]));
}

interface Folder {
  files: string[];
  folders: Map<string, Folder>;
  sources: number;
}

/**
 * The listed paths (in path order) as chunks of at most `size` source files: a folder whose files
 * fit stays in one chunk, a larger one is split into its own files and its subfolders; the pieces
 * are packed in order. Files of other languages ride along without counting. The chunks and the
 * files in each are in path order, and there is always at least one (an empty scan is one empty review).
 */
export function planScanChunks(paths: readonly string[], size: number): string[][] {
  const tree: Folder = { files: [], folders: new Map(), sources: 0 };
  for (const relative of paths) {
    const segments = relative.split("/");
    let folder = tree;
    const isSource = languageOf(relative) !== undefined;
    if (isSource) folder.sources++;
    for (const segment of segments.slice(0, -1)) {
      let child = folder.folders.get(segment);
      if (!child) folder.folders.set(segment, (child = { files: [], folders: new Map(), sources: 0 }));
      folder = child;
      if (isSource) folder.sources++;
    }
    folder.files.push(relative);
  }
  const everything = (folder: Folder): string[] => [...folder.files, ...[...folder.folders.values()].flatMap(everything)];
  const pieces: string[][] = [];
  const split = (folder: Folder) => {
    if (folder.sources <= size) {
      pieces.push(everything(folder));
      return;
    }
    let piece: string[] = [];
    let count = 0;
    for (const file of folder.files) {
      const isSource = languageOf(file) !== undefined;
      if (isSource && count === size) {
        pieces.push(piece);
        piece = [];
        count = 0;
      }
      piece.push(file);
      if (isSource) count++;
    }
    if (piece.length > 0) pieces.push(piece);
    for (const child of folder.folders.values()) split(child);
  };
  split(tree);

  const chunks: string[][] = [];
  let current: string[] = [];
  let count = 0;
  for (const piece of pieces) {
    const sources = piece.filter((file) => languageOf(file) !== undefined).length;
    if (current.length > 0 && count + sources > size) {
      chunks.push(current);
      current = [];
      count = 0;
    }
    current.push(...piece);
    count += sources;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  // In path order, so the merged review lists routes, writes and files as one review of them all would.
  return chunks.map((chunk) => chunk.sort(compareCodeUnits)).sort((a, b) => compareCodeUnits(a[0] ?? "", b[0] ?? ""));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
