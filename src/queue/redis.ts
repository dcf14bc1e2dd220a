import { Redis, type RedisOptions } from "ioredis";

/** Redis connections for the queue, the limiter and `/healthz`, with a bounded reconnect delay. */

const retryStrategy = (times: number): number => Math.min(100 * times, 2_000);

/**
 * A connection for blocking workers (BullMQ requires `maxRetriesPerRequest: null`): commands wait
 * through a Redis restart and run once it is back.
 */
export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy, lazyConnect: false });
}

/**
 * A connection that fails fast while Redis is down (no offline queue), so a webhook is never held
 * up: the caller falls back (a local buffer, the in-memory limiter, a 503 from `/healthz`).
 */
export function failFastConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy, ...extra });
}

/** The URL without its password, for logs. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || "6379"}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "redis (unparseable URL)";
  }
}
