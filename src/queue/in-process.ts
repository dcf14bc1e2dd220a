import { LRUCache } from "lru-cache";
import PQueue from "p-queue";
import type { Logger } from "pino";
import { reviewJobKey, type ReviewJob, type ReviewJobProcessor, type ReviewQueue } from "./types.js";

export interface InProcessQueueOptions {
  /** Reviews run at the same time in this process. */
  concurrency?: number;
  log: Logger;
}

/**
 * The default queue: bounded concurrency in this process (p-queue), jobs coalesced by key while
 * queued or running, and delivery ids remembered for an hour so a redelivered webhook is dropped.
 */
export class InProcessReviewQueue implements ReviewQueue {
  readonly #queue: PQueue;
  readonly #active = new Set<string>();
  readonly #deliveries = new LRUCache<string, true>({ max: 5_000, ttl: 60 * 60 * 1000 });
  readonly #process: ReviewJobProcessor;
  readonly #log: Logger;
  #closed = false;

  constructor(process: ReviewJobProcessor, options: InProcessQueueOptions) {
    this.#queue = new PQueue({ concurrency: options.concurrency ?? 2 });
    this.#process = process;
    this.#log = options.log;
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
    void this.#queue
      .add(async () => {
        try {
          await this.#process(job);
        } catch (error) {
          // The processor completes its own check run; anything reaching here is logged once.
          this.#log.error({ err: error, key }, "review job failed");
        } finally {
          this.#active.delete(key);
        }
      })
      .catch(() => undefined);
    return true;
  }

  async onIdle(): Promise<void> {
    await this.#queue.onIdle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.onIdle();
  }
}
