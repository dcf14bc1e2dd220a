import type { Logger } from "pino";
import { renderAiGateUpdate } from "../report/check-run.js";
import type { ReviewJob } from "../queue/types.js";
import { AI_GATE_EXTERNAL_ID, findLatestCheckRun } from "./check-runs.js";
import type { GitHubClient } from "./client.js";
import { findWriteApproval } from "./permissions.js";

export type AiGateOutcome = "skipped" | "unchanged" | "approved" | "awaiting";

/**
 * After a review is submitted or dismissed: if the head's check run waits on the AI gate, set its
 * conclusion from the standing approvals (success when a user with write access approved this
 * head, action_required otherwise). Nothing is re-analysed.
 */
export async function reevaluateAiGate(octokit: GitHubClient, job: ReviewJob, log: Logger): Promise<AiGateOutcome> {
  const pull = { owner: job.owner, repo: job.repo, pull_number: job.pullNumber };
  const { data: pr } = await octokit.rest.pulls.get(pull);
  const headSha = pr.head.sha;
  const run = await findLatestCheckRun(octokit, { owner: job.owner, repo: job.repo, headSha });
  if (!run || run.externalId !== AI_GATE_EXTERNAL_ID || run.status !== "completed") {
    log.debug({ checkRunId: run?.id }, "head's check run is not waiting on the AI gate");
    return "skipped";
  }
  const approvedBy = await findWriteApproval(octokit, pull, headSha);
  const update = renderAiGateUpdate(run.summary, approvedBy);
  if (update.conclusion === run.conclusion && update.output.title === run.title) return "unchanged";
  await octokit.rest.checks.update({
    owner: job.owner,
    repo: job.repo,
    check_run_id: run.id,
    status: "completed",
    conclusion: update.conclusion,
    completed_at: new Date().toISOString(),
    output: update.output,
  });
  log.info({ checkRunId: run.id, conclusion: update.conclusion }, "AI gate re-evaluated");
  return approvedBy ? "approved" : "awaiting";
}
