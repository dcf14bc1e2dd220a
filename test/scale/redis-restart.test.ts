import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthReport } from "../../src/health.js";
import { createQueueRuntime, type QueueRuntime } from "../../src/queue/runtime.js";
import type { ReviewJob } from "../../src/queue/types.js";
import { freePort, sha } from "./helpers.js";
import { waitFor } from "./processes.js";

/**
 * A private redis-server (append-only file, fsync always, as a production Redis is run) is killed
 * in the middle of a run of queued reviews and started again: every review still runs. Webhooks
 * arriving while it is down are answered at once and held in the process until it is back;
 * `/healthz` says 503 meanwhile.
 */

let port: number;
let dir: string;
let redis: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  const { Redis } = await import("ioredis");
  await waitFor(
    async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on("error", () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === "PONG";
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    },
    10_000,
    "redis-server to start",
  );
}

async function killRedis(): Promise<void> {
  const child = redis;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  port = await freePort();
  dir = mkdtempSync(join(tmpdir(), "prsr-redis-"));
  await startRedis();
});

afterAll(async () => {
  await killRedis();
  rmSync(dir, { recursive: true, force: true });
});

const job = (index: number): ReviewJob => ({ kind: "review", installationId: 1, owner: "acme", repo: "shop", pullNumber: index, headSha: sha(`restart:${index}`), trigger: "pull_request.opened", deliveryId: `d-${index}` });

describe("Redis restarted mid-run", () => {
  it("no queued review is lost, and webhooks during the outage are held, not dropped", async () => {
    const reviewed = new Map<string, number>();
    const runtime: QueueRuntime = createQueueRuntime({
      redisUrl: `redis://127.0.0.1:${port}`,
      log: pino({ level: "silent" }),
      worker: true,
      concurrency: 2,
      redisQueue: { name: "restart", prefix: "prsr-restart", lockDurationMs: 2_000, stalledIntervalMs: 1_000, backoffMs: 100, drainMs: 2_000, flushIntervalMs: 200 },
      process: async (entry) => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        reviewed.set(entry.headSha, (reviewed.get(entry.headSha) ?? 0) + 1);
      },
    });
    try {
      for (let index = 1; index <= 40; index++) expect(await runtime.queue.enqueue(job(index))).toBe(true);
      await waitFor(() => reviewed.size >= 8, 10_000, "the first reviews");
      expect((await healthReport(runtime)).status).toBe("ok");

      await killRedis();
      const before = Date.now();
      for (let index = 41; index <= 60; index++) expect(await runtime.queue.enqueue(job(index))).toBe(true);
      expect(Date.now() - before).toBeLessThan(2_000); // answered at once, not held up by the outage
      const down = await healthReport(runtime);
      expect(down).toMatchObject({ status: "degraded", redis: "down" });
      await new Promise((resolve) => setTimeout(resolve, 500));

      await startRedis();
      await waitFor(() => reviewed.size === 60, 30_000, "every review after the restart");
      await runtime.queue.onIdle();
      expect(await healthReport(runtime)).toMatchObject({ status: "ok", redis: "up", depth: { waiting: 0, active: 0, delayed: 0, buffered: 0 } });
      for (let index = 1; index <= 60; index++) expect(reviewed.get(job(index).headSha), `review ${index}`).toBeGreaterThanOrEqual(1);
    } finally {
      await runtime.close();
    }
  }, 60_000);
});
