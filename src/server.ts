import { run } from "probot";
import { createAppFromEnv, createOctokitClass, octokitSettingsFromEnv } from "./app.js";
import { createLogger } from "./logger.js";
import type { QueueRuntime } from "./queue/runtime.js";
import { closeWithin } from "./shutdown.js";

/**
 * `npm start`: Probot's server with our redacting logger. With `REDIS_URL`, reviews go through
 * BullMQ on Redis and this process also runs a worker unless `WORKERS=0` (then `npm run worker`
 * processes run them); without it, an in-process queue. Probot uses `REDIS_URL` itself for
 * cluster-wide GitHub rate-limit throttling. Without an app id and key (and outside production)
 * Probot serves its setup wizard, which registers the app from app.yml and writes `.env`.
 *
 * SIGTERM (docker stop, Kubernetes) or SIGINT: stop taking webhooks, let running reviews finish
 * for `DRAIN_MS` (default 20 s; on Redis, unfinished ones return to the queue for another worker),
 * then exit.
 */
const log = createLogger();
let runtime: QueueRuntime | undefined;
const server = await run(createAppFromEnv(process.env, { onRuntime: (created) => (runtime = created) }), {
  log,
  Octokit: createOctokitClass(octokitSettingsFromEnv()),
});


let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: no new webhooks, draining running reviews");
  try {
    await server.stop();
    await closeWithin(runtime?.close(), log);
    log.info("stopped");
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, "error while stopping the server");
    process.exit(1);
  }
}
process.removeAllListeners("SIGINT");
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
