import { ProbotOctokit, type ApplicationFunction } from "probot";
import type { ReviewEngine } from "./github/engine.js";
import { createHealthHandler } from "./health.js";
import { installWebhookBodyLimit } from "./handlers/body-limit.js";
import { registerHandlers, type RegisterOptions } from "./handlers/index.js";
import { redisQueueSettingsFromEnv, type QueueRuntime } from "./queue/runtime.js";
import { reviewEngineFromEnv } from "./queue/review-pool.js";

export type AppOptions = Omit<RegisterOptions, "engine"> & { engine?: ReviewEngine };

/**
 * The Probot app: every handler wired to the real review engine, the queue picked from the
 * environment (BullMQ on `REDIS_URL`, else in this process), reviews in a pool of worker threads
 * (`REVIEW_THREADS`, see src/queue/review-pool.ts), and `GET /healthz` on the server.
 * Webhook bodies over 25 MB are refused before they are read, in front of Probot's middleware.
 */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app, { addHandler }) => {
    installWebhookBodyLimit({ ...(process.env.WEBHOOK_PATH ? { webhookPath: process.env.WEBHOOK_PATH } : {}), log: app.log });
    let runtime: QueueRuntime | undefined;
    const { engine, pool } = options.engine ? { engine: options.engine, pool: undefined } : reviewEngineFromEnv(process.env, app.log);
    registerHandlers(app, {
      ...options,
      engine,
      onRuntime: (created) => {
        // Closing the queue lets running reviews finish, then stops the threads.
        runtime = pool ? { ...created, close: async () => (await created.close(), await pool.close()) } : created;
        options.onRuntime?.(runtime);
      },
    });
    try {
      addHandler(createHealthHandler(runtime!));
    } catch {
      // Loaded without a server (tests calling `probot.receive`): no HTTP routes to add.
    }
    app.log.info("pr-security-review loaded");
  };
}

export interface OctokitSettings {
  /** Abort a GitHub request that has not answered in this long (default 30 s). */
  requestTimeoutMs?: number;
  /** Times a request is retried after a secondary rate limit, honouring `retry-after` (default 3). */
  secondaryRateLimitRetries?: number;
  /** Times a request is retried after the primary rate limit (default 2). */
  rateLimitRetries?: number;
  /** Extra throttling-plugin options (tests: `retryAfterBaseValue`, a `write` group without spacing). */
  throttle?: Record<string, unknown>;
  /** Extra retry-plugin options (tests: `retryAfterBaseValue`). */
  retry?: Record<string, unknown>;
}

/** `fetch` with a deadline: a GitHub request that hangs becomes an error the retry plugin handles. */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };
}

type ThrottleHandler = (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn: (fields: object, msg: string) => void } }, retryCount: number) => boolean;

/**
 * Probot's Octokit with what a queue of reviews needs. Probot's own throttling options (set from
 * `redisConfig`, i.e. `REDIS_URL`, with a Bottleneck connection on Redis so every instance shares
 * GitHub's limits) give up on a secondary rate limit; this keeps their Redis connection and retries
 * after GitHub's `retry-after` instead. 5xx, connection resets and timeouts are retried by
 * Probot's retry plugin; every request has a deadline.
 */
export function createOctokitClass(settings: OctokitSettings = {}): typeof ProbotOctokit {
  const secondaryRetries = settings.secondaryRateLimitRetries ?? 3;
  const primaryRetries = settings.rateLimitRetries ?? 2;
  const fetchTimed = fetchWithTimeout(settings.requestTimeoutMs ?? 30_000);
  const onSecondaryRateLimit: ThrottleHandler = (retryAfter, request, octokit, retryCount) => {
    octokit.log.warn({ method: request.method, url: request.url, retryAfter, retryCount }, "GitHub secondary rate limit: waiting retry-after");
    return retryCount < secondaryRetries;
  };
  const onRateLimit: ThrottleHandler = (retryAfter, request, octokit, retryCount) => {
    octokit.log.warn({ method: request.method, url: request.url, retryAfter, retryCount }, "GitHub rate limit: waiting for the reset");
    return retryCount < primaryRetries;
  };
  return ProbotOctokit.defaults((options: Record<string, unknown>) => {
    const throttle = (options.throttle ?? {}) as Record<string, unknown>;
    const request = (options.request ?? {}) as Record<string, unknown>;
    return {
      ...options,
      request: { ...request, fetch: request.fetch ?? fetchTimed },
      throttle: throttle.enabled === false || settings.throttle?.enabled === false ? { ...throttle, enabled: false } : { ...throttle, onSecondaryRateLimit, onRateLimit, ...settings.throttle },
      retry: { ...(options.retry as object | undefined), ...settings.retry },
    };
  }) as typeof ProbotOctokit;
}

/**
 * Settings from the environment: `GITHUB_REQUEST_TIMEOUT_MS`, `GITHUB_RETRY_BASE_MS` (the retry
 * plugin's delay unit, default 1 s), `GITHUB_THROTTLE=off` (no client-side throttling: tests, or a
 * GitHub Enterprise Server without rate limits).
 */
export function octokitSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OctokitSettings {
  const number = (name: string) => (env[name] && Number.isFinite(Number(env[name])) ? Number(env[name]) : undefined);
  const timeout = number("GITHUB_REQUEST_TIMEOUT_MS");
  const retryBase = number("GITHUB_RETRY_BASE_MS");
  return {
    ...(timeout !== undefined ? { requestTimeoutMs: timeout } : {}),
    ...(retryBase !== undefined ? { retry: { retryAfterBaseValue: retryBase } } : {}),
    ...(env.GITHUB_THROTTLE === "off" ? { throttle: { enabled: false } } : {}),
  };
}

/** The app as `probot run` loads it: queue and workers from `REDIS_URL`, `WORKERS` and the `QUEUE_*` settings. */
export function createAppFromEnv(env: NodeJS.ProcessEnv = process.env, options: AppOptions = {}): ApplicationFunction {
  return createApp({
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    worker: env.WORKERS !== "0",
    redisQueue: redisQueueSettingsFromEnv(env),
    ...options,
  });
}

const app: ApplicationFunction = (probot, options) => createAppFromEnv()(probot, options);
export default app;
