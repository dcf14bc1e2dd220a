import { LRUCache } from "lru-cache";
import PQueue from "p-queue";
import type { Logger } from "pino";
import { reviewJobKey, type QueueStats, type ReviewJob, type ReviewJobProcessor, type ReviewQueue } from "./types.js";

export interface InProcessQueueOptions {
  /** Reviews run at the same time in this process. */
  concurrency?: number;
  /** Runs of a job that throws (a transient failure), including the first. Default 1. */
  attempts?: number;
  /** Delay before the second run; doubles each time. Default 1 s. */
  backoffMs?: number;
  log: Logger;
}

let sequence = 0;

/**
 * The default queue: bounded concurrency in this process (p-queue), jobs coalesced by key while
 * queued or running, and delivery ids remembered for an hour so a redelivered webhook is dropped.
 * A job that throws is retried with exponential backoff, up to `attempts` runs.
 */
export class InProcessReviewQueue implements ReviewQueue {
  readonly backend = "in-process" as const;
  readonly #queue: PQueue;
  readonly #active = new Set<string>();
  readonly #deliveries = new LRUCache<string, true>({ max: 5_000, ttl: 60 * 60 * 1000 });
  readonly #process: ReviewJobProcessor;
  readonly #log: Logger;
  readonly #attempts: number;
  readonly #backoffMs: number;
  #delayed = 0;
  readonly #retries = new Set<Promise<void>>();
  #running = 0;
  #closed = false;

  constructor(process: ReviewJobProcessor, options: InProcessQueueOptions) {
    this.#queue = new PQueue({ concurrency: options.concurrency ?? 2 });
    this.#process = process;
    this.#log = options.log;
    this.#attempts = Math.max(1, options.attempts ?? 1);
    this.#backoffMs = options.backoffMs ?? 1_000;
  }

  enqueue(job: ReviewJob): boolean {
    const key = reviewJobKey(job);
    const delivery = `${job.deliveryId}:${key}`;
    if (this.#closed) {
      this.#log.warn({ key }, "queue closed: job not enqueued");
      return false;
    }
    if (this.#deliveries.has(delivery)) {
      this.#log.debug({ key, deliveryId: job.deliveryId }, "delivery already seen: not enqueued");
      return false;
    }
    this.#deliveries.set(delivery, true);
    if (this.#active.has(key)) {
      this.#log.debug({ key }, "same job queued or running: coalesced");
      return false;
    }
    this.#active.add(key);
    this.#schedule(job, key, `${key}/${++sequence}`, 1);
    return true;
  }

  #schedule(job: ReviewJob, key: string, jobId: string, attempt: number): void {
    void this.#queue
      .add(async () => {
        this.#running++;
        try {
          await this.#process(job, { jobId, attempt, final: attempt >= this.#attempts || this.#closed });
          this.#active.delete(key);
        } catch (error) {
          if (attempt < this.#attempts && !this.#closed) {
            const delay = this.#backoffMs * 2 ** (attempt - 1);
            this.#log.warn({ err: error, key, jobId, attempt, delayMs: delay }, "review job failed: retrying");
            this.#delayed++;
            const retry = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => {
              this.#delayed--;
              this.#retries.delete(retry);
              this.#schedule(job, key, jobId, attempt + 1);
            });
            this.#retries.add(retry);
          } else {
            this.#log.error({ err: error, key, jobId, attempt }, "review job failed");
            this.#active.delete(key);
          }
        } finally {
          this.#running--;
        }
      })
      .catch(() => undefined);
  }

  async onIdle(): Promise<void> {
    // A retry is scheduled from inside a finishing task: wait until nothing is left at all.
    do {
      await Promise.all(this.#retries);
      await this.#queue.onIdle();
    } while (this.#queue.size > 0 || this.#queue.pending > 0 || this.#retries.size > 0);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.onIdle();
  }

  async stats(): Promise<QueueStats> {
    return { backend: this.backend, waiting: this.#queue.size, active: this.#running, delayed: this.#delayed, buffered: 0 };
  }
}
