import type { Config } from "../config/schema.js";
import { languageOf } from "../review/analysis/parse.js";
import { contextWanted, isWantedContext, MAX_CONTEXT_FILES, type ContextWanted } from "../review/context-files.js";
import type { ContextReader } from "../review/context-imports.js";
import { buildModuleLayout, EMPTY_LAYOUT, layoutConfigPaths } from "../review/module-layout.js";
import { scopeFiles } from "../review/scope.js";
import { parseCommitTrailers, type FileStatus, type PullRequestSnapshot, type SnapshotBase, type SnapshotCommit, type SnapshotContext, type SnapshotFile } from "../snapshot.js";
import { httpStatus, type GitHubClient, type PullRequestRef } from "./client.js";
import { inThreadFileWork, type FileWork } from "./file-work.js";
import { NATIVE_JSON } from "./native-json.js";
import type { PullRequestInfo } from "./review-context.js";

/** GitHub lists at most 3,000 files of a PR. */
export const MAX_LISTED_FILES = 3_000;

/**
 * Files whose head contents one GraphQL query fetches. GitHub documents no cap on aliases, only a
 * time limit (about 10 s) and rate-limit points (an `object` field costs none of the connection
 * points): 200 keeps a 1,000-file PR at five queries. A batch GitHub cannot answer (a timeout, a
 * 5xx, an error without data) is split in halves and retried; a single file falls back to the blobs
 * API. Rate limits and permission errors are never retried here: they end the review.
 */
export const CONTENT_BATCH_SIZE = 200;

/** Commits read with the first content query; a PR with more pages through the REST listing. */
const COMMITS_PER_QUERY = 100;

export interface SnapshotLimits {
  maxFileBytes: number;
  maxFiles: number;
}

interface BlobNode {
  oid?: string;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
}

interface CommitsNode {
  commits: {
    pageInfo: { hasNextPage: boolean };
    nodes: { commit: { oid: string; message: string; author: { name: string | null; email: string | null; user: { login: string } | null } | null } }[];
  };
}

interface TreeNode {
  entries?: { name: string; type: string; object: BlobNode | null }[] | null;
}

type BlobResponse = { repository: (Record<string, BlobNode | TreeNode | null> & { pr?: CommitsNode | null; baseCommit?: { oid?: string } | null }) | null };

const BLOB_FIELDS = "... on Blob { oid text isBinary isTruncated byteSize }";

const COMMITS_FIELD = `pr: pullRequest(number: $number) { commits(first: ${COMMITS_PER_QUERY}) { pageInfo { hasNextPage } nodes { commit { oid message author { name email user { login } } } } } }`;

/**
 * The blob query for `count` files; with `withCommits`, the PR's first 100 commits come in the same
 * request, and so do `contexts` context paths (a file, or a folder's entries: `c0`, `c1`…), the
 * base versions of `bases` touched files (`b0`, `b1`…, by base SHA), and with `withBase` whether
 * the base commit still exists (a force-push or a deleted branch can take it away).
 */
export function buildContentQuery(count: number, withCommits = false, contexts = 0, bases = 0, withBase = false): string {
  const variables = [
    ...(withCommits ? ["$number: Int!"] : []),
    ...(withBase ? ["$base: String!"] : []),
    ...Array.from({ length: count }, (_, index) => `$e${index}: String!`),
    ...Array.from({ length: contexts }, (_, index) => `$c${index}: String!`),
    ...Array.from({ length: bases }, (_, index) => `$b${index}: String!`),
  ].join(", ");
  const fields = Array.from({ length: count }, (_, index) => `f${index}: object(expression: $e${index}) { ${BLOB_FIELDS} }`);
  for (let index = 0; index < contexts; index++) fields.push(`c${index}: object(expression: $c${index}) { ${BLOB_FIELDS} ... on Tree { entries { name type object { ${BLOB_FIELDS} } } } }`);
  for (let index = 0; index < bases; index++) fields.push(`b${index}: object(expression: $b${index}) { ${BLOB_FIELDS} }`);
  if (withBase) fields.push("baseCommit: object(expression: $base) { ... on Commit { oid } }");
  if (withCommits) fields.push(COMMITS_FIELD);
  return `query SecurityReviewBlobs($owner: String!, $name: String!${variables ? `, ${variables}` : ""}) { repository(owner: $owner, name: $name) { ${fields.join(" ")} } }`;
}

