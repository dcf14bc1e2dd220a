import type { Config } from "../config/schema.js";
import { languageOf } from "../review/analysis/parse.js";
import { contextWanted, isWantedContext, MAX_CONTEXT_FILES, type ContextWanted } from "../review/context-files.js";
import { loadImportContext, type ContextReader } from "../review/context-imports.js";
import { buildModuleLayout, EMPTY_LAYOUT, layoutConfigPaths } from "../review/module-layout.js";
import { scopeFiles } from "../review/scope.js";
import { parseCommitTrailers, type FileStatus, type PullRequestSnapshot, type SnapshotCommit, type SnapshotContext, type SnapshotFile } from "../snapshot.js";
import { httpStatus, type GitHubClient, type PullRequestRef } from "./client.js";
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

type BlobResponse = { repository: (Record<string, BlobNode | TreeNode | null> & { pr?: CommitsNode | null }) | null };

const BLOB_FIELDS = "... on Blob { oid text isBinary isTruncated byteSize }";

const COMMITS_FIELD = `pr: pullRequest(number: $number) { commits(first: ${COMMITS_PER_QUERY}) { pageInfo { hasNextPage } nodes { commit { oid message author { name email user { login } } } } } }`;

/**
 * The blob query for `count` files; with `withCommits`, the PR's first 100 commits come in the same
 * request, and so do `contexts` context paths (a file, or a folder's entries: `c0`, `c1`…).
 */
export function buildContentQuery(count: number, withCommits = false, contexts = 0): string {
  const variables = [
    ...(withCommits ? ["$number: Int!"] : []),
    ...Array.from({ length: count }, (_, index) => `$e${index}: String!`),
    ...Array.from({ length: contexts }, (_, index) => `$c${index}: String!`),
  ].join(", ");
  const fields = Array.from({ length: count }, (_, index) => `f${index}: object(expression: $e${index}) { ${BLOB_FIELDS} }`);
  for (let index = 0; index < contexts; index++) fields.push(`c${index}: object(expression: $c${index}) { ${BLOB_FIELDS} ... on Tree { entries { name type object { ${BLOB_FIELDS} } } } }`);
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
}

class ContentLoader {
  commits: SnapshotCommit[] | undefined;
  /** Unchanged guard files read with the first query (see review/context-files.ts). */
  readonly context: SnapshotFile[] = [];

