import type { Logger } from "pino";
import type { ReviewJob } from "../queue/types.js";
import { HARDEN_MARKER, renderHardenComment } from "../report/harden.js";
import { isMarkedAiGenerated, STICKY_AI_SIGNAL } from "../report/threat-model.js";
import { planHardening } from "../review/harden.js";
import type { AppIdentity } from "./app-identity.js";
import type { PullRequestRef, GitHubClient } from "./client.js";
import { findMarkedComment, upsertThreatModelComment } from "./comments.js";
import type { ReviewEngine } from "./engine.js";
import { loadReviewContext } from "./review-context.js";
import { loadPullRequestSnapshot } from "./snapshot.js";

export type HardenOutcome = "skipped" | "superseded" | "posted";

/**
 * `/security harden`: reviews the PR's head, plans the fixes of its open findings (or those named)
 * and posts the plan as the app's own comment, found again by its marker and edited in place by
 * later requests. The app never pushes and leaves the check run to the review.
 */
export async function hardenPullRequest(octokit: GitHubClient, job: ReviewJob, engine: ReviewEngine, log: Logger, identity: AppIdentity): Promise<HardenOutcome> {
  const pull: PullRequestRef = { owner: job.owner, repo: job.repo, pull_number: job.pullNumber };
  const { config: { config }, pr } = await loadReviewContext(octokit, pull);
  if (pr.state !== "open") {
    log.debug({ state: pr.state }, "PR is not open: no harden plan");
    return "skipped";
  }
  if (pr.head.sha !== job.headSha) return "superseded";
  const snapshot = await loadPullRequestSnapshot(octokit, pull, config, pr);
  const issue = { owner: job.owner, repo: job.repo, issue_number: job.pullNumber };
  // A PR once seen as AI-generated stays so (the threat-model comment says so), as in the review.
  const threatModel = await findMarkedComment(octokit, issue, engine.threatModelMarker, identity, pr.comments);
  const options = isMarkedAiGenerated(threatModel?.body) ? { forceAi: STICKY_AI_SIGNAL } : {};
  const review = await engine.reviewSnapshot(snapshot, config, options);
  const plan = await planHardening(review, snapshot, config, job.rules?.length ? { rules: job.rules } : {}, (patched) => engine.reviewSnapshot(patched, config, options));

  // A plan for a head that is no longer the PR's would not apply: it is not posted.
  const { data: latest } = await octokit.rest.pulls.get(pull);
  if (latest.head.sha !== job.headSha) {
    log.info("head moved on: harden plan dropped");
    return "superseded";
  }
  const comment = await upsertThreatModelComment(octokit, issue, renderHardenComment(plan), HARDEN_MARKER, identity, latest.comments);
  log.info({ changes: plan.changes.length, diffs: plan.diffs.length, created: comment.created }, "harden plan posted");
  return "posted";
}
