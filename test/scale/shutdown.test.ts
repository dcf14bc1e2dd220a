import nock from "nock";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisReviewQueue } from "../../src/queue/bullmq.js";
import { InProcessReviewQueue } from "../../src/queue/in-process.js";
import type { ReviewJob } from "../../src/queue/types.js";
import { deleteKeys, REDIS_URL, sha, unique } from "./helpers.js";
import { waitFor } from "./processes.js";

/**
 * SIGTERM and `close()`: stop taking jobs, finish the running ones (in process) or return them to
 * the queue for another worker (Redis, past the drain time), then exit.
 */

const silent = pino({ level: "silent" });
const job = (index: number, deliveryId = `d-${index}`): ReviewJob => ({ kind: "review", installationId: 1, owner: "acme", repo: "shop", pullNumber: index, headSha: sha(`shutdown:${index}`), trigger: "pull_request.opened", deliveryId });
const prefix = unique("prsr-shutdown");

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
});

afterAll(async () => {
  await deleteKeys(REDIS_URL, `${prefix}*`);
});

describe("shutdown", () => {
  it("in process: close() lets the running review finish and takes no new job", async () => {
    const finished: number[] = [];
    const queue = new InProcessReviewQueue(
      async (entry) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished.push(entry.pullNumber);
      },
      { concurrency: 1, log: silent },
    );
    queue.enqueue(job(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await queue.close();
    expect(finished).toEqual([1]);
    expect(queue.enqueue(job(2))).toBe(false);
  });

  it("on Redis: a worker stopped mid-review past its drain time returns the job; another worker runs it", async () => {
    const ranBy: string[] = [];
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const slow = new RedisReviewQueue({
      redisUrl: REDIS_URL,
      prefix,
      name: "handover",
      log: silent,
      drainMs: 100,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      process: async () => {
        ranBy.push("first");
        await hold;
      },
    });
    expect(await slow.enqueue(job(3))).toBe(true);
    await waitFor(() => ranBy.length === 1, 5_000, "the first worker to start the job");
    const started = Date.now();
    await slow.close();
    expect(Date.now() - started).toBeLessThan(1_500);

    const second = new RedisReviewQueue({
      redisUrl: REDIS_URL,
      prefix,
      name: "handover",
      log: silent,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      process: async () => {
        ranBy.push("second");
      },
    });
    try {
      await waitFor(() => ranBy.includes("second"), 10_000, "the second worker to take the returned job");
      await second.onIdle();
    } finally {
      release();
      await second.close();
    }
  }, 20_000);
});
