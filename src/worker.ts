import { createProbot } from "probot";
import { createOctokitClass, octokitSettingsFromEnv } from "./app.js";
import { createJobProcessor } from "./handlers/index.js";
import { createLogger } from "./logger.js";
import { reviewEngineFromEnv } from "./queue/review-pool.js";
import { createQueueRuntime, redisQueueSettingsFromEnv } from "./queue/runtime.js";
import { closeWithin } from "./shutdown.js";

/**
 * `npm run worker`: a worker alone, taking reviews from the BullMQ queue on `REDIS_URL` (as many
 * of these as you like, on any machines, next to `WORKERS=0` servers). Needs `APP_ID` and
 * `PRIVATE_KEY` (or `PRIVATE_KEY_PATH`) like the server, no webhook secret. SIGTERM or SIGINT:
 * take no more jobs, finish running ones for `DRAIN_MS` (the rest return to the queue), exit.
 */
const log = createLogger();
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  log.error("npm run worker needs REDIS_URL: without Redis, `npm start` runs reviews in its own process");
  process.exit(2);
}
const { engine, pool } = reviewEngineFromEnv(process.env, log);
const probot = createProbot({ overrides: { log, Octokit: createOctokitClass(octokitSettingsFromEnv()) } });
const runtime = createQueueRuntime({
  redisUrl,
  process: createJobProcessor(probot, engine),
  log: log.child({ component: "review-queue" }),
  worker: true,
  concurrency: Number(process.env.REVIEW_CONCURRENCY) || 2,
  redisQueue: redisQueueSettingsFromEnv(),
});
log.info({ pid: process.pid }, "worker started");


let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: no new jobs, draining running ones");
  try {
    await closeWithin(runtime.close(), log);
    await pool?.close();
    log.info("worker stopped");
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, "error while stopping the worker");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
