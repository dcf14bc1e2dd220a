import { run } from "probot";
import { createApp } from "./app.js";
import { createLogger } from "./logger.js";
import type { ReviewQueue } from "./queue/types.js";

/** How long SIGTERM waits for running reviews to post and complete their check runs. */
const DRAIN_MS = 25_000;

/**
 * `npm start`: Probot's server with our redacting logger. Without an app id and key (and outside
 * production) Probot serves its setup wizard, which registers the app from app.yml and writes
 * `.env`. Probot traps SIGINT only; SIGTERM (docker stop, Kubernetes) stops taking webhooks, lets
 * running reviews finish for a while, then exits.
 */
const log = createLogger();
let queue: ReviewQueue | undefined;
const server = await run(createApp({ onQueue: (created) => (queue = created) }), { log });

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  log.info("SIGTERM: stopping the server");
  const drain = Promise.race([queue?.close(), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
  server
    .stop()
    .then(() => drain)
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      log.error({ err: error }, "error while stopping the server");
      process.exit(1);
    });
});