  constructor(
    private readonly octokit: GitHubClient,
    private readonly ref: PullRequestRef,
    private readonly headSha: string,
    private readonly limits: SnapshotLimits,
    private readonly wanted: ContextWanted = { files: [], folders: [] },
    private readonly listed: ReadonlySet<string> = new Set(),
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
      if (!only?.blobSha) throw error;
      await this.fromBlob(only.file, only.blobSha);
      return;
    }
    for (const [index, { file }] of targets.entries()) {
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
    targets.forEach(({ file }, index) => (variables[`e${index}`] = `${this.headSha}:${file.path}`));
    // Context paths ride on the query that reads the commits: no request of their own.
    const contexts = withCommits ? [...this.wanted.files, ...this.wanted.folders] : [];
    contexts.forEach((path, index) => (variables[`c${index}`] = `${this.headSha}:${path}`));
    const response = await this.octokit.graphql<BlobResponse>(buildContentQuery(targets.length, withCommits, contexts.length), variables);
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

/**
 * Which listed files the engine will read: the same scope it applies (`scopeFiles` with the repo's
 * config), so tests, fixtures, generated files, other languages and deleted files are never
 * fetched. The rest get the reason they are not.
 */
function selectFilesToFetch(files: SnapshotFile[], config: Config): SnapshotFile[] {
  // Empty stand-in contents, no file cap: which files are in scope at all.
  const probe = files.map((file) => ({ ...file, content: "" }));
  const { analyse } = scopeFiles(probe, { ...config, limits: { ...config.limits, maxFiles: Number.MAX_SAFE_INTEGER } });
  const inScope = new Set(analyse.map((scoped) => scoped.file.path));
  const toFetch: SnapshotFile[] = [];
  for (const file of files) {
    if (file.status === "removed") file.skipReason = "deleted";
    else if (!languageOf(file.path)) file.skipReason = "unsupported file type";
    else if (!inScope.has(file.path)) file.skipReason = "excluded by paths";
    else if (toFetch.length >= config.limits.maxFiles) file.skipReason = `over the limit of ${config.limits.maxFiles} files per review`;
    else toFetch.push(file);
  }
  return toFetch;
}

/**
 * Reads a PR from GitHub as plain data: the PR, its files (up to GitHub's 3,000, the rest counted),
 * head contents of the files the engine will analyse (its scope under `config`, within the
 * limits), and its commits with trailers. Pass the PR when it was just fetched, to spare a request.
 *
 * Requests: the file listing (100 a page), then one GraphQL query per 200 files to read, the first
 * of which also carries the commits (a PR with over 100 commits lists them through REST).
 */
export async function loadPullRequestSnapshot(octokit: GitHubClient, ref: PullRequestRef, config: Config, fetched?: PullRequestInfo): Promise<PullRequestSnapshot> {
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
  for (const file of selectFilesToFetch(files, config)) {
    const blobSha = blobShas.get(file.path);
    targets.push(blobSha ? { file, blobSha } : { file });
  }

  const listedPaths = new Set(files.map((file) => file.path));
  const loader = new ContentLoader(octokit, ref, pr.head.sha, config.limits, contextWanted([...listedPaths]), listedPaths);
  // The head tree says which files exist (one request); the configs that map imports to them ride on the first content query.
  const tree = config.limits.contextDepth > 0 && targets.length > 0 ? await listHeadTree(octokit, ref, pr.head.sha) : undefined;
  const configFiles = (tree ? layoutConfigPaths(tree.files.keys()) : []).map((path): SnapshotFile => ({ path, status: "unchanged" }));
  await loader.load([...targets, ...configFiles.map((file) => ({ file }))]);
  const commits = loader.commits ?? (await listCommits(octokit, ref));
  const imported = tree ? await readImportContext(loader, tree, [...files, ...loader.context], configFiles, config) : undefined;

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
  } else if (config.limits.contextDepth > 0 && targets.length > 0) {
    snapshot.context = { layout: EMPTY_LAYOUT, unread: [], notes: ["The head tree could not be listed, so the modules the PR's files import were not read."] };
  }
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

/** Config files larger than this are not read for the module layout. */
const MAX_LAYOUT_FILE_BYTES = 64 * 1024;

/** The modules the PR's files import, one GraphQL round per import level (see review/context-imports.ts). */
async function readImportContext(loader: ContentLoader, tree: HeadTree, files: SnapshotFile[], configFiles: SnapshotFile[], config: Config): Promise<{ files: SnapshotFile[]; context: SnapshotContext }> {
  const layout = buildModuleLayout(new Map(configFiles.flatMap((file) => (file.content !== undefined && Buffer.byteLength(file.content) <= MAX_LAYOUT_FILE_BYTES ? [[file.path, file.content] as const] : []))));
  const reader: ContextReader = {
    exists: (path) => tree.files.has(path),
    read: async (paths) => {
      const read = paths.map((path): SnapshotFile => ({ path, status: "unchanged" }));
      await loader.load(read.map((file) => ({ file })), false);
      return new Map(read.map((file) => [file.path, file.content !== undefined ? { content: file.content } : { skipReason: file.skipReason ?? "not readable" }]));
    },
  };
  const seeds = files.flatMap((file) => (file.content === undefined ? [] : [{ path: file.path, content: file.content }]));
  const result = await loadImportContext(seeds, layout, reader, { depth: config.limits.contextDepth, files: config.limits.contextFiles }, new Set(files.map((file) => file.path)));
  if (tree.truncated) result.context.notes.push("GitHub listed the head tree only in part (a very large repository): imports of files it did not list were not read.");
  return result;
}
