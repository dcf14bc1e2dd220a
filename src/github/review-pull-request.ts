import type { Logger } from "pino";
import type { Config } from "../config/schema.js";
import { gateReasons, renderCheckRun, renderNotRunCheckRun } from "../report/check-run.js";
import { aiGateAwaiting, isMarkedAiGenerated, markAiGenerated, STICKY_AI_SIGNAL } from "../report/threat-model.js";
import { planInlineComments } from "../report/inline.js";
import type { ReviewJob } from "../queue/types.js";
import { DEFAULT_AI_LABELS } from "../review/provenance.js";
import { AI_GATE_EXTERNAL_ID, completeCheckRun, resumeCheckRun, retryCheckRunWrite, startCheckRun, type CheckRunRef } from "./check-runs.js";
import { httpStatus, type GitHubClient, type PullRequestRef } from "./client.js";
import { findMarkedComment, upsertThreatModelComment } from "./comments.js";
import type { AppIdentity } from "./app-identity.js";
import type { ReviewEngine } from "./engine.js";
import { inThreadFileWork } from "./file-work.js";
import { listInlineThreads, postInlineReview, retireVanishedThreads } from "./inline-review.js";
import { findWriteApproval } from "./permissions.js";
import { loadReviewContext } from "./review-context.js";
import { loadPullRequestSnapshot } from "./snapshot.js";

/** Whether a label is one the engine reads as an AI signal: a change of it re-reviews the head. */
export function isAiLabel(name: string, config: Config): boolean {
  const lower = name.toLowerCase();
  return [...DEFAULT_AI_LABELS, ...config.ai.labels].some((label) => label.toLowerCase() === lower);
}

/** A safe, short reason for an error: never its message text, which may quote code or payloads. */
export function describeFailure(error: unknown): string {
  const status = httpStatus(error);
  if (status === 403 || status === 429) return "GitHub API rate limit or permission error";
  if (status !== undefined) return `GitHub API error ${status}`;
  return `internal error (${error instanceof Error ? error.name : "unknown"})`;
}

export type ReviewOutcome = "skipped" | "superseded" | "not-run" | "reviewed" | "failed";

/**
 * Reviews one PR head end to end: config, snapshot, engine, then check run, threat-model comment,
 * inline review and resolved threads. Once the check run exists it is always completed.
 */