/** Whether a failed content query is worth splitting: not a rate limit, a permission or an auth error. */
function isSplittable(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined) return status >= 500;
  if (typeof error !== "object" || error === null || !("errors" in error) || !Array.isArray(error.errors)) return false;
  return !(error.errors as { type?: string }[]).some((entry) => entry.type === "RATE_LIMITED" || entry.type === "FORBIDDEN" || entry.type === "INSUFFICIENT_SCOPES");
}

interface ContentTarget {
  file: SnapshotFile;
  /** The file's blob SHA at the head, from the listing: the blobs API fallback. */
  blobSha?: string;
  /** Read the head content (not for a file the PR deletes). */
  head?: boolean;
  /** PR mode: the path whose base version to read (the old path of a rename). */
  basePath?: string;
}

class ContentLoader {
  commits: SnapshotCommit[] | undefined;
  /** Whether the base commit exists, once a query has asked (undefined: not asked or not known). */
  baseExists: boolean | undefined;
  /** Unchanged guard files read with the first query (see review/context-files.ts). */
  readonly context: SnapshotFile[] = [];

  constructor(
    private readonly octokit: GitHubClient,
    private readonly ref: PullRequestRef,
    private readonly headSha: string,
    private readonly limits: SnapshotLimits,
    private readonly wanted: ContextWanted = { files: [], folders: [] },
    private readonly listed: ReadonlySet<string> = new Set(),
    private readonly baseSha?: string,
  ) {}

  /** Every target's content in batches of CONTENT_BATCH_SIZE; the first query also reads the commits (unless `withCommits` is false). */
  async load(targets: ContentTarget[], withCommits = true): Promise<void> {
    // Nothing to read: the commits alone cost the same request through REST.
    if (targets.length === 0) return;
    for (let start = 0; start < targets.length; start += CONTENT_BATCH_SIZE) {
      await this.batch(targets.slice(start, start + CONTENT_BATCH_SIZE), withCommits && start === 0);
    }
  }

  private async batch(targets: ContentTarget[], withCommits: boolean): Promise<void> {
    let response: BlobResponse;
    try {
      response = await this.query(targets, withCommits);
    } catch (error) {
      if (!isSplittable(error)) throw error;
      if (targets.length > 1) {
        const half = Math.ceil(targets.length / 2);
        await this.batch(targets.slice(0, half), withCommits);
        await this.batch(targets.slice(half), false);
        return;
      }
      const [only] = targets;
      if (only && only.head === false) {
        only.file.baseSkipReason = "its base version could not be read";
        return;
      }
      if (!only?.blobSha) throw error;
      if (only.basePath !== undefined) only.file.baseSkipReason = "its base version could not be read";
      await this.fromBlob(only.file, only.blobSha);
      return;
    }
    for (const [index, { file, basePath }] of targets.filter((target) => target.basePath !== undefined).entries()) {
      if (basePath !== undefined) await this.readBase(file, response.repository?.[`b${index}`] as BlobNode | null | undefined);
    }
    for (const [index, { file }] of targets.filter((target) => target.head !== false).entries()) {
      const blob = response.repository?.[`f${index}`] as BlobNode | null | undefined;
      if (!blob || blob.byteSize === undefined) {
        file.skipReason = "not found at the head commit";
        continue;
      }
      file.size = blob.byteSize;
      if (blob.isBinary) file.skipReason = "binary file";
      else if (blob.byteSize > this.limits.maxFileBytes) file.skipReason = `too large (${blob.byteSize} bytes; limit ${this.limits.maxFileBytes})`;
      else if (!blob.isTruncated && typeof blob.text === "string") file.content = blob.text;
      // GraphQL truncates large text; the blobs API returns it whole (base64).
      else if (blob.oid) await this.fromBlob(file, blob.oid);
      else file.skipReason = "content not available";
    }
  }

