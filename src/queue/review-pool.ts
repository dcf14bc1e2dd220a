import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import type { Logger } from "pino";
import type { Config } from "../config/schema.js";
import type { ReviewEngine } from "../github/engine.js";
import { inThreadFileWork, type FileWork, type ImportContextRequest } from "../github/file-work.js";
import type { ContextRead } from "../review/context-imports.js";
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
 *
 * The pool also runs the GitHub edge's other work over whole files (src/github/file-work.ts): the
 * import scans that pick the context files, whose reads it asks of the calling thread over a
 * message port, and the parsing of patches for inline comments.
 */

export interface ReviewTask {
  snapshot: PullRequestSnapshot;
  config: Config;
  options: { forceAi?: boolean | string };
}

/**
 * How much of the CPU a review thread yields to the rest of the process: on Linux each review
 * thread sets this nice value for itself, so with every CPU busy (two review threads on two CPUs)
 * the thread that answers webhooks still runs first.
 */
export const REVIEW_THREAD_NICE = 10;

/** Time a review may run past `limits.reviewTimeoutMs` before the pool stops its thread. */
export const POOL_GRACE_MS = 5_000;

/** The worker entry next to this module (in `dist/` after the build). */
export const DEFAULT_WORKER_FILE = new URL("./review-worker.js", import.meta.url);

/** The import-context task: the request, and the port its reads are asked over. */
export interface ImportContextTask {
  request: ImportContextRequest;
  port: MessagePort;
}

/** A read asked of the calling thread, and its answer (`failed`: the read threw there, and the error stays there). */
export type ContextReadRequest = { id: number; paths: string[] };
export type ContextReadAnswer = { id: number; answers?: Map<string, ContextRead>; failed?: true };

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

export class ReviewPool implements FileWork {
  readonly #pool: Piscina<unknown, unknown>;
  readonly #graceMs: number;
  #reviewed = 0;
  #timedOut = 0;

  constructor(options: ReviewPoolOptions = {}) {
    const file = options.workerFile ?? DEFAULT_WORKER_FILE;
    this.#pool = new Piscina<unknown, unknown>({
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
      const review = (await this.#pool.run({ snapshot, config, options } satisfies ReviewTask, { signal })) as Review;
      this.#reviewed++;
      return review;
    } catch (error) {
      if (!signal.aborted) throw error;
      this.#timedOut++;
      const limit = limitMs >= 1_000 ? `${Math.round(limitMs / 1_000)} s` : `${limitMs} ms`;
      return notRunReview(snapshot, `the review did not finish within ${limit} (limits.reviewTimeoutMs): it was stopped`);
    }
  }

  /**
   * The import context in a thread; its reads are asked of this thread (where the GitHub client
   * is) over a message port. A read that throws here fails the task with that same error.
   */
  async importContext(request: ImportContextRequest, read: FileWorkRead): ReturnType<FileWork["importContext"]> {
    const { port1, port2 } = new MessageChannel();
    let readError: { error: unknown } | undefined;
    port1.on("message", ({ id, paths }: ContextReadRequest) => {
      read(paths).then(
        (answers) => port1.postMessage({ id, answers } satisfies ContextReadAnswer),
        (error: unknown) => {
          readError ??= { error };
          port1.postMessage({ id, failed: true } satisfies ContextReadAnswer);
        },
      );
    });
    try {
      return (await this.#pool.run({ request, port: port2 } satisfies ImportContextTask, { name: "importContext", transferList: [port2] })) as Awaited<ReturnType<FileWork["importContext"]>>;
    } catch (error) {
      throw readError ? readError.error : error;
    } finally {
      port1.close();
    }
  }

  async commentableLines(patches: ReadonlyMap<string, string>): Promise<Map<string, Set<number>>> {
    if (patches.size === 0) return new Map();
    return (await this.#pool.run(patches, { name: "commentableLines" })) as Map<string, Set<number>>;
  }

  /** Reviews finished in a thread, stopped for time, other tasks (import scans, patches) finished, and threads running now. */
  stats(): { completed: number; timedOut: number; otherTasks: number; threads: number } {
    return { completed: this.#reviewed, timedOut: this.#timedOut, otherTasks: this.#pool.completed - this.#reviewed, threads: this.#pool.threads.length };
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

type FileWorkRead = Parameters<FileWork["importContext"]>[1];

/**
 * The engine with reviews, import scans and patch parsing in a thread pool; rendering stays on
 * the caller's thread (its output is cut to GitHub's 64 KB limits).
 */
export function pooledReviewEngine(pool: ReviewPool): ReviewEngine {
  return {
    reviewSnapshot: (snapshot, config, options) => pool.review(snapshot, config, options ?? {}),
    notRunReview,
    renderThreatModelComment,
    threatModelMarker: THREAT_MODEL_MARKER,
    fileWork: pool,
  };
}

/** The engine on the calling thread: the command line, and tests that pass their own engine. */
export const inProcessReviewEngine: ReviewEngine = { reviewSnapshot, notRunReview, renderThreatModelComment, threatModelMarker: THREAT_MODEL_MARKER, fileWork: inThreadFileWork };

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
