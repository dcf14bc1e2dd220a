import type { GitHubClient } from "./client.js";

/** `getCollaboratorPermissionLevel` reports maintain as write and triage as read. */
const WRITE_LEVELS = new Set(["admin", "write"]);

export async function permissionOf(octokit: GitHubClient, target: { owner: string; repo: string; username: string }): Promise<string> {
  const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel(target);
  return data.permission;
}

export async function hasWriteAccess(octokit: GitHubClient, target: { owner: string; repo: string; username: string }): Promise<boolean> {
  return WRITE_LEVELS.has(await permissionOf(octokit, target));
}

/**
 * The login of a user with write access whose standing review of the PR approves `headSha`, if
 * any. A later "changes requested" or a dismissal withdraws an approval; plain comments do not.
 */
export async function findWriteApproval(octokit: GitHubClient, pull: { owner: string; repo: string; pull_number: number }, headSha: string): Promise<string | undefined> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...pull, per_page: 100 });
  const standing = new Map<string, { state: string; commitId: string | null }>();
  for (const review of reviews) {
    const login = review.user?.login;
    if (!login || review.user?.type === "Bot") continue;
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    standing.set(login, { state: review.state, commitId: review.commit_id });
  }
  for (const [login, review] of standing) {
    if (review.state !== "APPROVED" || review.commitId !== headSha) continue;
    if (await hasWriteAccess(octokit, { owner: pull.owner, repo: pull.repo, username: login })) return login;
  }
  return undefined;
}