  private async query(targets: ContentTarget[], withCommits: boolean): Promise<BlobResponse> {
    const variables: Record<string, string | number> = { owner: this.ref.owner, name: this.ref.repo };
    if (withCommits) variables.number = this.ref.pull_number;
    const heads = targets.filter((target) => target.head !== false);
    heads.forEach(({ file }, index) => (variables[`e${index}`] = `${this.headSha}:${file.path}`));
    // Base versions ride on the same query, by base SHA.
    const bases = this.baseSha ? targets.filter((target) => target.basePath !== undefined) : [];
    bases.forEach(({ basePath }, index) => (variables[`b${index}`] = `${this.baseSha}:${basePath}`));
    const withBase = bases.length > 0 && this.baseExists === undefined;
    if (withBase) variables.base = this.baseSha!;
    // Context paths ride on the query that reads the commits: no request of their own.
    const contexts = withCommits ? [...this.wanted.files, ...this.wanted.folders] : [];
    contexts.forEach((path, index) => (variables[`c${index}`] = `${this.headSha}:${path}`));
    // File contents: parsed natively (a failed query is split and retried above, not by the retry plugin).
    const response = await this.octokit.graphql<BlobResponse>(buildContentQuery(heads.length, withCommits, contexts.length, bases.length, withBase), { ...variables, request: NATIVE_JSON });
    if (withBase) this.baseExists = typeof response.repository?.baseCommit?.oid === "string";
    contexts.forEach((path, index) => this.readContext(path, response.repository?.[`c${index}`]));
    const commits = response.repository?.pr?.commits;
    if (withCommits && commits && !commits.pageInfo.hasNextPage) {
      this.commits = commits.nodes.map(({ commit: entry }): SnapshotCommit => {
        const commit: SnapshotCommit = { sha: entry.oid, message: entry.message, trailers: parseCommitTrailers(entry.message) };
        if (entry.author?.name) commit.authorName = entry.author.name;
        if (entry.author?.email) commit.authorEmail = entry.author.email;
        if (entry.author?.user?.login) commit.authorLogin = entry.author.user.login;
        return commit;
      });
    }
    return response;
  }

  /**
   * A context path's answer: a file, or a folder whose wanted entries are files. Whatever is missing,
   * binary, truncated or too large is left out (a context file costs no request of its own).
   */
  private readContext(path: string, node: BlobNode | TreeNode | null | undefined): void {
    if (!node || typeof node !== "object") return;
    const found: { path: string; blob: BlobNode | null }[] = [];
    if ("entries" in node && Array.isArray(node.entries)) {
      for (const entry of node.entries) if (entry && entry.type === "blob" && typeof entry.name === "string") found.push({ path: `${path}/${entry.name}`, blob: entry.object });
    } else found.push({ path, blob: node as BlobNode });
    for (const { path: filePath, blob } of found) {
      if (this.context.length >= MAX_CONTEXT_FILES) return;
      if (this.listed.has(filePath) || !isWantedContext(filePath, this.wanted) || !blob || typeof blob.text !== "string") continue;
      if (blob.isBinary || blob.isTruncated || (blob.byteSize ?? 0) > this.limits.maxFileBytes) continue;
      this.context.push({ path: filePath, status: "unchanged", context: true, content: blob.text, size: blob.byteSize ?? Buffer.byteLength(blob.text) });
    }
  }

  /** A touched file's base version, with the same limits as the head's; whatever is not read says why. */
  private async readBase(file: SnapshotFile, blob: BlobNode | null | undefined): Promise<void> {
    if (!blob || blob.byteSize === undefined) file.baseSkipReason = "not found at the base commit";
    else if (blob.isBinary) file.baseSkipReason = "its base version is binary";
    else if (blob.byteSize > this.limits.maxFileBytes) file.baseSkipReason = `its base version is too large (${blob.byteSize} bytes; limit ${this.limits.maxFileBytes})`;
    else if (!blob.isTruncated && typeof blob.text === "string") file.baseContent = blob.text;
    else if (blob.oid) {
      const probe: SnapshotFile = { path: file.path, status: "unchanged" };
      await this.fromBlob(probe, blob.oid);
      if (probe.content !== undefined) file.baseContent = probe.content;
      else file.baseSkipReason = `its base version is ${probe.skipReason ?? "not readable"}`;
    } else file.baseSkipReason = "its base version is not available";
  }

