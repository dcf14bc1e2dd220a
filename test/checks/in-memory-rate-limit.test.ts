import check from "../../src/checks/in-memory-rate-limit.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "a module-scope cache of responses in a file whose limiter is shared",
      path: "src/lib/quotes.ts",
      code: `import { Ratelimit } from "@upstash/ratelimit";
import { redis } from "./redis";
const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(10, "1 m") });
const cache: Record<string, { body: string; at: number }> = {};
export async function quote(key: string) {
  const { success } = await limiter.limit(key);
  if (!success) throw new Error("429 Too many requests");
  if (cache[key] && Date.now() - cache[key].at < 60_000) return cache[key].body;
  cache[key] = { body: await fetchQuote(key), at: Date.now() };
  return cache[key].body;
}`,
    },
    {
      name: "near-miss: express-rate-limit with a Redis store",
      path: "src/lib/limiters.ts",
      code: `import rateLimit from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import { redis } from "./redis";
export const loginLimiter = rateLimit({
  windowMs: 60_000,
  limit: 10,
  store: new RedisStore({ sendCommand: (...args: string[]) => redis.sendCommand(args) }),
});`,
    },
    {
      name: "near-miss: Upstash Ratelimit",
      path: "lib/ratelimit.ts",
      code: `import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
export const limiter = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, "1 m") });`,
    },
    {
      name: "near-miss: a Map that caches users, not attempts",
      path: "src/lib/cache.ts",
      code: `const userCache = new Map<string, { name: string }>();
export function remember(id: string, name: string) {
  userCache.set(id, { name });
}`,
    },
    {
      name: "in-memory limiter behind a NODE_ENV !== production guard is dev code",
      path: "src/lib/limiters.ts",
      code: `import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { redis } from "./redis";
export const limiter = process.env.NODE_ENV !== "production"
  ? new RateLimiterMemory({ points: 100, duration: 60 })
  : new RateLimiterRedis({ storeClient: redis, points: 10, duration: 60 });`,
    },
    {
      name: "a map of limiter objects keyed by allowance is not a counter",
      path: "src/queue/limits.ts",
      code: `import { RateLimiterRedis } from "rate-limiter-flexible";
const limiters = new Map<number, RateLimiterRedis>();
export function limiterFor(n: number, redis: unknown) {
  let limiter = limiters.get(n);
  if (!limiter) {
    limiter = new RateLimiterRedis({ storeClient: redis, points: n, duration: 3600 });
    limiters.set(n, limiter);
  }
  return limiter;
}`,
    },
  ],
  invalid: [
    {
      name: "a plain object keyed by the caller, counting attempts",
      path: "src/lib/limiter.ts",
      code: `import { RateLimitError } from "./errors";
const trackers: Record<string, { count: number; expiresAt: number }> = {};
export async function rateLimitByKey({ key, limit = 1, window = 10_000 }: { key: string; limit?: number; window?: number }) {
  let tracker = trackers[key] || { count: 0, expiresAt: 0 };
  if (!trackers[key]) trackers[key] = tracker;
  if (tracker.expiresAt < Date.now()) {
    tracker.count = 0;
    tracker.expiresAt = Date.now() + window;
  }
  tracker.count++;
  if (tracker.count > limit) throw new RateLimitError();
}`,
      errors: [{ line: 2, messageId: "mapCounter", data: { name: "trackers", kind: "object" } }],
    },
    {
      name: "express-rate-limit without a store, and a Map attempt counter",
      path: "src/lib/limiters.js",
      code: `const rateLimit = require("express-rate-limit");

const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
});

const otpAttempts = new Map();
function checkOtpAttempts(id, now = Date.now()) {
  const entry = otpAttempts.get(id);
  if (!entry) otpAttempts.set(id, { count: 1, resetAt: now + 900000 });
  else entry.count += 1;
}
module.exports = { loginLimiter, checkOtpAttempts };`,
      errors: [
        {
          line: 3,
          messageId: "memoryStore",
          severity: "medium",
          needs: ["RedisStore", "redis"], replacement: `const loginLimiter = rateLimit({\n  store: new RedisStore({ sendCommand: (...args) => redis.sendCommand(args) }),`,
        },
        { line: 8, messageId: "mapCounter", data: { name: "otpAttempts", kind: "Map" } },
      ],
    },
    {
      name: "RateLimiterMemory in production code",
      path: "src/lib/limit.ts",
      code: `import { RateLimiterMemory } from "rate-limiter-flexible";
export const apiLimiter = new RateLimiterMemory({ points: 10, duration: 1 });`,
      errors: [{ line: 2, messageId: "memoryLimiter", needs: ["RateLimiterRedis", "redis"], replacement: `export const apiLimiter = new RateLimiterRedis({ storeClient: redis, points: 10, duration: 1 });` }],
    },
    {
      name: "express-rate-limit with an explicit MemoryStore",
      path: "src/app.ts",
      code: `import rateLimit, { MemoryStore } from "express-rate-limit";
export const limiter = rateLimit({ windowMs: 1000, limit: 5, store: new MemoryStore() });`,
      errors: [{ line: 2, messageId: "memoryStore" }],
    },
    {
      name: "LRU-based limiter",
      path: "lib/rate-limit.ts",
      code: `import { LRUCache } from "lru-cache";
const tokenCache = new LRUCache<string, number[]>({ max: 500, ttl: 60_000 });
export function rateLimit(ip: string, limit: number) {
  const hits = tokenCache.get(ip) ?? [];
  tokenCache.set(ip, [...hits, Date.now()]);
  return hits.length < limit;
}`,
      errors: [{ line: 2, messageId: "mapCounter", data: { kind: "LRUCache" } }],
    },
    {
      name: "Map of request timestamps per IP",
      path: "lib/rate-limit.ts",
      code: `const rateLimitMap = new Map();
export function rateLimit(ip: string, limit = 10) {
  const recent = (rateLimitMap.get(ip) || []).filter((t: number) => t > Date.now() - 60_000);
  const next = [...recent];
  rateLimitMap.set(ip, next);
  return next.length <= limit;
}`,
      errors: [{ line: 1, messageId: "mapCounter", data: { name: "rateLimitMap" } }],
    },
    {
      name: "Fastify rate-limit plugin without redis",
      path: "src/server.ts",
      code: `import Fastify from "fastify";
import rateLimit from "@fastify/rate-limit";
const app = Fastify();
await app.register(rateLimit, { max: 100, timeWindow: "1 minute" });`,
      errors: [{ line: 4, messageId: "memoryStore", data: { option: "redis" } }],
    },
    {
      name: "a limiter on an unchanged line is pre-existing",
      path: "src/lib/limit.ts",
      code: `import { RateLimiterMemory } from "rate-limiter-flexible";
export const apiLimiter = new RateLimiterMemory({ points: 10, duration: 1 });
export const added = true;`,
      patches: { "src/lib/limit.ts": "@@ -2,0 +3,1 @@\n+export const added = true;" },
      errors: [{ line: 2, new: false }],
    },
  ],
});
