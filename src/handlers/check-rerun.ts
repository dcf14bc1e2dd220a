import type { Context } from "probot";
import { findOpenPullRequestsForSha } from "../github/pull-requests.js";
import { CHECK_RUN_NAME } from "../report/check-run.js";
import type { HandlerDeps } from "./deps.js";

/**
 * "Re-run" in GitHub's UI, for one check run or its whole suite: review the PRs whose head it is.
 * Fork PRs come with an empty `pull_requests` array, so their PR is looked up by head SHA.
 */
export async function rerunForHead(
  context: Context<"check_run.rerequested" | "check_suite.rerequested">,
  deps: HandlerDeps,
  target: { headSha: string; pullRequests: { number: number; head: { sha: string } }[] },
): Promise<void> {
  const { payload } = context;
  if (!payload.installation) return context.log.debug("no installation: ignored");
  const repo = context.repo();
  const listed = target.pullRequests.filter((pull) => pull.head.sha === target.headSha).map((pull) => pull.number);
  const numbers = listed.length > 0 ? listed : (await findOpenPullRequestsForSha(context.octokit, repo, target.headSha)).map((pull) => pull.number);
  if (numbers.length === 0) return context.log.debug("no open PR has this head: ignored");
  for (const pullNumber of numbers) {
    await deps.queue.enqueue({
      kind: "review",
      installationId: payload.installation.id,
      owner: repo.owner,
      repo: repo.repo,
      pullNumber,
      headSha: target.headSha,
      trigger: `${context.name}.rerequested`,
      deliveryId: context.id,
      force: true,
    });
  }
}

export async function onCheckRunRerequested(context: Context<"check_run.rerequested">, deps: HandlerDeps): Promise<void> {
  const run = context.payload.check_run;
  if (run.name !== CHECK_RUN_NAME) return context.log.debug("another check run: ignored");
  await rerunForHead(context, deps, { headSha: run.head_sha, pullRequests: run.pull_requests });
}
