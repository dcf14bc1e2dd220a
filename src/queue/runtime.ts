import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { RedisReviewQueue, type RedisQueueOptions } from "./bullmq.js";
import { InProcessReviewQueue } from "./in-process.js";
import { MemoryRecheckLimiter, RedisRecheckLimiter, type RecheckLimiter } from "./recheck-limiter.js";
import { describeRedisUrl, failFastConnection } from "./redis.js";
import type { ReviewJobProcessor, ReviewQueue } from "./types.js";

export interface QueueRuntimeOptions {
  /** With it: BullMQ and a shared limiter on Redis. Without: both in this process. */
  redisUrl?: string;
  process: ReviewJobProcessor;
  log: Logger;
  /** Run a worker in this process. Ignored without Redis: the in-process queue always runs its jobs. */
  worker: boolean;
  concurrency: number;
  limiter?: RecheckLimiter;
  redisQueue?: Partial<Omit<RedisQueueOptions, "redisUrl" | "log" | "process">>;
  inProcess?: { attempts?: number; backoffMs?: number };
}

export interface QueueRuntime {
  queue: ReviewQueue;
  limiter: RecheckLimiter;
  /** Set when the queue is on Redis: `/healthz` pings through it. */
  redis?: RedisReviewQueue;
  /** Stops the worker (draining), then closes every Redis connection. */
  close(): Promise<void>;
}

/** Picks the queue and the recheck limiter from the settings, and says once which it uses. */
export function createQueueRuntime(options: QueueRuntimeOptions): QueueRuntime {
  const { log } = options;
  if (!options.redisUrl) {
    if (!options.worker) log.warn("WORKERS=0 without REDIS_URL: the in-process queue runs its own jobs anyway");
    const queue = new InProcessReviewQueue(options.process, { concurrency: options.concurrency, log, ...options.inProcess });
    const limiter = options.limiter ?? new MemoryRecheckLimiter();
    log.info({ queue: queue.backend, limiter: limiter.backend, worker: true, concurrency: options.concurrency }, "review queue in this process; recheck limits in memory");
    return { queue, limiter, close: () => queue.close() };
  }
  const queue = new RedisReviewQueue({
    redisUrl: options.redisUrl,
    log,
    concurrency: options.concurrency,
    ...(options.worker ? { process: options.process } : {}),
    ...options.redisQueue,
  });
  let limiterClient: Redis | undefined;
  let limiter = options.limiter;
  if (!limiter) {
    limiterClient = failFastConnection(options.redisUrl);
    limiterClient.on("error", () => undefined); // the queue's connection reports Redis errors once
    limiter = new RedisRecheckLimiter(limiterClient, `${options.redisQueue?.prefix ?? "prsr"}-recheck`);
  }
  log.info(
    { queue: queue.backend, limiter: limiter.backend, worker: options.worker, concurrency: options.concurrency, redis: describeRedisUrl(options.redisUrl) },
    `review queue on Redis (BullMQ)${options.worker ? " with a worker in this process" : ", no worker in this process"}; recheck limits ${limiter.backend === "redis" ? "shared through Redis" : "in memory"}`,
  );
  return {
    queue,
    limiter,
    redis: queue,
    close: async () => {
      await queue.close();
      limiterClient?.disconnect();
    },
  };
}

/**
 * BullMQ settings from the environment: `QUEUE_NAME`, `QUEUE_PREFIX`, `QUEUE_ATTEMPTS`,
 * `QUEUE_BACKOFF_MS`, `QUEUE_LOCK_MS`, `QUEUE_STALLED_INTERVAL_MS`, `DRAIN_MS`.
 */
export function redisQueueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Omit<RedisQueueOptions, "redisUrl" | "log" | "process">> {
  const number = (name: string) => (env[name] && Number.isFinite(Number(env[name])) && Number(env[name]) >= 0 ? Number(env[name]) : undefined);
  const entries = {
    name: env.QUEUE_NAME || undefined,
    prefix: env.QUEUE_PREFIX || undefined,
    attempts: number("QUEUE_ATTEMPTS"),
    backoffMs: number("QUEUE_BACKOFF_MS"),
    lockDurationMs: number("QUEUE_LOCK_MS"),
    stalledIntervalMs: number("QUEUE_STALLED_INTERVAL_MS"),
    drainMs: number("DRAIN_MS"),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}
