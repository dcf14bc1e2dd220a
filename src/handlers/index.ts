import type { Logger } from "pino";
import type { Context, Probot } from "probot";
import { z } from "zod";
import { reevaluateAiGate } from "../github/ai-gate.js";
import { appIdentityResolver, type AppIdentity } from "../github/app-identity.js";
import { leaveNotRunCheckRun } from "../github/check-runs.js";
import { httpStatus, type GitHubClient } from "../github/client.js";
import type { ReviewEngine } from "../github/engine.js";
import { parseResponsesNatively } from "../github/native-json.js";
import { hardenPullRequest } from "../github/harden-pull-request.js";
import { describeFailure, reviewPullRequest } from "../github/review-pull-request.js";
import type { RedisQueueOptions } from "../queue/bullmq.js";
import type { RecheckLimiter } from "../queue/recheck-limiter.js";
import { createQueueRuntime, type QueueRuntime } from "../queue/runtime.js";
import type { ReviewJob, ReviewJobProcessor, ReviewQueue } from "../queue/types.js";
import { onCheckRunRerequested } from "./check-rerun.js";
import { onCheckSuiteRerequested } from "./check-suite.js";
import type { HandlerDeps } from "./deps.js";
import { onIssueComment } from "./issue-comment.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./pull-request.js";
import { onPullRequestReview } from "./pull-request-review.js";
import { payloadProblem } from "./validate.js";

export interface RegisterOptions {
  engine: ReviewEngine;
  /** Reviews running at once in this process (default `REVIEW_CONCURRENCY` or 2). */
  concurrency?: number;
  limiter?: RecheckLimiter;
  /** Redis for the queue and the recheck limiter; none when absent (`src/server.ts` passes `REDIS_URL`). */
  redisUrl?: string;
  /** Run a worker in this process (default true; `src/server.ts` passes `WORKERS !== "0"`). Without Redis there is always one. */
  worker?: boolean;
  /** BullMQ settings (queue name and prefix, retries, locks): tests make them short and unique. */
  redisQueue?: Partial<Omit<RedisQueueOptions, "redisUrl" | "log" | "process">>;
  /** Runs of an in-process job that throws (default 3) and the first retry delay (default 1 s). */
  inProcess?: { attempts?: number; backoffMs?: number };
  /** This app's slug, whose bot's markers are honoured (default `APP_SLUG`, else `GET /app` once). */
  identity?: AppIdentity;
  /** Called with the queue once it exists: tests await `onIdle()` on it. */
  onQueue?: (queue: ReviewQueue) => void;
  /** Called with the queue, the limiter and Redis (for `/healthz` and shutdown). */
  onRuntime?: (runtime: QueueRuntime) => void;
}

const JobSchema = z.object({
  kind: z.enum(["review", "ai-gate", "harden"]),
  installationId: z.number().int().positive(),
  owner: z.string().min(1).max(100),
  repo: z.string().min(1).max(100),
  pullNumber: z.number().int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{7,64}$/i),
  trigger: z.string().max(100),
  deliveryId: z.string().max(200),
  force: z.boolean().optional(),
  rules: z.array(z.string().max(100)).max(20).optional(),
});

/** GitHub answers that will not change on a retry: the PR, branch or repository is gone, or the request is refused. */
const PERMANENT = new Set([404, 410, 422]);

/** A REST 404/410/422, or a GraphQL answer whose every error is NOT_FOUND (a deleted PR or repository). */
export function isPermanentFailure(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined) return PERMANENT.has(status);
  if (typeof error === "object" && error !== null && "errors" in error && Array.isArray(error.errors) && error.errors.length > 0) {
    return error.errors.every((entry: unknown) => typeof entry === "object" && entry !== null && "type" in entry && entry.type === "NOT_FOUND");
  }
  return false;
}

/**
 * Runs one queued job with a fresh installation token and a child logger carrying its ids only
 * (delivery, job, repo, PR, head), also used for the Octokit's own request lines. A job whose PR
 * is gone is dropped with a log line; a transient failure throws so the queue retries it.
 */
