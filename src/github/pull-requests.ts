import type { GitHubClient } from "./client.js";

export interface OpenPullRequest {
  number: number;
  headSha: string;
}

/**
 * Open PRs whose head is `sha`. Check suites and runs of fork PRs carry an empty `pull_requests`
 * array, so a re-run of one has to find its PR this way.
 */
export async function findOpenPullRequestsForSha(octokit: GitHubClient, repo: { owner: string; repo: string }, sha: string): Promise<OpenPullRequest[]> {
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { ...repo, state: "open", per_page: 100 });
  return pulls.filter((pull) => pull.head.sha === sha).map((pull) => ({ number: pull.number, headSha: pull.head.sha }));
}
