import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type RecheckDecision = { allowed: true } | { allowed: false; retryAt: Date };

/** Limits `/security recheck` runs per PR per hour. */
export interface RecheckLimiter {
  consume(prKey: string, perHour: number): Promise<RecheckDecision>;
}

const HOUR_SECONDS = 60 * 60;

/**
 * In-memory limits (rate-limiter-flexible); a `RateLimiterRedis` drops in here when the queue
 * moves to Redis, so every worker shares the count. One limiter per allowance, since a repo's
 * config sets its own `recheckPerHour`.
 */
export class MemoryRecheckLimiter implements RecheckLimiter {
  readonly #limiters = new Map<number, RateLimiterMemory>();

  async consume(prKey: string, perHour: number): Promise<RecheckDecision> {
    if (perHour <= 0) return { allowed: false, retryAt: new Date(Date.now() + HOUR_SECONDS * 1000) };
    let limiter = this.#limiters.get(perHour);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: `recheck-${perHour}`, points: perHour, duration: HOUR_SECONDS });
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
