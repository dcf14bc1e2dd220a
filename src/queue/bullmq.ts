import { createHash } from "node:crypto";
import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { failFastConnection, workerConnection } from "./redis.js";
import { reviewJobKey, type QueueStats, type ReviewJob, type ReviewJobProcessor, type ReviewQueue } from "./types.js";

export interface RedisQueueOptions {
  redisUrl: string;
  /** BullMQ queue name (default `security-review`). Tests use a unique one each. */
  name?: string;
  /** Redis key prefix (default `prsr`). */
  prefix?: string;
  log: Logger;
  /** Runs a worker in this process when given (`npm start` unless `WORKERS=0`, and `npm run worker`). */
  process?: ReviewJobProcessor;
  /** Jobs one worker runs at once. */
  concurrency?: number;
  /** Runs of a job that throws, including the first (default 5). */
  attempts?: number;
  /** First retry delay; doubles each time (default 2 s). */
  backoffMs?: number;
  /** How long a worker owns a job without renewing its lock; after that another worker may take it (default 30 s). */
  lockDurationMs?: number;
  /** How often workers look for jobs whose owner died (default 15 s). */
  stalledIntervalMs?: number;
  /** How long `close()` waits for running jobs before returning them to the queue (default 20 s). */
  drainMs?: number;
  /** How long a finished job's id is kept, so a redelivered webhook is not reviewed again (default 24 h). */
  keepFinishedSeconds?: number;
  /** How often jobs accepted while Redis was down are retried (default 1 s). */
  flushIntervalMs?: number;
}

const hash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 32);

/** BullMQ ids may not contain `:`; the key (repo, PR, head) and the delivery are hashed instead. */
export function bullJobIds(job: ReviewJob): { jobId: string; dedupeId: string } {
  const key = reviewJobKey(job);
  return { jobId: `r-${hash(`${job.deliveryId}\0${key}`)}`, dedupeId: `k-${hash(key)}` };
}

/**
 * The queue on Redis (BullMQ). The job id is derived from the delivery and the key (repo, PR, head
 * SHA): a redelivered webhook adds nothing, even after the review finished. The key is also the
 * deduplication id: another event for the same head while one is queued or running coalesces.
 * Any number of workers in any number of processes share it; a worker that dies has its job
 * taken by another once the lock expires. A job that throws is retried with exponential backoff.
 *
 * When Redis cannot be reached, `enqueue` keeps the job in this process and retries every second,
 * so a webhook is answered at once and no review is lost to a Redis restart.
 */
export class RedisReviewQueue implements ReviewQueue {
  readonly backend = "redis" as const;
  readonly queue: Queue<ReviewJob>;
  readonly #producer: Redis;
  readonly #workerConnection: Redis | undefined;
  readonly #worker: Worker<ReviewJob> | undefined;
  readonly #log: Logger;
  readonly #options: RedisQueueOptions;
  readonly #buffer: ReviewJob[] = [];
  /** Jobs this worker is running, with their lock tokens: handed back to the queue if shutdown cannot wait. */
  readonly #running = new Map<Job<ReviewJob>, string | undefined>();
  readonly #flushTimer: NodeJS.Timeout;
  #flushing = false;
  #closed = false;
  #lastError: string | undefined;

