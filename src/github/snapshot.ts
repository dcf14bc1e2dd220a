import { parseCommitTrailers, type FileStatus, type PullRequestSnapshot, type SnapshotCommit, type SnapshotFile } from "../snapshot.js";
import type { GitHubClient, PullRequestData, PullRequestRef } from "./client.js";

/** Extensions the engine analyses; other files are listed as not analysed without fetching them. */
export const ANALYSABLE_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".sql", ".prisma"];

/** GitHub lists at most 3,000 files of a PR. */
export const MAX_LISTED_FILES = 3_000;

/** Blob objects fetched per GraphQL query. */
export const CONTENT_BATCH_SIZE = 50;

export interface SnapshotLimits {
  maxFileBytes: number;
  maxFiles: number;
}

export function isAnalysablePath(path: string): boolean {
  const lower = path.toLowerCase();
  return ANALYSABLE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

interface BlobNode {
  oid?: string;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
}

type BlobResponse = { repository: Record<string, BlobNode | null> | null };

export function buildContentQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$e${index}: String!`).join(", ");
  const fields = Array.from({ length: count }, (_, index) => `f${index}: object(expression: $e${index}) { ... on Blob { oid text isBinary isTruncated byteSize } }`).join(" ");
  return `query SecurityReviewBlobs($owner: String!, $name: String!, ${variables}) { repository(owner: $owner, name: $name) { ${fields} } }`;
}

async function fetchHeadContents(octokit: GitHubClient, owner: string, repo: string, headSha: string, files: SnapshotFile[], limits: SnapshotLimits): Promise<void> {
  for (let start = 0; start < files.length; start += CONTENT_BATCH_SIZE) {
    const batch = files.slice(start, start + CONTENT_BATCH_SIZE);
    const variables: Record<string, string> = { owner, name: repo };
    batch.forEach((file, index) => (variables[`e${index}`] = `${headSha}:${file.path}`));
    const response = await octokit.graphql<BlobResponse>(buildContentQuery(batch.length), variables);
    for (const [index, file] of batch.entries()) {
      const blob = response.repository?.[`f${index}`];
      if (!blob || blob.byteSize === undefined) {
        file.skipReason = "not found at the head commit";
        continue;
      }
      file.size = blob.byteSize;
      if (blob.isBinary) file.skipReason = "binary file";
      else if (blob.byteSize > limits.maxFileBytes) file.skipReason = `too large (${blob.byteSize} bytes; limit ${limits.maxFileBytes})`;
      else if (!blob.isTruncated && typeof blob.text === "string") file.content = blob.text;
      else if (blob.oid) {
        // GraphQL truncates large text; the blobs API returns it whole (base64).
        const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: blob.oid });
        file.content = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8").toString("utf8");
      } else file.skipReason = "content not available";
    }
  }
}

/**
 * Reads a PR from GitHub as plain data: the PR, its files (up to GitHub's 3,000, the rest counted),
 * head contents of analysable files within the limits, and its commits with trailers. Pass the
 * PR when it was just fetched, to spare a request.
 */
export async function loadPullRequestSnapshot(octokit: GitHubClient, ref: PullRequestRef, limits: SnapshotLimits, fetched?: PullRequestData): Promise<PullRequestSnapshot> {
  const { owner, repo, pull_number } = ref;
  const pr = fetched ?? (await octokit.rest.pulls.get({ owner, repo, pull_number })).data;

  const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number, per_page: 100 });
  const files: SnapshotFile[] = listed.slice(0, MAX_LISTED_FILES).map((entry) => {
    const file: SnapshotFile = { path: entry.filename, status: entry.status as FileStatus };
    if (entry.previous_filename) file.previousPath = entry.previous_filename;
    if (entry.patch !== undefined) file.patch = entry.patch;
    return file;
  });

  const toFetch: SnapshotFile[] = [];
  for (const file of files) {
    if (file.status === "removed") file.skipReason = "deleted";
    else if (!isAnalysablePath(file.path)) file.skipReason = "unsupported file type";
    else if (toFetch.length >= limits.maxFiles) file.skipReason = `over the limit of ${limits.maxFiles} files per review`;
    else toFetch.push(file);
  }
  await fetchHeadContents(octokit, owner, repo, pr.head.sha, toFetch, limits);

  const listedCommits = await octokit.paginate(octokit.rest.pulls.listCommits, { owner, repo, pull_number, per_page: 100 });
  const commits = listedCommits.map((entry): SnapshotCommit => {
    const commit: SnapshotCommit = { sha: entry.sha, message: entry.commit.message, trailers: parseCommitTrailers(entry.commit.message) };
    if (entry.commit.author?.name) commit.authorName = entry.commit.author.name;
    if (entry.commit.author?.email) commit.authorEmail = entry.commit.author.email;
    if (entry.author?.login) commit.authorLogin = entry.author.login;
    return commit;
  });

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
  return snapshot;
}
