import type { ProbotOctokit } from "probot";

/** An installation-authenticated Octokit (Probot's, with REST methods, pagination, GraphQL and config). */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

export type PullRequestRef = {
  owner: string;
  repo: string;
  pull_number: number;
};

/** A pull request as `pulls.get` returns it. */
export type PullRequestData = Awaited<ReturnType<GitHubClient["rest"]["pulls"]["get"]>>["data"];

/** The status of a GitHub error, when it is one. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") return error.status;
  return undefined;
}
