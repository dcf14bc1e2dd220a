import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { Logger } from "pino";
import type { Config } from "../config/schema.js";
import type { ReviewEngine } from "../github/engine.js";
import { renderThreatModelComment, THREAT_MODEL_MARKER } from "../report/threat-model.js";
import { notRunReview, reviewSnapshot } from "../review/review.js";
import type { Review } from "../review/types.js";
import type { PullRequestSnapshot } from "../snapshot.js";

/**
 * Reviews run in a pool of worker threads (piscina), never on the event loop that answers
 * webhooks: a 1 MB file of routes takes the engine seconds, and a webhook must be answered in
 * milliseconds. The pool enforces the review's time limit: a review still running
 * {@link POOL_GRACE_MS} after `limits.reviewTimeoutMs` (the engine's own budget, which it checks
 * between files and checks) has its thread stopped and ends not-run, so its check run fails.
 */

export interface ReviewTask {
  snapshot: PullRequestSnapshot;
  config: Config;
  options: { forceAi?: boolean | string };
}

/** Time a review may run past `limits.reviewTimeoutMs` before the pool stops its thread. */
export const POOL_GRACE_MS = 5_000;

/** The worker entry next to this module (in `dist/` after the build). */
export const DEFAULT_WORKER_FILE = new URL("./review-worker.js", import.meta.url);

export interface ReviewPoolOptions {
  /** The worker module (default: review-worker.js beside this module). */
  workerFile?: string | URL;
  /** Threads at most; default 2 (the default queue concurrency). */
  threads?: number;
  /** Time past `limits.reviewTimeoutMs` before a review is stopped. */
  graceMs?: number;
  /** How long an idle thread (with TypeScript loaded) is kept. */
  idleTimeoutMs?: number;
}

export class ReviewPool {
  readonly #pool: Piscina<ReviewTask, Review>;
  readonly #graceMs: number;
  #timedOut = 0;

  constructor(options: ReviewPoolOptions = {}) {
    const file = options.workerFile ?? DEFAULT_WORKER_FILE;
    this.#pool = new Piscina<ReviewTask, Review>({
      filename: typeof file === "string" ? file : file.href,
      minThreads: 0,
      maxThreads: Math.max(1, options.threads ?? 2),
      idleTimeout: options.idleTimeoutMs ?? 60_000,
    });
    this.#graceMs = options.graceMs ?? POOL_GRACE_MS;
  }

  /** Reviews a snapshot in a worker thread; past the time limit, a not-run review. */
  async review(snapshot: PullRequestSnapshot, config: Config, options: ReviewTask["options"] = {}): Promise<Review> {
    const limitMs = config.limits.reviewTimeoutMs + this.#graceMs;
    const signal = AbortSignal.timeout(limitMs);
    try {
      return await this.#pool.run({ snapshot, config, options }, { signal });
    } catch (error) {
      if (!signal.aborted) throw error;
      this.#timedOut++;
      const limit = limitMs >= 1_000 ? `${Math.round(limitMs / 1_000)} s` : `${limitMs} ms`;
      return notRunReview(snapshot, `the review did not finish within ${limit} (limits.reviewTimeoutMs): it was stopped`);
    }
  }

  /** Reviews finished in a thread, stopped for time, and threads running now. */
  stats(): { completed: number; timedOut: number; threads: number } {
    return { completed: this.#pool.completed, timedOut: this.#timedOut, threads: this.#pool.threads.length };
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

/** The engine with reviews in a thread pool; rendering stays on the caller's thread (it is fast). */
export function pooledReviewEngine(pool: ReviewPool): ReviewEngine {
  return {
    reviewSnapshot: (snapshot, config, options) => pool.review(snapshot, config, options ?? {}),
    notRunReview,
    renderThreatModelComment,
    threatModelMarker: THREAT_MODEL_MARKER,
  };
}

/** The engine on the calling thread: the command line, and tests that pass their own engine. */
export const inProcessReviewEngine: ReviewEngine = { reviewSnapshot, notRunReview, renderThreatModelComment, threatModelMarker: THREAT_MODEL_MARKER };

/**
 * The app's engine: `REVIEW_THREADS` threads (default 2), or in this thread with
 * `REVIEW_THREADS=0`. Running from the TypeScript sources or a bundle without the worker module,
 * there is no thread to start: reviews run in this thread, and that is logged once.
 */
export function reviewEngineFromEnv(env: NodeJS.ProcessEnv, log: Pick<Logger, "warn" | "info">): { engine: ReviewEngine; pool?: ReviewPool } {
  const threads = env.REVIEW_THREADS === undefined || env.REVIEW_THREADS === "" ? 2 : Number(env.REVIEW_THREADS);
  if (threads === 0) {
    log.info("REVIEW_THREADS=0: reviews run on the event loop");
    return { engine: inProcessReviewEngine };
  }
  if (!existsSync(fileURLToPath(DEFAULT_WORKER_FILE))) {
    log.warn("review worker module not built (running from sources): reviews run on the event loop");
    return { engine: inProcessReviewEngine };
  }
  const pool = new ReviewPool({ threads: Number.isInteger(threads) && threads > 0 ? threads : 2 });
  return { engine: pooledReviewEngine(pool), pool };
}
