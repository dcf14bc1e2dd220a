import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export type RecheckDecision = { allowed: true } | { allowed: false; retryAt: Date };

/** Limits `/security recheck` runs per PR per hour. */
export interface RecheckLimiter {
  /** `memory` or `redis`, logged once at start. */
  readonly backend: "memory" | "redis";
  consume(prKey: string, perHour: number): Promise<RecheckDecision>;
}

const HOUR_SECONDS = 60 * 60;

/** One limiter per allowance, since a repo's config sets its own `recheckPerHour`. */
abstract class PerAllowanceLimiter implements RecheckLimiter {
  abstract readonly backend: "memory" | "redis";
  readonly #limiters = new Map<number, RateLimiterAbstract>();

  protected abstract create(perHour: number): RateLimiterAbstract;

  async consume(prKey: string, perHour: number): Promise<RecheckDecision> {
    if (perHour <= 0) return { allowed: false, retryAt: new Date(Date.now() + HOUR_SECONDS * 1000) };
    let limiter = this.#limiters.get(perHour);
    if (!limiter) {
      limiter = this.create(perHour);
      this.#limiters.set(perHour, limiter);
    }
    try {
      await limiter.consume(prKey, 1);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAt: new Date(Date.now() + rejection.msBeforeNext) };
      throw rejection;
    }
  }
}

/** In this process only: the default with no Redis. */
export class MemoryRecheckLimiter extends PerAllowanceLimiter {
  readonly backend = "memory" as const;
  protected create(perHour: number): RateLimiterAbstract {
    return new RateLimiterMemory({ keyPrefix: `recheck-${perHour}`, points: perHour, duration: HOUR_SECONDS });
  }
}

/**
 * Shared by every instance through Redis. While Redis is unreachable an in-memory limiter with
 * the same allowance stands in (rate-limiter-flexible's insurance limiter), so a recheck is still
 * answered.
 */
export class RedisRecheckLimiter extends PerAllowanceLimiter {
  readonly backend = "redis" as const;
  constructor(
    readonly client: Redis,
    readonly keyPrefix = "prsr-recheck",
  ) {
    super();
  }
  protected create(perHour: number): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.client,
      keyPrefix: `${this.keyPrefix}-${perHour}`,
      points: perHour,
      duration: HOUR_SECONDS,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `recheck-${perHour}`, points: perHour, duration: HOUR_SECONDS }),
    });
  }
}
