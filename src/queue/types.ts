/**
 * The review queue: webhook handlers validate and enqueue, workers review. Jobs are plain data so a
 * Redis-backed implementation (BullMQ) can carry them between processes; the in-process queue is
 * the default and needs no services.
 */

export type ReviewJobKind =
  /** Load the PR, run the engine, post the check run, comment and inline review. */
  | "review"
  /** Re-evaluate the AI gate of the head's check run from the PR's approvals; no analysis. */
  | "ai-gate";

export interface ReviewJob {
  kind: ReviewJobKind;
  installationId: number;
  owner: string;
  repo: string;
  pullNumber: number;
  /** The head SHA the event was about; the job is dropped if the PR has moved on when it posts. */
  headSha: string;
  /** The event that asked for it (`pull_request.synchronize`, `issue_comment.created`, …), for logs. */
  trigger: string;
  deliveryId: string;
  /** Review even when the config says to wait (a draft PR asked for by `/security recheck`). */
  force?: boolean;
}

export type ReviewJobProcessor = (job: ReviewJob) => Promise<void>;

export interface ReviewQueue {
  /**
   * Adds a job unless one with the same key is queued or running, or the delivery was already
   * seen. Returns whether it was added.
   */
  enqueue(job: ReviewJob): boolean;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

/** Redeliveries and rapid repeats of the same head coalesce on this key. */
export function reviewJobKey(job: Pick<ReviewJob, "kind" | "owner" | "repo" | "pullNumber" | "headSha">): string {
  return `${job.kind}:${job.owner}/${job.repo}#${job.pullNumber}@${job.headSha}`;
}
