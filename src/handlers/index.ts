import type { Probot } from "probot";
import { reevaluateAiGate } from "../github/ai-gate.js";
import type { ReviewEngine } from "../github/engine.js";
import { reviewPullRequest } from "../github/review-pull-request.js";
import { InProcessReviewQueue } from "../queue/in-process.js";
import { MemoryRecheckLimiter, type RecheckLimiter } from "../queue/recheck-limiter.js";
import type { ReviewJob, ReviewQueue } from "../queue/types.js";
import { onCheckRunRerequested } from "./check-rerun.js";
import { onCheckSuiteRerequested } from "./check-suite.js";
import type { HandlerDeps } from "./deps.js";
import { onIssueComment } from "./issue-comment.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./pull-request.js";
import { onPullRequestReview } from "./pull-request-review.js";

export interface RegisterOptions {
  engine: ReviewEngine;
  /** Reviews running at once in this process (default `REVIEW_CONCURRENCY` or 2). */
  concurrency?: number;
  limiter?: RecheckLimiter;
  /** Called with the queue once it exists: tests await `onIdle()` on it. */
  onQueue?: (queue: ReviewQueue) => void;
}

/** Runs one queued job with a fresh installation token and a child logger carrying its ids only. */
function createJobProcessor(app: Probot, engine: ReviewEngine) {
  return async (job: ReviewJob): Promise<void> => {
    const log = app.log.child({ deliveryId: job.deliveryId, repo: `${job.owner}/${job.repo}`, pr: job.pullNumber, headSha: job.headSha, job: job.kind, trigger: job.trigger });
    const octokit = await app.auth(job.installationId);
    if (job.kind === "ai-gate") await reevaluateAiGate(octokit, job, log);
    else await reviewPullRequest(octokit, job, engine, log);
  };
}

/** Wires each event to its handler; handlers validate and enqueue, the queue's workers review. */
export function registerHandlers(app: Probot, options: RegisterOptions): HandlerDeps {
  const concurrency = options.concurrency ?? (Number(process.env.REVIEW_CONCURRENCY) || 2);
  const queue = new InProcessReviewQueue(createJobProcessor(app, options.engine), { concurrency, log: app.log.child({ component: "review-queue" }) });
  options.onQueue?.(queue);
  const deps: HandlerDeps = { queue, limiter: options.limiter ?? new MemoryRecheckLimiter() };

  app.on([...PULL_REQUEST_EVENTS], (context) => onPullRequest(context, deps));
  app.on("issue_comment.created", (context) => onIssueComment(context, deps));
  app.on("check_run.rerequested", (context) => onCheckRunRerequested(context, deps));
  app.on("check_suite.rerequested", (context) => onCheckSuiteRerequested(context, deps));
  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], (context) => onPullRequestReview(context, deps));
  return deps;
}