  constructor(options: RedisQueueOptions) {
    this.#options = options;
    this.#log = options.log;
    const name = options.name ?? "security-review";
    const prefix = options.prefix ?? "prsr";
    this.#producer = failFastConnection(options.redisUrl);
    this.#producer.on("error", (error) => this.#connectionError("queue", error));
    this.queue = new Queue<ReviewJob>(name, { connection: this.#producer, prefix, skipVersionCheck: true });
    this.queue.on("error", (error) => this.#connectionError("queue", error));
    if (options.process) {
      const process = options.process;
      this.#workerConnection = workerConnection(options.redisUrl);
      this.#workerConnection.on("error", (error) => this.#connectionError("worker", error));
      this.#worker = new Worker<ReviewJob>(
        name,
        async (job: Job<ReviewJob>, token?: string) => {
          this.#running.set(job, token);
          try {
            await process(job.data, { jobId: job.id ?? "unknown", attempt: job.attemptsMade + 1, final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
          } finally {
            this.#running.delete(job);
          }
        },
        {
          connection: this.#workerConnection,
          prefix,
          concurrency: options.concurrency ?? 2,
          lockDuration: options.lockDurationMs ?? 30_000,
          stalledInterval: options.stalledIntervalMs ?? 15_000,
          maxStalledCount: 3,
          skipVersionCheck: true,
        },
      );
      this.#worker.on("error", (error) => this.#connectionError("worker", error));
      this.#worker.on("failed", (job, error) => {
        if (!job) return;
        const attempt = job.attemptsMade;
        const final = attempt >= (job.opts.attempts ?? 1);
        this.#log[final ? "error" : "warn"]({ err: error, jobId: job.id, deliveryId: job.data.deliveryId, attempt }, final ? "review job failed: no attempts left" : "review job failed: will retry");
      });
    }
    this.#flushTimer = setInterval(() => void this.#flush(), options.flushIntervalMs ?? 1_000);
    this.#flushTimer.unref();
  }

  #connectionError(source: string, error: Error): void {
    const code = (error as { code?: string }).code ?? error.name;
    // One line per change of state, not one per reconnect attempt.
    if (this.#lastError === `${source}:${code}`) return;
    this.#lastError = `${source}:${code}`;
    this.#log.warn({ source, code }, "redis connection error");
  }

  async enqueue(job: ReviewJob): Promise<boolean> {
    if (this.#closed) {
      this.#log.warn({ deliveryId: job.deliveryId }, "queue closed: job not enqueued");
      return false;
    }
    try {
      return await this.#add(job);
    } catch (error) {
      this.#buffer.push(job);
      this.#log.warn({ err: error, deliveryId: job.deliveryId, buffered: this.#buffer.length }, "redis unreachable: job held in this process until it is back");
      return true;
    }
  }

  async #add(job: ReviewJob): Promise<boolean> {
    const { jobId, dedupeId } = bullJobIds(job);
    if (await this.queue.getJob(jobId)) {
      this.#log.debug({ jobId, deliveryId: job.deliveryId }, "delivery already seen: not enqueued");
      return false;
    }
    const added = await this.queue.add(job.kind, job, {
      jobId,
      deduplication: { id: dedupeId },
      attempts: this.#options.attempts ?? 5,
      backoff: { type: "exponential", delay: this.#options.backoffMs ?? 2_000 },
      removeOnComplete: { age: this.#options.keepFinishedSeconds ?? 24 * 60 * 60 },
      removeOnFail: { age: this.#options.keepFinishedSeconds ?? 24 * 60 * 60 },
    });
    if (added.id !== jobId) {
      this.#log.debug({ jobId: added.id, deliveryId: job.deliveryId }, "same head queued or running: coalesced");
      return false;
    }
    this.#log.debug({ jobId, deliveryId: job.deliveryId }, "job enqueued");
    return true;
  }

  async #flush(): Promise<void> {
    if (this.#flushing || this.#buffer.length === 0) return;
    this.#flushing = true;
    try {
      while (this.#buffer.length > 0) {
        await this.#add(this.#buffer[0]!);
        this.#buffer.shift();
      }
      this.#log.info("redis reachable again: held jobs enqueued");
    } catch {
      // Still down: the next tick tries again.
    } finally {
      this.#flushing = false;
    }
  }

  async onIdle(): Promise<void> {
    for (;;) {
      try {
        const stats = await this.stats();
        if (stats.waiting + stats.active + stats.delayed + stats.buffered === 0) return;
      } catch {
        // Redis down: keep waiting.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stats(): Promise<QueueStats> {
    const counts = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized", "paused", "waiting-children");
    return {
      backend: this.backend,
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0) + (counts["waiting-children"] ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      buffered: this.#buffer.length,
    };
  }

  /** Whether Redis answers a PING within a second. */
  async ping(): Promise<boolean> {
    try {
      if (this.#producer.status !== "ready") {
        // Just started, or reconnecting: give it the same second to come up.
        await new Promise<void>((resolve, reject) => {
          const onReady = () => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            this.#producer.off("ready", onReady);
            reject(new Error("timeout"));
          }, 1_000);
          this.#producer.once("ready", onReady);
        });
      }
      const answer = await Promise.race([this.#producer.ping(), new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error("timeout")), 1_000).unref())]);
      return answer === "PONG";
    } catch {
      return false;
    }
  }

  /**
   * Stops taking jobs; lets running jobs finish for `drainMs`, then stops the worker anyway: its
   * unfinished jobs go back to the queue when their lock expires, for another worker to run.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#flushTimer);
    if (this.#worker) {
      const worker = this.#worker;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        worker.close().then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.#options.drainMs ?? 20_000))),
      ]);
      clearTimeout(timer);
      if (!finished) {
        // Past the drain time the running jobs go back to the queue now (not when their locks
        // expire), for another worker or this one restarted; what this one still posts is dropped
        // by the job's lost lock.
        const returned = await Promise.all([...this.#running].map(([job, token]) => job.moveToWait(token).then(() => true, () => false)));
        this.#log.warn({ returned: returned.filter(Boolean).length }, "running reviews did not finish in time: returned to the queue");
      }
      // The worker's own connection closes once its last job settles (closing it under a running
      // job would leave BullMQ retrying on a dead connection).
      const connection = this.#workerConnection;
      void worker.close().finally(() => connection?.disconnect());
    }
    await this.#flush();
    if (this.#buffer.length > 0) this.#log.error({ buffered: this.#buffer.length }, "redis unreachable at shutdown: held jobs were not enqueued");
    await this.queue.close().catch(() => undefined);
    this.#producer.disconnect();
  }
}
