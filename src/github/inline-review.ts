import type { Logger } from "pino";
import { isMarkedOutdated, readFingerprint, renderOutdatedBody, type InlineComment } from "../report/inline.js";
import { isAppBot, type AppIdentity } from "./app-identity.js";
import { httpStatus, type GitHubClient, type PullRequestRef } from "./client.js";

/** A review thread the app opened, identified by the fingerprint hidden in its first comment. */
export interface InlineThread {
  threadId: string;
  isResolved: boolean;
  commentId: number;
  body: string;
  fingerprint: string;
}

const THREADS_QUERY = `query SecurityReviewThreads($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId body author { __typename login } } } }
      }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation SecurityReviewResolveThread($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

interface ThreadsResponse {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number | null; body: string; author?: { __typename?: string; login?: string } | null }[] } }[];
      };
    } | null;
  } | null;
}

/**
 * Every thread of the PR opened by this app's bot whose first comment ends with one of our
 * fingerprints. A fingerprint quoted anywhere else (another bot, a person, code in a suggestion)
 * is not ours: it never marks a finding as raised and never gets its thread resolved.
 */
export async function listInlineThreads(octokit: GitHubClient, pull: PullRequestRef, identity: AppIdentity): Promise<InlineThread[]> {
  const threads: InlineThread[] = [];
  let after: string | null = null;
  do {
    const response: ThreadsResponse = await octokit.graphql<ThreadsResponse>(THREADS_QUERY, { owner: pull.owner, name: pull.repo, number: pull.pull_number, after });
    const page = response.repository?.pullRequest?.reviewThreads;
    if (!page) break;
    for (const node of page.nodes) {
      const first = node.comments.nodes[0];
      const fingerprint = first && isAppBot(first.author, identity) ? readFingerprint(first.body) : undefined;
      if (!first?.databaseId || !fingerprint) continue;
      threads.push({ threadId: node.id, isResolved: node.isResolved, commentId: first.databaseId, body: first.body, fingerprint });
    }
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return threads;
}

/** One review on the head with every planned comment; a push never gets a second review for the same finding. */
export async function postInlineReview(octokit: GitHubClient, pull: PullRequestRef, headSha: string, comments: InlineComment[]): Promise<number | undefined> {
  if (comments.length === 0) return undefined;
  const { data } = await octokit.rest.pulls.createReview({
    ...pull,
    commit_id: headSha,
    event: "COMMENT",
    body: `Security review of \`${headSha}\`: ${comments.length} inline finding${comments.length === 1 ? "" : "s"}. The threat-model comment has the full review.`,
    comments: comments.map(({ fingerprint: _fingerprint, ...comment }) => comment),
  });
  return data.id;
}

/**
 * Threads whose finding is gone are resolved; where GitHub refuses (permissions, a locked PR), the
 * comment is marked outdated instead, so nothing stale is left standing as if it still applied.
 */
export async function retireVanishedThreads(octokit: GitHubClient, pull: PullRequestRef, threads: InlineThread[], current: ReadonlySet<string>, headSha: string, log: Logger): Promise<number> {
  let retired = 0;
  for (const thread of threads) {
    if (thread.isResolved || current.has(thread.fingerprint)) continue;
    try {
      await octokit.graphql(RESOLVE_MUTATION, { threadId: thread.threadId });
    } catch (error) {
      log.warn({ status: httpStatus(error), threadId: thread.threadId }, "could not resolve review thread: marking it outdated");
      if (!isMarkedOutdated(thread.body)) {
        await octokit.rest.pulls.updateReviewComment({ owner: pull.owner, repo: pull.repo, comment_id: thread.commentId, body: renderOutdatedBody(thread.body, headSha) });
      }
    }
    retired++;
  }
  return retired;
}
