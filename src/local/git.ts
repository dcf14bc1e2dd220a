/**
 * `diff [--base REF] [--head REF]`: a local git range read like a pull request. Git runs through
 * `execFile` only (never a shell), and refs are validated before they reach its argument list.
 */
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { contextWanted, isWantedContext, MAX_CONTEXT_FILES } from "../review/context-files.js";
import { DEFAULT_CONTEXT_LIMITS, loadImportContext, type ContextLimits, type ContextReader } from "../review/context-imports.js";
import { buildModuleLayout, layoutConfigPaths } from "../review/module-layout.js";
import { parseUnifiedDiff } from "../review/diff.js";
import { languageOf } from "../review/analysis/parse.js";
import { parseCommitTrailers, type PullRequestSnapshot, type SnapshotBase, type SnapshotCommit, type SnapshotContext, type SnapshotFile } from "../snapshot.js";
import { decodeTextContent, DEFAULT_MAX_FILE_BYTES, mapWithConcurrency, tooLargeReason } from "./content.js";

export interface GitRangeOptions {
  /** Any directory inside the repository. */
  cwd: string;
  /** Base ref; by default the first of origin/HEAD, main, master, `<head>~1` that has commits to review. */
  base?: string;
  /** Head ref (default `HEAD`). */
  head?: string;
  /** Head files larger than this are listed without content (default 1,000,000). */
  maxFileBytes?: number;
  /** How far to follow the changed files' imports into the head tree (default 3 levels, 400 files). */
  context?: ContextLimits;
}

const execFileAsync = promisify(execFile);

/** Whole diffs and trees of large repositories fit; git's own failure is reported instead of a buffer error. */
const MAX_GIT_OUTPUT_BYTES = 256 * 1024 * 1024;

/** Non-ASCII paths come out as written rather than octal-escaped. */
const GIT_CONFIG_ARGS = ["-c", "core.quotePath=false"];

const BLOB_READ_CONCURRENCY = 8;

const SYMLINK_MODE = "120000";

/** The top folder of the git work tree `cwd` is in (where the config is read from). */
export async function repositoryRoot(cwd: string): Promise<string> {
  // A missing cwd fails the spawn with the same ENOENT as a missing git binary: tell them apart first.
  if (!(await isDirectory(cwd))) throw new Error(`directory not found: ${cwd}`);
  return (await runGit(["rev-parse", "--show-toplevel"], cwd)).trim();
}

export async function loadGitRangeSnapshot(options: GitRangeOptions): Promise<{ snapshot: PullRequestSnapshot; root: string }> {
  const root = await repositoryRoot(options.cwd);
  const git = (args: string[]): Promise<string> => runGit(args, root);

  const headRef = validateRef(options.head ?? "HEAD", "head");
  const headSha = await resolveCommit(git, headRef);
  if (!headSha) throw new Error(`head ref not found: ${headRef}`);

  const { baseRef, mergeBase } = options.base !== undefined
    ? await explicitBase(git, validateRef(options.base, "base"), headRef, headSha)
    : await defaultBase(git, headRef, headSha);

  const diff = await git([
    "diff",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--find-renames",
    "-U3",
    // A user's diff.noprefix or diff.mnemonicPrefix would otherwise change the headers parse-diff reads.
    "--src-prefix=a/",
    "--dst-prefix=b/",
    mergeBase,
    headSha,
  ]);
  const diffFiles = parseUnifiedDiff(diff);
  const tree = diffFiles.some((file) => file.status !== "removed") ? await listTree(git, headSha) : new Map<string, TreeEntry>();
  // The base tree, for the base versions of the files the PR changes, renames or deletes.
  const hasBase = (file: { status: string }) => file.status !== "added" && file.status !== "copied";
  const baseTree = diffFiles.some(hasBase) ? await listTree(git, mergeBase) : new Map<string, TreeEntry>();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files = await mapWithConcurrency(diffFiles, BLOB_READ_CONCURRENCY, async (diffFile): Promise<SnapshotFile> => {
    const file: SnapshotFile = { path: diffFile.path, status: diffFile.status, patch: diffFile.patch };
    if (diffFile.previousPath !== undefined) file.previousPath = diffFile.previousPath;
    if (hasBase(diffFile) && languageOf(diffFile.previousPath ?? diffFile.path)) {
      const base = await readHeadContent(root, baseTree.get(diffFile.previousPath ?? diffFile.path), maxFileBytes);
      if (base.content !== undefined) file.baseContent = base.content;
      else file.baseSkipReason = base.skipReason === "not in the head tree" ? "not in the base tree" : (base.skipReason ?? "not read");
    }
    if (diffFile.status === "removed") return { ...file, skipReason: "deleted" };
    return { ...file, ...(await readHeadContent(root, tree.get(diffFile.path), maxFileBytes)) };
  });
  const contextLimits = options.context ?? DEFAULT_CONTEXT_LIMITS;
  files.push(...(await readContextFiles(root, tree, diffFiles.map((file) => file.path), maxFileBytes)));
  const imported = await readImportContext(root, tree, files, maxFileBytes, contextLimits);
  files.push(...imported.files);
  const base = await readBaseContext(root, baseTree, files, maxFileBytes, contextLimits);

  const commits = parseGitLog(await git(["log", "--no-color", "--no-show-signature", "--reverse", "--encoding=UTF-8", "--format=%H%x00%an%x00%ae%x00%B%x1e", `${mergeBase}..${headSha}`]));
  const last = commits[commits.length - 1];
  const { title, body } = last ? splitMessage(last.message) : { title: `Changes since ${baseRef}`, body: "" };

  const name = path.basename(root) || root;
  const snapshot: PullRequestSnapshot = {
    repo: name,
    title,
    body,
    baseSha: mergeBase,
    headSha,
    baseBranch: (await branchName(git, baseRef)) ?? baseRef,
    labels: [],
    commits,
    files,
    context: imported.context,
    base,
  };
  const branch = await branchName(git, headRef);
  if (branch !== undefined) snapshot.branch = branch;
  if (last?.authorName) snapshot.author = { login: last.authorName, type: "User" };
  return { snapshot, root };
}

