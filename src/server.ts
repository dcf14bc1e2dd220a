import { run } from "probot";
import { createApp } from "./app.js";
import { createLogger } from "./logger.js";

/**
 * `npm start`: Probot's server with our redacting logger. Without an app id and key (and outside
 * production) Probot serves its setup wizard, which registers the app from app.yml and writes
 * `.env`. Probot traps SIGINT only; SIGTERM (docker stop, Kubernetes) stops the server the same way.
 */
const log = createLogger();
const server = await run(createApp(), { log });

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  log.info("SIGTERM: stopping the server");
  server
    .stop()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      log.error({ err: error }, "error while stopping the server");
      process.exit(1);
    });
});
