import { structuredPatch } from "diff";
import type { PullRequestSnapshot, SnapshotBase, SnapshotFile } from "../../src/snapshot.js";

/** PR-mode snapshots for the differential tests: each touched file's base and head, and the real patch between them. */

/** GitHub's per-file patch between two versions (hunks only). */
export function patch(base: string, head: string): string {
  const { hunks } = structuredPatch("a", "b", base, head, "", "", { context: 3 });
  return hunks.map((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join("\n")).join("\n");
}

export interface Change {
  base?: string;
  head?: string;
  /** The head path of a renamed file (the key is the base path). */
  renamedTo?: string;
  /** Why the base version could not be read (it is then left out). */
  baseSkipReason?: string;
}

/** A PR-mode snapshot: each touched file with its base and head versions and the real patch between them. */
export function pr(changes: Record<string, Change>, extra: { unchanged?: Record<string, string>; base?: Partial<SnapshotBase>; title?: string; labels?: string[] } = {}): PullRequestSnapshot {
  const files: SnapshotFile[] = [];
  for (const [path, change] of Object.entries(changes)) {
    const headPath = change.renamedTo ?? path;
    const status = change.renamedTo ? "renamed" : change.base === undefined ? "added" : change.head === undefined ? "removed" : "modified";
    const file: SnapshotFile = { path: headPath, status, patch: patch(change.base ?? "", change.head ?? "") };
    if (change.renamedTo) file.previousPath = path;
    if (change.head !== undefined) file.content = change.head;
    else file.skipReason = "deleted";
    if (change.baseSkipReason) file.baseSkipReason = change.baseSkipReason;
    else if (change.base !== undefined) file.baseContent = change.base;
    files.push(file);
  }
  for (const [path, content] of Object.entries(extra.unchanged ?? {})) files.push({ path, status: "unchanged", context: true, content });
  return {
    repo: "acme/app",
    title: extra.title ?? "Change things",
    body: "",
    labels: extra.labels ?? [],
    commits: [],
    baseSha: "0123456789abcdef0123456789abcdef01234567",
    files,
    base: { contextPaths: Object.keys(extra.unchanged ?? {}), files: [], ...extra.base },
  };
}