  private async fromBlob(file: SnapshotFile, sha: string): Promise<void> {
    const { data } = await this.octokit.rest.git.getBlob({ owner: this.ref.owner, repo: this.ref.repo, file_sha: sha });
    const content = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
    file.size = data.size ?? content.length;
    if (file.size > this.limits.maxFileBytes) file.skipReason = `too large (${file.size} bytes; limit ${this.limits.maxFileBytes})`;
    else file.content = content.toString("utf8");
  }
}

async function listCommits(octokit: GitHubClient, ref: PullRequestRef): Promise<SnapshotCommit[]> {
  const listed = await octokit.paginate(octokit.rest.pulls.listCommits, { ...ref, per_page: 100 });
  return listed.map((entry): SnapshotCommit => {
    const commit: SnapshotCommit = { sha: entry.sha, message: entry.commit.message, trailers: parseCommitTrailers(entry.commit.message) };
    if (entry.commit.author?.name) commit.authorName = entry.commit.author.name;
    if (entry.commit.author?.email) commit.authorEmail = entry.commit.author.email;
    if (entry.author?.login) commit.authorLogin = entry.author.login;
    return commit;
  });
}

/** Why a PR's file was not fetched: the config's paths (or the default exclusions) leave it out of the review. */
const EXCLUDED_BY_PATHS = "excluded by paths";

/**
 * Which listed files the engine will read: the same scope it applies (`scopeFiles` with the repo's
 * config), so tests, fixtures, generated files, other languages and deleted files are never
 * fetched. The rest get the reason they are not.
 */
function selectFilesToFetch(files: SnapshotFile[], config: Config): { toFetch: SnapshotFile[]; deleted: SnapshotFile[] } {
  // Empty stand-in contents, no file cap: which files are in scope at all (a deleted file as if it were still there).
  const probe = files.map((file) => ({ ...file, content: "", ...(file.status === "removed" ? { status: "modified" as const } : {}) }));
  const { analyse } = scopeFiles(probe, { ...config, limits: { ...config.limits, maxFiles: Number.MAX_SAFE_INTEGER } });
  const inScope = new Set(analyse.map((scoped) => scoped.file.path));
  const toFetch: SnapshotFile[] = [];
  const deleted: SnapshotFile[] = [];
  for (const file of files) {
    if (file.status === "removed") {
      file.skipReason = "deleted";
      if (inScope.has(file.path)) deleted.push(file);
    }
    else if (!languageOf(file.path)) file.skipReason = "unsupported file type";
    else if (!inScope.has(file.path)) file.skipReason = EXCLUDED_BY_PATHS;
    else if (toFetch.length >= config.limits.maxFiles) file.skipReason = `over the limit of ${config.limits.maxFiles} files per review`;
    else toFetch.push(file);
  }
  return { toFetch, deleted };
}

/**
 * Reads a PR from GitHub as plain data: the PR, its files (up to GitHub's 3,000, the rest counted),
 * head contents of the files the engine will analyse (its scope under `config`, within the
 * limits), and its commits with trailers. Pass the PR when it was just fetched, to spare a request.
 *
 * Requests: the file listing (100 a page), then one GraphQL query per 200 files to read, the first
 * of which also carries the commits (a PR with over 100 commits lists them through REST).
 *
 * The scans of whole files for their imports run through `work` (the app's: in the review pool's
 * threads, off the event loop).
 */
