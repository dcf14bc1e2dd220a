import type { GitHubClient } from "./client.js";

export interface IssueRef {
  owner: string;
  repo: string;
  issue_number: number;
}

/**
 * Creates the threat-model comment, or edits the one found by its hidden marker: one comment per
 * PR, never re-posted. Only bot comments count, so a human quoting the marker is left alone.
 * `commentCount` is the PR's comment count when just read (`pulls.get`'s `comments`): at 0 there is
 * nothing to search, and the listing request is skipped.
 */
export async function upsertThreatModelComment(octokit: GitHubClient, issue: IssueRef, body: string, marker: string, commentCount?: number): Promise<{ id: number; url: string; created: boolean }> {
  const comments = commentCount === 0 ? [] : await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
  const existing = comments.find((comment) => comment.user?.type === "Bot" && comment.body?.includes(marker));
  if (existing) {
    if (existing.body === body) return { id: existing.id, url: existing.html_url, created: false };
    const { data } = await octokit.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: existing.id, body });
    return { id: data.id, url: data.html_url, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ ...issue, body });
  return { id: data.id, url: data.html_url, created: true };
}

/** Edits the app's comment carrying `marker` with `transform`, when there is one and the text changes. */
export async function editMarkedComment(octokit: GitHubClient, issue: IssueRef, marker: string, transform: (body: string) => string, commentCount?: number): Promise<boolean> {
  if (commentCount === 0) return false;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
  const existing = comments.find((comment) => comment.user?.type === "Bot" && comment.body?.includes(marker));
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
