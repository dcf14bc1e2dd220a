import { isAppBot, type AppIdentity } from "./app-identity.js";
import type { GitHubClient } from "./client.js";

/** What the comment functions call: the app's client and the Action's @octokit/rest client both have it. */
export type CommentClient = Pick<GitHubClient, "paginate" | "rest">;

export interface IssueRef {
  owner: string;
  repo: string;
  issue_number: number;
}

export interface MarkedComment {
  id: number;
  url: string;
  body: string;
}

/**
 * The app's comment carrying `marker`: authored by this app's bot and starting with the marker,
 * where the app writes it. A person or another bot quoting the marker is not the app.
 * `commentCount` is the PR's comment count when just read (`pulls.get`'s `comments`): at 0 there is
 * nothing to search, and the listing request is skipped.
 */
export async function findMarkedComment(octokit: CommentClient, issue: IssueRef, marker: string, identity: AppIdentity, commentCount?: number): Promise<MarkedComment | undefined> {
  if (commentCount === 0) return undefined;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
  const found = comments.find((comment) => isAppBot(comment.user, identity) && comment.body?.startsWith(marker));
  return found ? { id: found.id, url: found.html_url, body: found.body ?? "" } : undefined;
}

/**
 * Creates the threat-model comment, or edits the app's own one found by its hidden marker: one
 * comment per PR, never re-posted. `existing` skips the search when the caller already did it.
 */
export async function upsertThreatModelComment(
  octokit: CommentClient,
  issue: IssueRef,
  body: string,
  marker: string,
  identity: AppIdentity,
  commentCount?: number,
  known?: { existing: MarkedComment | undefined },
): Promise<{ id: number; url: string; created: boolean }> {
  const existing = known ? known.existing : await findMarkedComment(octokit, issue, marker, identity, commentCount);
  if (existing) {
    if (existing.body === body) return { id: existing.id, url: existing.url, created: false };
    const { data } = await octokit.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: existing.id, body });
    return { id: data.id, url: data.html_url, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ ...issue, body });
  return { id: data.id, url: data.html_url, created: true };
}

/** Edits the app's comment carrying `marker` with `transform`, when there is one and the text changes. */
export async function editMarkedComment(octokit: GitHubClient, issue: IssueRef, marker: string, transform: (body: string) => string, identity: AppIdentity, commentCount?: number): Promise<boolean> {
  const existing = await findMarkedComment(octokit, issue, marker, identity, commentCount);
  if (!existing?.body) return false;
  const body = transform(existing.body);
  if (body === existing.body) return false;
  await octokit.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: existing.id, body });
  return true;
}

export async function replyToComment(octokit: GitHubClient, issue: IssueRef, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...issue, body });
}

/** 👀 on a command comment: the app saw it and is on it. */
export async function acknowledgeComment(octokit: GitHubClient, target: { owner: string; repo: string; comment_id: number }): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ ...target, content: "eyes" });
}
