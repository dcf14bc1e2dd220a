/**
 * The review queue: webhook handlers validate and enqueue, workers review. Jobs are plain data so a
 * Redis-backed implementation (BullMQ) can carry them between processes; the in-process queue is
 * the default and needs no services.
 */

export type ReviewJobKind =
  /** Load the PR, run the engine, post the check run, comment and inline review. */
  | "review"
  /** Re-evaluate the AI gate of the head's check run from the PR's approvals; no analysis. */
  | "ai-gate"
  /** Review the head and post (or update) the harden plan comment; the check run is left alone. */
  | "harden";

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
  /** `harden`: the rule ids or categories asked for; none means every open finding. */
  rules?: string[];
}

/** What the queue tells the processor about the run: ids for logs, and which attempt this is. */
export interface ReviewJobMeta {
  jobId: string;
  attempt: number;
  /** No retry follows if this run throws (its last attempt, or the queue is closing). Unset: final. */
  final?: boolean;
}

/**
 * Runs one job. Throwing asks for a retry (a transient failure: GitHub 5xx, a timeout, Redis);
 * a job that should not run again (the PR is gone) returns normally.
 */
export type ReviewJobProcessor = (job: ReviewJob, meta?: ReviewJobMeta) => Promise<void>;

export interface QueueStats {
  /** `in-process` or `redis`. */
  backend: "in-process" | "redis";
  waiting: number;
  active: number;
  /** Jobs waiting for a retry. */
  delayed: number;
  /** Jobs accepted while Redis was unreachable, held in this process until it is back. */
  buffered: number;
}

export interface ReviewQueue {
  readonly backend: QueueStats["backend"];
  /**
   * Adds a job unless one with the same key is queued or running, or the delivery was already
   * seen. Resolves to whether it was added.
   */
  enqueue(job: ReviewJob): boolean | Promise<boolean>;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  /** Stops taking jobs and waits for the running ones (or returns them to the queue). */
  close(): Promise<void>;
  /** Depth of the queue, for `/healthz`. Rejects when the backing store is unreachable. */
  stats(): Promise<QueueStats>;
}

/** Redeliveries and rapid repeats of the same head coalesce on this key. */
export function reviewJobKey(job: Pick<ReviewJob, "kind" | "owner" | "repo" | "pullNumber" | "headSha" | "rules">): string {
  // Harden requests for different rules are different jobs.
  const rules = job.kind === "harden" && job.rules?.length ? `:${[...job.rules].sort().join(",")}` : "";
  return `${job.kind}:${job.owner}/${job.repo}#${job.pullNumber}@${job.headSha}${rules}`;
}