export async function loadPullRequestSnapshot(octokit: GitHubClient, ref: PullRequestRef, config: Config, fetched?: PullRequestInfo, work: FileWork = inThreadFileWork): Promise<PullRequestSnapshot> {
  const { owner, repo, pull_number } = ref;
  const pr = fetched ?? (await octokit.rest.pulls.get({ owner, repo, pull_number })).data;

  const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number, per_page: 100 });
  const targets: ContentTarget[] = [];
  const files: SnapshotFile[] = listed.slice(0, MAX_LISTED_FILES).map((entry) => {
    const file: SnapshotFile = { path: entry.filename, status: entry.status as FileStatus };
    if (entry.previous_filename) file.previousPath = entry.previous_filename;
    if (entry.patch !== undefined) file.patch = entry.patch;
    return file;
  });
  const blobShas = new Map(listed.map((entry) => [entry.filename, entry.sha]));
  const selected = selectFilesToFetch(files, config);
  // PR mode: the base version of every file the PR changes, renames or deletes rides on the same queries.
  const basePathOf = (file: SnapshotFile) => (file.status === "added" || file.status === "copied" ? undefined : (file.previousPath ?? file.path));
  for (const file of selected.toFetch) {
    const blobSha = blobShas.get(file.path);
    const basePath = basePathOf(file);
    targets.push({ file, ...(blobSha ? { blobSha } : {}), ...(basePath !== undefined ? { basePath } : {}) });
  }
  for (const file of selected.deleted) targets.push({ file, head: false, basePath: file.path });

  const listedPaths = new Set(files.map((file) => file.path));
  const loader = new ContentLoader(octokit, ref, pr.head.sha, config.limits, contextWanted([...listedPaths]), listedPaths, pr.base.sha);
  // The head tree says which files exist (one request); the configs that map imports to them ride on the first content query.
  const tree = config.limits.contextDepth > 0 && targets.some((target) => target.head !== false) ? await listHeadTree(octokit, ref, pr.head.sha) : undefined;
  const configFiles = (tree ? layoutConfigPaths(tree.files.keys()) : []).map((path): SnapshotFile => ({ path, status: "unchanged" }));
  await loader.load([...targets, ...configFiles.map((file) => ({ file }))]);
  const commits = loader.commits ?? (await listCommits(octokit, ref));
  const imported = tree ? await readImportContext(loader, tree, [...files, ...loader.context], configFiles, config, work) : undefined;

  const snapshot: PullRequestSnapshot = {
    repo: `${owner}/${repo}`,
    number: pull_number,
    title: pr.title,
    body: pr.body ?? "",
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    branch: pr.head.ref,
    baseBranch: pr.base.ref,
    labels: pr.labels.map((label) => label.name),
    commits,
    files,
  };
  if (pr.user) snapshot.author = { login: pr.user.login, type: pr.user.type };
  // `changed_files` counts every file; the listing stops at 3,000.
  const unlisted = Math.max(pr.changed_files - files.length, listed.length - files.length, 0);
  if (unlisted > 0) snapshot.unlistedFileCount = unlisted;
  files.push(...loader.context);
  if (imported) {
    files.push(...imported.files);
    snapshot.context = imported.context;
  } else if (config.limits.contextDepth > 0 && targets.some((target) => target.head !== false)) {
    snapshot.context = { layout: EMPTY_LAYOUT, unread: [], notes: ["The head tree could not be listed, so the modules the PR's files import were not read."] };
  }
  snapshot.base = loader.baseExists === false
    ? { contextPaths: [], files: [], unavailable: `the base commit ${pr.base.sha.slice(0, 12)} no longer exists (a force-push or a deleted branch)` }
    : tree && imported
      ? await readBaseContext(loader, tree, files, loader.context, imported.context, config, work)
      : { contextPaths: loader.context.map((file) => file.path), files: [] };
  return snapshot;
}

interface HeadTree {
  /** Regular files of the head tree (no links, no submodules). */
  files: Set<string>;
  truncated: boolean;
}

/** The head tree in one request; undefined when GitHub cannot list it (the review goes on without import context). */
async function listHeadTree(octokit: GitHubClient, ref: PullRequestRef, headSha: string): Promise<HeadTree | undefined> {
  try {
    const { data } = await octokit.rest.git.getTree({ owner: ref.owner, repo: ref.repo, tree_sha: headSha, recursive: "true" });
    const files = new Set<string>();
    for (const entry of data.tree) if (entry.type === "blob" && entry.mode !== "120000" && typeof entry.path === "string") files.add(entry.path);
    return { files, truncated: data.truncated };
  } catch (error) {
    // A rate limit or a lost installation ends the review as any other request's would.
    const status = httpStatus(error);
    if (status === 401 || status === 403 || status === 429) throw error;
    return undefined;
  }
}

/**
 * The base side's context: the unchanged files the touched files' base versions import, followed as
 * the head's are. An unchanged file is the same in both trees, so it is read at the head (and what
 * the head review already read costs nothing); the base tree is the head's listing with the PR's
 * additions taken out and its deletions and old names put back: no request of its own.
 */
