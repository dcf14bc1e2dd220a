/**
 * Context by imports: the unchanged files the PR's code depends on, followed breadth first from the
 * touched files through the imports they make (relative paths, path aliases, workspace packages),
 * one level per round so the GitHub loader reads a whole level in one query. Bounded by depth, file
 * count and file size; cycles end where a file was already read; nothing outside the repository
 * is ever named. Loader-agnostic: each loader supplies `exists` (its tree listing) and `read`.
 */
import { languageOf } from "./analysis/parse.js";
import { importedSpecifiers, resolveImport, specifierBases, type ModuleLayout } from "./module-layout.js";
import type { SnapshotContext, SnapshotFile } from "../snapshot.js";

export interface ContextLimits {
  /** Import levels followed from the touched files (`limits.contextDepth`). */
  depth: number;
  /** Most files read as context (`limits.contextFiles`). */
  files: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = { depth: 3, files: 400 };

export interface ContextRead {
  content?: string;
  skipReason?: string;
}

export interface ContextReader {
  /** Whether the head tree has this file (a regular file, not a link or a submodule). */
  exists(path: string): boolean;
  /** Reads one level's files at once. A file it cannot read comes back with a reason. */
  read(paths: string[]): Promise<Map<string, ContextRead>>;
}

/** Most unread paths kept by name; the rest are counted. */
const MAX_UNREAD_LISTED = 200;

/**
 * The context files the seeds reach through imports, and what could not be read (kept so the
 * engine asks about a call into an unread module instead of judging it). `known` holds paths the
 * snapshot already has (touched files, guard files): they are seeds' neighbours, never re-read.
 */
export async function loadImportContext(
  seeds: readonly { path: string; content: string }[],
  layout: ModuleLayout,
  reader: ContextReader,
  limits: ContextLimits,
  known: ReadonlySet<string>,
): Promise<{ files: SnapshotFile[]; context: SnapshotContext; unread: Map<string, string>; outside: Set<string> }> {
  const files: SnapshotFile[] = [];
  const unread = new Map<string, string>();
  const seen = new Set(known);
  /** Imports that climb out of the repository, as file and specifier. */
  const outside = new Set<string>();
  let frontier = seeds.filter((seed) => languageOf(seed.path) === "ts" || languageOf(seed.path) === "js");
  for (let level = 1; frontier.length > 0; level++) {
    const wanted: string[] = [];
    for (const file of frontier) {
      for (const specifier of safeSpecifiers(file.content)) {
        const target = resolveImport(file.path, specifier, layout, reader.exists);
        if (target === undefined) {
          // A relative import that climbs out of the repository, or a file that is not there.
          if (specifier.startsWith(".") && specifierBases(file.path, specifier, layout).length === 0) outside.add(`${file.path}\0${specifier}`);
          continue;
        }
        if (seen.has(target) || !languageOf(target)) continue;
        seen.add(target);
        if (level > limits.depth) unread.set(target, `deeper than ${limits.depth} import levels (limits.contextDepth)`);
        else if (files.length + wanted.length >= limits.files) unread.set(target, `past ${limits.files} context files (limits.contextFiles)`);
        else wanted.push(target);
      }
    }
    if (wanted.length === 0) break;
    const read = await reader.read(wanted);
    const next: { path: string; content: string }[] = [];
    for (const path of wanted) {
      const answer = read.get(path);
      if (answer?.content === undefined) {
        unread.set(path, answer?.skipReason ?? "not readable");
        continue;
      }
      files.push({ path, status: "unchanged", context: true, content: answer.content, size: Buffer.byteLength(answer.content, "utf8") });
      next.push({ path, content: answer.content });
    }
    frontier = next;
  }
  const entries = [...unread].slice(0, MAX_UNREAD_LISTED).map(([path, reason]) => ({ path, reason }));
  return { files, context: { layout, unread: entries, notes: importContextNotes(unread, outside.size) }, unread, outside };
}

/** What the import context could not read, and how many imports point outside the repository, as review notes. */
export function importContextNotes(unread: ReadonlyMap<string, string>, outside: number): string[] {
  const notes: string[] = [];
  if (unread.size > 0) {
    const reasons = [...new Set(unread.values())];
    notes.push(`${unread.size} ${unread.size === 1 ? "module" : "modules"} the reviewed code imports could not be read (${reasons.slice(0, 3).join("; ")}): calls into them are asked about, not judged.`);
  }
  if (outside > 0) notes.push(`${outside} ${outside === 1 ? "import points" : "imports point"} outside the repository and ${outside === 1 ? "was" : "were"} not followed.`);
  return notes;
}

/** Import specifiers of a file; a file the scanner cannot read contributes none. */
function safeSpecifiers(text: string): string[] {
  try {
    return importedSpecifiers(text);
  } catch {
    return [];
  }
}