export async function reviewPullRequest(octokit: GitHubClient, job: ReviewJob, engine: ReviewEngine, log: Logger, options: { attempt?: number; identity: AppIdentity }): Promise<ReviewOutcome> {
  const pull: PullRequestRef = { owner: job.owner, repo: job.repo, pull_number: job.pullNumber };
  // The PR and the config in one request; the PR is read again only right before posting.
  const { config: { config, problems }, pr } = await loadReviewContext(octokit, pull);
  if (pr.state !== "open") {
    log.debug({ state: pr.state }, "PR is not open: not reviewed");
    return "skipped";
  }
  if (pr.draft && !config.reviewDrafts && !job.force) {
    log.debug("draft PR: waiting for ready_for_review");
    return "skipped";
  }

  // A retried job takes over the run its failed attempt left in progress, so no run is left hanging
  // and the head does not collect a second one.
  const resumed = (options.attempt ?? 1) > 1 ? await resumeCheckRun(octokit, { owner: job.owner, repo: job.repo, headSha: job.headSha }, options.identity) : undefined;
  const run = resumed ?? (await retryCheckRunWrite(() => startCheckRun(octokit, { owner: job.owner, repo: job.repo, headSha: job.headSha, detailsUrl: pr.html_url })));
  log.info({ checkRunId: run.check_run_id }, "check run started");
  try {
    if (pr.head.sha !== job.headSha) return await supersede(octokit, run, job, log);
    // An invalid config is reported, and the review runs with the defaults: a broken file never skips the gate.
    if (problems) log.info({ problems: problems.length }, "invalid config: reviewing with the defaults");

    const work = engine.fileWork ?? inThreadFileWork;
    const snapshot = await loadPullRequestSnapshot(octokit, pull, config, pr, work);
    // Once the app has seen the PR as AI-generated, it stays so: removing a label does not clear the gate.
    const issue = { owner: job.owner, repo: job.repo, issue_number: job.pullNumber };
    const previous = await findMarkedComment(octokit, issue, engine.threatModelMarker, options.identity, pr.comments);
    const review = await engine.reviewSnapshot(snapshot, config, isMarkedAiGenerated(previous?.body) ? { forceAi: STICKY_AI_SIGNAL } : {});
    const gate = gateReasons(review, { allowIncomplete: config.incomplete === "allow" });
    const approvedBy = gate.length > 0 ? await findWriteApproval(octokit, pull, job.headSha) : undefined;

    // The PR may have moved on while the engine ran: a stale head never posts. The fresh read also
    // counts the PR's comments and review comments: none means nothing of ours to find or resolve.
    const { data: latest } = await octokit.rest.pulls.get(pull);
    if (latest.head.sha !== job.headSha) return await supersede(octokit, run, job, log);

    const threads = latest.review_comments === 0 ? [] : await listInlineThreads(octokit, pull, options.identity);
    // Only the patches of files with findings are parsed: the lines an inline comment may go on.
    const withFindings = new Set(review.findings.map((finding) => finding.path));
    const patches = new Map(snapshot.files.flatMap((file) => (file.patch !== undefined && withFindings.has(file.path) ? [[file.path, file.patch] as const] : [])));
    const plan = planInlineComments(review.findings, {
      minSeverity: config.inlineMinSeverity,
      maxComments: config.maxInlineComments,
      alreadyCommented: new Set(threads.map((thread) => thread.fingerprint)),
      commentableLines: await work.commentableLines(patches),
    });

    const awaiting = gate.length > 0 && !approvedBy ? aiGateAwaiting(job.headSha) : undefined;
    const rendered = engine.renderThreatModelComment(review, { overflowFindings: plan.overflow, ...(awaiting ? { awaiting } : {}), ...(problems ? { configProblems: problems } : {}) });
    const body = review.provenance.aiGenerated ? markAiGenerated(rendered, engine.threatModelMarker) : rendered;
    // A comment created since the first look (a concurrent run) is searched for again.
    const known = previous ? { existing: previous } : undefined;
    const comment = await upsertThreatModelComment(octokit, issue, body, engine.threatModelMarker, options.identity, latest.comments, known);
    await postInlineReview(octokit, pull, job.headSha, plan.comments);
    // A finding missing from an incomplete review may be one a limit hid, not one that was fixed.
    const retired = review.incomplete ? 0 : await retireVanishedThreads(octokit, pull, threads, new Set(review.findings.map((finding) => finding.fingerprint)), job.headSha, log);

    const checkRun = renderCheckRun(review, { failOn: config.failOn, allowIncomplete: config.incomplete === "allow", ...(approvedBy ? { approvedBy } : {}), ...(problems ? { configProblems: problems } : {}) });
    await completeCheckRun(octokit, run, checkRun, { detailsUrl: comment.url, ...(gate.length > 0 ? { externalId: AI_GATE_EXTERNAL_ID } : {}) });
    log.info(
      { checkRunId: run.check_run_id, conclusion: checkRun.conclusion, findings: review.findings.length, inline: plan.comments.length, overflow: plan.overflow.length, retired },
      "review posted",
    );
    return "reviewed";
  } catch (error) {
    const reason = describeFailure(error);
    log.error({ status: httpStatus(error), checkRunId: run.check_run_id }, "review failed: completing the check run as a failure");
    try {
      await retryCheckRunWrite(() => completeCheckRun(octokit, run, renderNotRunCheckRun(reason, job.headSha)));
    } catch (completionError) {
      // A run left in progress blocks a required check; throwing lets the queue run the job again.
      log.error({ status: httpStatus(completionError), checkRunId: run.check_run_id }, "could not complete the check run: the queue retries the job");
      throw completionError;
    }
    return "failed";
  }
}

/**
 * The run of a head that is no longer the PR's head ends `failure`, never a passing conclusion: if
 * the branch is reset to this commit, its check must not read as reviewed.
 */
async function supersede(octokit: GitHubClient, run: CheckRunRef, job: ReviewJob, log: Logger): Promise<ReviewOutcome> {
  await retryCheckRunWrite(() => completeCheckRun(octokit, run, renderNotRunCheckRun("superseded by a newer push", job.headSha)));
  log.info({ checkRunId: run.check_run_id }, "head moved on: review superseded");
  return "superseded";
}