export function createJobProcessor(app: Probot, engine: ReviewEngine, options: { identity?: AppIdentity } = {}): ReviewJobProcessor {
  const identityOf = appIdentityResolver(app, options.identity ?? appIdentityFromEnv());
  return async (data, meta) => {
    const parsed = JobSchema.safeParse(data);
    if (!parsed.success) {
      app.log.warn({ jobId: meta?.jobId, problem: parsed.error.issues[0]?.path.join(".") }, "malformed job: dropped");
      return;
    }
    const job = parsed.data;
    const log = app.log.child({
      deliveryId: job.deliveryId,
      jobId: meta?.jobId,
      attempt: meta?.attempt,
      repo: `${job.owner}/${job.repo}`,
      pr: job.pullNumber,
      headSha: job.headSha,
      job: job.kind,
      trigger: job.trigger,
    });
    const started = Date.now();
    log.info("review job started");
    let octokit: GitHubClient | undefined;
    try {
      const identity = await identityOf();
      octokit = parseResponsesNatively(await app.auth(job.installationId));
      // Probot's request logging and the throttling plugin log through `octokit.log`: give them the job's ids.
      octokit.log = log.child({ component: "github" });
      const outcome =
        job.kind === "ai-gate"
          ? await reevaluateAiGate(octokit, job, log, identity)
          : job.kind === "harden"
            ? await hardenPullRequest(octokit, job, engine, log, identity)
            : await reviewPullRequest(octokit, job, engine, log, { attempt: meta?.attempt ?? 1, identity });
      log.info({ outcome, ms: Date.now() - started }, "review job finished");
    } catch (error) {
      const permanent = isPermanentFailure(error);
      // No retry follows: a review must not end without a check run on its head.
      if (job.kind === "review" && (permanent || meta?.final !== false) && !isGone(error)) await leaveFailedRun(app, octokit, job, error, identityOf, log);
      if (permanent) {
        log.warn({ status: httpStatus(error), ms: Date.now() - started }, "PR, branch or repository gone (or the request refused): job dropped");
        return;
      }
      throw error;
    }
  };
}

/** The PR, branch or repository no longer exists: there is no head to leave a check run on. */
function isGone(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 404 || status === 410 || (status === undefined && isPermanentFailure(error));
}

async function leaveFailedRun(app: Probot, octokit: GitHubClient | undefined, job: ReviewJob, error: unknown, identityOf: () => Promise<AppIdentity>, log: Logger): Promise<void> {
  try {
    const client = octokit ?? (await app.auth(job.installationId));
    const run = await leaveNotRunCheckRun(client, { owner: job.owner, repo: job.repo, headSha: job.headSha }, describeFailure(error), await identityOf());
    log.warn({ checkRunId: run.check_run_id, status: httpStatus(error) }, "review failed before its check run was complete: left a failing check run");
  } catch (leaveError) {
    log.error({ status: httpStatus(leaveError) }, "review failed and no failing check run could be left on its head");
  }
}

/** `APP_SLUG`, when the deployment names its app and spares the lookup. */
function appIdentityFromEnv(env: NodeJS.ProcessEnv = process.env): AppIdentity | undefined {
  const slug = env.APP_SLUG?.trim();
  return slug && /^[a-z0-9-]{1,100}$/i.test(slug) ? { slug } : undefined;
}

type AnyContext = Pick<Context, "name" | "payload" | "log">;

/**
 * Validates the payload's shape before the handler reads it; a handler that throws (GitHub down
 * while checking a commenter's permission, say) is logged once with its ids, never crashes.
 */
function guarded<C extends AnyContext>(handler: (context: C, deps: HandlerDeps) => Promise<void>, deps: HandlerDeps) {
  return async (context: C): Promise<void> => {
    const problem = payloadProblem(context.name, context.payload);
    if (problem) {
      context.log.warn({ event: context.name, problem }, "malformed webhook payload: ignored");
      return;
    }
    try {
      await handler(context, deps);
    } catch (error) {
      context.log.error({ err: error, event: context.name, status: httpStatus(error) }, "webhook handler failed: nothing enqueued");
      throw error;
    }
  };
}

/** Wires each event to its handler; handlers validate and enqueue, the queue's workers review. */
export function registerHandlers(app: Probot, options: RegisterOptions): HandlerDeps & { runtime: QueueRuntime } {
  const concurrency = options.concurrency ?? (Number(process.env.REVIEW_CONCURRENCY) || 2);
  const redisUrl = options.redisUrl || undefined;
  const runtime = createQueueRuntime({
    process: createJobProcessor(app, options.engine, options.identity ? { identity: options.identity } : {}),
    log: app.log.child({ component: "review-queue" }),
    concurrency,
    ...(redisUrl ? { redisUrl } : {}),
    worker: options.worker ?? true,
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.redisQueue ? { redisQueue: options.redisQueue } : {}),
    inProcess: { attempts: 3, backoffMs: 1_000, ...options.inProcess },
  });
  options.onQueue?.(runtime.queue);
  options.onRuntime?.(runtime);
  const deps: HandlerDeps = { queue: runtime.queue, limiter: runtime.limiter };

  app.on([...PULL_REQUEST_EVENTS], guarded(onPullRequest, deps));
  app.on("issue_comment.created", guarded(onIssueComment, deps));
  app.on("check_run.rerequested", guarded(onCheckRunRerequested, deps));
  app.on("check_suite.rerequested", guarded(onCheckSuiteRerequested, deps));
  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], guarded(onPullRequestReview, deps));
  return { ...deps, runtime };
}