type Git = (args: string[]) => Promise<string>;

async function isDirectory(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}

/** A ref that begins with `-` would be read by git as an option. */
function validateRef(ref: string, role: "base" | "head"): string {
  if (ref.trim() === "" || ref.startsWith("-") || /[\0\n\r]/.test(ref)) throw new Error(`invalid ${role} ref: ${JSON.stringify(ref)}`);
  return ref;
}

async function resolveCommit(git: Git, ref: string): Promise<string | undefined> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function findMergeBase(git: Git, baseSha: string, headSha: string): Promise<string | undefined> {
  try {
    return (await git(["merge-base", baseSha, headSha])).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function explicitBase(git: Git, baseRef: string, headRef: string, headSha: string): Promise<{ baseRef: string; mergeBase: string }> {
  const baseSha = await resolveCommit(git, baseRef);
  if (!baseSha) throw new Error(`base ref not found: ${baseRef}`);
  const mergeBase = await findMergeBase(git, baseSha, headSha);
  if (!mergeBase) throw new Error(`${baseRef} and ${headRef} have no common ancestor`);
  return { baseRef, mergeBase };
}

/**
 * The first candidate that exists and leaves something to review: on `main` itself, `main` is skipped
 * (head is not ahead of it) and the review falls through to the last commit.
 */
async function defaultBase(git: Git, headRef: string, headSha: string): Promise<{ baseRef: string; mergeBase: string }> {
  const tried: string[] = [];
  for (const candidate of ["origin/HEAD", "main", "master", `${headRef}~1`]) {
    const sha = await resolveCommit(git, candidate);
    if (!sha) {
      tried.push(`${candidate} (not found)`);
      continue;
    }
    const mergeBase = await findMergeBase(git, sha, headSha);
    if (!mergeBase) tried.push(`${candidate} (no common ancestor with ${headRef})`);
    else if (mergeBase === headSha) tried.push(`${candidate} (${headRef} has no commits after it)`);
    else return { baseRef: candidate, mergeBase };
  }
  throw new Error(`no base to compare ${headRef} with; tried ${tried.join(", ")}. Pass --base REF.`);
}

/** The branch a ref names, without `refs/heads/` or a remote's prefix; undefined for a SHA, a tag or a detached HEAD. */
async function branchName(git: Git, ref: string): Promise<string | undefined> {
  let full: string;
  try {
    full = (await git(["rev-parse", "--symbolic-full-name", ref])).trim();
  } catch {
    return undefined;
  }
  if (full.startsWith("refs/heads/")) return full.slice("refs/heads/".length);
  const remote = /^refs\/remotes\/[^/]+\/(.+)$/.exec(full);
  if (remote && remote[1] !== "HEAD") return remote[1];
  return undefined;
}

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  size?: number;
}

/** Every entry of the head tree in one call (`-z`: paths exactly as stored, never quoted). */
async function listTree(git: Git, headSha: string): Promise<Map<string, TreeEntry>> {
  const output = await git(["ls-tree", "-r", "-l", "-z", "--full-tree", headSha]);
  const entries = new Map<string, TreeEntry>();
  for (const record of output.split("\0")) {
    // `<mode> SP <type> SP <object> SP+ <size> TAB <path>`; size is `-` for a submodule.
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (!match) continue;
    const [, mode, type, sha, size, filePath] = match;
    entries.set(filePath!, { mode: mode!, type: type!, sha: sha!, ...(size === "-" ? {} : { size: Number(size) }) });
  }
  return entries;
}

/** The unchanged guard files at the head the changed routes depend on (see review/context-files.ts); unreadable ones are left out. */
async function readContextFiles(root: string, tree: Map<string, TreeEntry>, changed: string[], maxFileBytes: number): Promise<SnapshotFile[]> {
  const wanted = contextWanted(changed);
  const listed = new Set(changed);
  const paths = [...tree.keys()].filter((candidate) => !listed.has(candidate) && isWantedContext(candidate, wanted)).sort().slice(0, MAX_CONTEXT_FILES);
  const read = await mapWithConcurrency(paths, BLOB_READ_CONCURRENCY, async (filePath) => ({ filePath, head: await readHeadContent(root, tree.get(filePath), maxFileBytes) }));
  return read.flatMap(({ filePath, head }) => (head.content === undefined ? [] : [{ path: filePath, status: "unchanged" as const, context: true, ...head }]));
}

/** Config files larger than this are not read for the module layout. */
const MAX_LAYOUT_FILE_BYTES = 64 * 1024;

/**
 * The base side: the unchanged files the touched files' base versions reach (guard files, imports
 * followed as for the head). An unchanged file reads the same in both trees, so what the head
 * already read is reused and only the rest is read from the base tree.
 */
async function readBaseContext(root: string, baseTree: Map<string, TreeEntry>, files: SnapshotFile[], maxFileBytes: number, limits: ContextLimits): Promise<SnapshotBase> {
  const touched = files.filter((file) => !file.context);
  const seeds = touched.flatMap((file) => (file.baseContent === undefined ? [] : [{ path: file.previousPath ?? file.path, content: file.baseContent }]));
  if (seeds.length === 0) return { contextPaths: [], files: [] };
  const touchedBase = new Set(touched.map((file) => file.previousPath ?? file.path));
  const guards = await readContextFiles(root, baseTree, [...touchedBase], maxFileBytes);
  const headRead = new Map(files.filter((file) => file.context && file.content !== undefined).map((file) => [file.path, file.content!]));
  const imported = await readImportContext(root, baseTree, [...seeds.map((seed) => ({ path: seed.path, status: "modified" as const, content: seed.content })), ...guards], maxFileBytes, limits, headRead);
  const contextPaths = [...guards, ...imported.files].map((file) => file.path);
  return { contextPaths, files: [...guards, ...imported.files].filter((file) => !headRead.has(file.path)), context: imported.context };
}

/** The unchanged files the PR's files import, level by level (see review/context-imports.ts); `known` holds contents already read. */
async function readImportContext(root: string, tree: Map<string, TreeEntry>, files: SnapshotFile[], maxFileBytes: number, limits: ContextLimits, known: ReadonlyMap<string, string> = new Map()): Promise<{ files: SnapshotFile[]; context: SnapshotContext }> {
  const configs = new Map<string, string>();
  const configPaths = layoutConfigPaths([...tree.keys()].filter((candidate) => isRegularFile(tree.get(candidate))));
  for (const { filePath, head } of await mapWithConcurrency(configPaths, BLOB_READ_CONCURRENCY, async (filePath) => ({ filePath, head: await readHeadContent(root, tree.get(filePath), MAX_LAYOUT_FILE_BYTES) }))) {
    if (head.content !== undefined) configs.set(filePath, head.content);
  }
  const layout = buildModuleLayout(configs);
  const reader: ContextReader = {
    exists: (candidate) => isRegularFile(tree.get(candidate)),
    read: async (paths) =>
      new Map(
        await mapWithConcurrency(paths, BLOB_READ_CONCURRENCY, async (filePath) => {
          const content = known.get(filePath);
          return [filePath, content !== undefined ? { content } : await readHeadContent(root, tree.get(filePath), maxFileBytes)] as const;
        }),
      ),
  };
  const seeds = files.flatMap((file) => (file.content === undefined ? [] : [{ path: file.path, content: file.content }]));
  return loadImportContext(seeds, layout, reader, limits, new Set(files.map((file) => file.path)));
}

function isRegularFile(entry: TreeEntry | undefined): boolean {
  return entry !== undefined && entry.type === "blob" && entry.mode !== SYMLINK_MODE;
}

async function readHeadContent(root: string, entry: TreeEntry | undefined, maxFileBytes: number): Promise<Pick<SnapshotFile, "content" | "skipReason" | "size">> {
  if (!entry) return { skipReason: "not in the head tree" };
  if (entry.type === "commit") return { skipReason: "submodule" };
  if (entry.mode === SYMLINK_MODE) return { skipReason: "symlink", ...(entry.size === undefined ? {} : { size: entry.size }) };
  if (entry.size !== undefined && entry.size > maxFileBytes) return { size: entry.size, skipReason: tooLargeReason(maxFileBytes) };
  // The blob id from the tree listing gives the exact stored bytes: no path parsing, no textconv.
  const bytes = await runGit(["cat-file", "blob", entry.sha], root, "buffer");
  if (bytes.length > maxFileBytes) return { size: bytes.length, skipReason: tooLargeReason(maxFileBytes) };
  return { size: bytes.length, ...decodeTextContent(bytes) };
}

/** Records of `%H%x00%an%x00%ae%x00%B%x1e`, each followed by git's newline. */
export function parseGitLog(output: string): SnapshotCommit[] {
  const commits: SnapshotCommit[] = [];
  for (const record of output.split("\x1e")) {
    const trimmed = record.replace(/^\n+/, "");
    if (!trimmed) continue;
    const [sha = "", authorName = "", authorEmail = "", ...messageParts] = trimmed.split("\0");
    const message = messageParts.join("\0").replace(/\s+$/, "");
    const commit: SnapshotCommit = { sha, message, trailers: parseCommitTrailers(message) };
    if (authorName) commit.authorName = authorName;
    if (authorEmail) commit.authorEmail = authorEmail;
    commits.push(commit);
  }
  return commits;
}

/** Subject (first line) and body (the rest, without the blank line between them). */
function splitMessage(message: string): { title: string; body: string } {
  const newline = message.indexOf("\n");
  if (newline === -1) return { title: message.trim(), body: "" };
  return { title: message.slice(0, newline).trim(), body: message.slice(newline + 1).replace(/^\s*\n/, "").trim() };
}

function runGit(args: string[], cwd: string): Promise<string>;
function runGit(args: string[], cwd: string, encoding: "buffer"): Promise<Buffer>;
async function runGit(args: string[], cwd: string, encoding: "utf8" | "buffer" = "utf8"): Promise<string | Buffer> {
  try {
    const { stdout } = await execFileAsync("git", [...GIT_CONFIG_ARGS, ...args], { cwd, encoding, maxBuffer: MAX_GIT_OUTPUT_BYTES });
    return stdout;
  } catch (error) {
    throw gitError(args, cwd, error);
  }
}

/** Git's own reason (first stderr line) and never its output, which may be a whole diff. */
function gitError(args: string[], cwd: string, error: unknown): Error {
  const failure = error as NodeJS.ErrnoException & { stderr?: string | Buffer };
  if (failure.code === "ENOENT" && !failure.stderr) return new Error("git is not installed or not on PATH");
  if (failure.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return new Error(`git ${args[0]} output exceeded ${MAX_GIT_OUTPUT_BYTES} bytes`);
  const reason = String(failure.stderr ?? "").split("\n").find((line) => line.trim() !== "")?.trim() ?? failure.message.split("\n")[0];
  return new Error(`git ${args[0]} failed in ${cwd}: ${reason}`);
}
