import type { Logger } from "pino";
import { renderAiGateUpdate } from "../report/check-run.js";
import { THREAT_MODEL_MARKER, updateAiGateLine } from "../report/threat-model.js";
import type { ReviewJob } from "../queue/types.js";
import { AI_GATE_EXTERNAL_ID, findLatestCheckRun } from "./check-runs.js";
import type { AppIdentity } from "./app-identity.js";
import type { GitHubClient } from "./client.js";
import { editMarkedComment } from "./comments.js";
import { findWriteApproval } from "./permissions.js";

export type AiGateOutcome = "skipped" | "unchanged" | "approved" | "awaiting";

/**
 * After a review is submitted or dismissed: if the head's check run waits on the AI gate, set its
 * conclusion from the standing approvals (success when a user with write access approved this
 * head, action_required otherwise). Nothing is re-analysed.
 */
export async function reevaluateAiGate(octokit: GitHubClient, job: ReviewJob, log: Logger, identity: AppIdentity): Promise<AiGateOutcome> {
  const pull = { owner: job.owner, repo: job.repo, pull_number: job.pullNumber };
  const { data: pr } = await octokit.rest.pulls.get(pull);
  const headSha = pr.head.sha;
  const run = await findLatestCheckRun(octokit, { owner: job.owner, repo: job.repo, headSha }, identity);
  if (!run || run.externalId !== AI_GATE_EXTERNAL_ID || run.status !== "completed") {
    log.debug({ checkRunId: run?.id }, "head's check run is not waiting on the AI gate");
    return "skipped";
  }
  const approvedBy = await findWriteApproval(octokit, pull, headSha);
  const update = renderAiGateUpdate(run.summary, approvedBy);
  if (!update) {
    log.debug({ checkRunId: run.id }, "head's check run has no approval gate of ours");
    return "skipped";
  }
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
  // The threat-model comment says what the gate waits for: keep it in step with the check run.
  const edited = await editMarkedComment(
    octokit,
    { owner: job.owner, repo: job.repo, issue_number: job.pullNumber },
    THREAT_MODEL_MARKER,
    (body) => updateAiGateLine(body, headSha, approvedBy),
    identity,
    pr.comments,
  );
  if (edited) log.debug({ pullNumber: job.pullNumber }, "threat-model comment's AI-gate line updated");
  return approvedBy ? "approved" : "awaiting";
}
