import { Writable } from "node:stream";
import { Redis } from "ioredis";
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOctokitClass } from "../../src/app.js";
import { createLogger } from "../../src/logger.js";
import { RedisRecheckLimiter } from "../../src/queue/recheck-limiter.js";
import { createQueueRuntime } from "../../src/queue/runtime.js";
import { FakeGitHub } from "../e2e/fake-github.js";
import { deleteKeys, freePort, OWNER, PRIVATE_KEY, REDIS_URL, REPO, startApp, unique } from "./helpers.js";

/** Shared limits, health and Probot's clustered throttling, on the real Redis at REDIS_URL. */

const prefix = unique("prsr-runtime");
let fake: FakeGitHub;

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  fake = new FakeGitHub(OWNER, REPO);
  await fake.start();
});

afterAll(async () => {
  await fake?.stop();
  await deleteKeys(REDIS_URL, `${prefix}*`);
});

describe("the recheck limiter on Redis", () => {
  it("is shared by every instance: two processes' limiters count together", async () => {
    const first = new Redis(REDIS_URL);
    const second = new Redis(REDIS_URL);
    try {
      const a = new RedisRecheckLimiter(first, `${prefix}-recheck`);
      const b = new RedisRecheckLimiter(second, `${prefix}-recheck`);
      expect(await a.consume("acme/shop#1", 3)).toEqual({ allowed: true });
      expect(await b.consume("acme/shop#1", 3)).toEqual({ allowed: true });
      expect(await a.consume("acme/shop#1", 3)).toEqual({ allowed: true });
      const refused = await b.consume("acme/shop#1", 3);
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) expect(refused.retryAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60 * 1000);
      expect(await b.consume("acme/shop#2", 3)).toEqual({ allowed: true });
    } finally {
      first.disconnect();
      second.disconnect();
    }
  });

  it("the runtime says once at start which queue and limiter it uses", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: "info" }, sink);
    const onRedis = createQueueRuntime({ redisUrl: REDIS_URL, log, worker: false, concurrency: 1, process: async () => undefined, redisQueue: { prefix, name: "announce" } });
    const inMemory = createQueueRuntime({ log, worker: true, concurrency: 1, process: async () => undefined });
    await onRedis.close();
    await inMemory.close();
    const announcements = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => typeof entry.limiter === "string");
    expect(announcements).toEqual([
      expect.objectContaining({ queue: "redis", limiter: "redis", worker: false, redis: "redis://127.0.0.1:6379".replace("127.0.0.1:6379", new URL(REDIS_URL).host) }),
      expect.objectContaining({ queue: "in-process", limiter: "memory" }),
    ]);
  });
});

describe("/healthz", () => {
  it("reports Redis and the queue depth; 503 when Redis is configured but down", async () => {
    const up = await startApp(fake, pino({ level: "silent" }), { redisUrl: REDIS_URL, worker: false, redisQueue: { prefix, name: "health" } });
    const deadPort = await freePort();
    const down = await startApp(fake, pino({ level: "silent" }), { redisUrl: `redis://127.0.0.1:${deadPort}`, worker: false, redisQueue: { prefix, name: "health-down" } });
    try {
      const ok = await fetch(`${up.url}/healthz`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ status: "ok", queue: "redis", limiter: "redis", redis: "up", depth: { waiting: 0, active: 0, delayed: 0, buffered: 0 } });
      const bad = await fetch(`${down.url}/healthz`);
      expect(bad.status).toBe(503);
      expect(await bad.json()).toMatchObject({ status: "degraded", redis: "down" });
      expect((await fetch(`${up.url}/ping`)).status).toBe(200);
    } finally {
      await up.stop();
      await down.stop();
    }
  });
});

describe("Probot's Redis-clustered throttling", () => {
  it("with redisConfig, GitHub requests go through Bottleneck on Redis (shared by every instance)", async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const before = new Set(await redis.keys("b_octokit-global*"));
      const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, baseUrl: `http://127.0.0.1:${fake.port}/api/v3`, redisConfig: REDIS_URL, log: pino({ level: "silent" }), Octokit: createOctokitClass({ requestTimeoutMs: 5_000 }) });
      const installationId = 900_000 + Math.floor(Math.random() * 99_999);
      const octokit = await probot.auth(installationId);
      await octokit.rest.pulls.list({ owner: OWNER, repo: REPO });
      const created = (await redis.keys("b_octokit-global*")).filter((key) => !before.has(key));
      expect(created.some((key) => key.includes(String(installationId)))).toBe(true);
      if (created.length > 0) await redis.del(...created);
    } finally {
      redis.disconnect();
    }
  });
});