async function readBaseContext(loader: ContentLoader, tree: HeadTree, files: SnapshotFile[], guards: readonly SnapshotFile[], headContext: SnapshotContext, config: Config, work: FileWork): Promise<SnapshotBase> {
  const touched = files.filter((file) => !file.context);
  const seeds = touched.flatMap((file) => (file.baseContent === undefined ? [] : [{ path: file.previousPath ?? file.path, content: file.baseContent }]));
  if (seeds.length === 0) return { contextPaths: guards.map((file) => file.path), files: [] };
  const added = new Set(touched.filter((file) => file.status === "added" || file.status === "copied" || file.status === "renamed").map((file) => file.path));
  const restored = new Set(touched.flatMap((file) => (file.status === "removed" ? [file.path] : file.previousPath !== undefined && file.status === "renamed" ? [file.previousPath] : [])));
  const headRead = new Map(files.filter((file) => file.context && file.content !== undefined).map((file) => [file.path, file.content!]));
  const read: ContextReader["read"] = async (paths) => {
    const answers = new Map<string, { content?: string; skipReason?: string }>();
    const missing: SnapshotFile[] = [];
    for (const path of paths) {
      const content = headRead.get(path);
      if (content !== undefined) answers.set(path, { content });
      else missing.push({ path, status: "unchanged" });
    }
    if (missing.length > 0) await loader.load(missing.map((file) => ({ file })), false);
    for (const file of missing) answers.set(file.path, file.content !== undefined ? { content: file.content } : { skipReason: file.skipReason ?? "not readable" });
    return answers;
  };
  const known = new Set([...touched.map((file) => file.previousPath ?? file.path), ...guards.map((file) => file.path)]);
  const limits = { depth: config.limits.contextDepth, files: config.limits.contextFiles };
  const result = await work.importContext({ seeds, layout: headContext.layout, tree: { files: tree.files, absent: added, present: restored }, limits, known }, read);
  return {
    contextPaths: [...guards, ...result.files].map((file) => file.path),
    files: result.files.filter((file) => !headRead.has(file.path)),
    context: result.context,
  };
}

/** Config files larger than this are not read for the module layout. */
const MAX_LAYOUT_FILE_BYTES = 64 * 1024;

/** The modules the PR's files import, one GraphQL round per import level (see review/context-imports.ts). */
async function readImportContext(loader: ContentLoader, tree: HeadTree, files: SnapshotFile[], configFiles: SnapshotFile[], config: Config, work: FileWork): Promise<{ files: SnapshotFile[]; context: SnapshotContext }> {
  const layout = buildModuleLayout(new Map(configFiles.flatMap((file) => (file.content !== undefined && Buffer.byteLength(file.content) <= MAX_LAYOUT_FILE_BYTES ? [[file.path, file.content] as const] : []))));
  const read: ContextReader["read"] = async (paths) => {
    const read = paths.map((path): SnapshotFile => ({ path, status: "unchanged" }));
    await loader.load(read.map((file) => ({ file })), false);
    return new Map(read.map((file) => [file.path, file.content !== undefined ? { content: file.content } : { skipReason: file.skipReason ?? "not readable" }]));
  };
  const seeds = files.flatMap((file) => (file.content === undefined ? [] : [{ path: file.path, content: file.content }]));
  const limits = { depth: config.limits.contextDepth, files: config.limits.contextFiles };
  // The PR's files the paths leave out were not fetched: the reviewed code's imports of them are read
  // like any other module's (the engine then reads them as context, never reviews them).
  const leftOut = new Map(files.filter((file) => !file.context && file.skipReason === EXCLUDED_BY_PATHS).map((file) => [file.path, file]));
  const known = new Set(files.filter((file) => !leftOut.has(file.path)).map((file) => file.path));
  const result = await work.importContext({ seeds, layout, tree: { files: tree.files }, limits, known }, read);
  result.files = result.files.filter((read) => {
    const touched = leftOut.get(read.path);
    if (!touched) return true;
    touched.content = read.content!;
    touched.size = read.size ?? Buffer.byteLength(read.content!);
    return false;
  });
  if (tree.truncated) result.context.notes.push("GitHub listed the head tree only in part (a very large repository): imports of files it did not list were not read.");
  return result;
}
