import nock from "nock";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisReviewQueue } from "../../src/queue/bullmq.js";
import type { ReviewJob } from "../../src/queue/types.js";
import { FakeGitHub } from "../e2e/fake-github.js";
import { deleteKeys, OWNER, PRIVATE_KEY, REDIS_URL, REPO, seeded, sha, unique } from "./helpers.js";
import { startWorker, waitFor, type WorkerProcess } from "./processes.js";

/**
 * Two `npm run worker` processes on one Redis take 200 enqueued reviews, duplicates included
 * (redelivered webhooks, and other events for a head already queued): each distinct head is
 * reviewed exactly once, both workers take a share, and SIGTERM stops each cleanly.
 */

const MATH_TS = `export function add(a: number, b: number): number {
  return a + b;
}
`;

const prefix = unique("prsr-workers");
let fake: FakeGitHub;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  fake = new FakeGitHub(OWNER, REPO);
  await fake.start();
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  await fake?.stop();
  await deleteKeys(REDIS_URL, `${prefix}*`);
});

describe("two worker processes on one Redis", () => {
  it("200 enqueued reviews including duplicates: each distinct head reviewed exactly once", async () => {
    const random = seeded(42);
    const producer = new RedisReviewQueue({ redisUrl: REDIS_URL, prefix, name: "workers", log: pino({ level: "silent" }) });
    const distinct = 120;
    const jobs: ReviewJob[] = [];
    for (let number = 1; number <= distinct; number++) {
      const headSha = sha(`workers:${number}`);
      fake.addPull({ number, headSha, files: [{ filename: `src/lib/m${number}.ts`, status: "added", content: MATH_TS }] });
      jobs.push({ kind: "review", installationId: 1, owner: OWNER, repo: REPO, pullNumber: number, headSha, trigger: "pull_request.opened", deliveryId: `delivery-${number}` });
    }
    // 40 other events for heads already queued (coalesced), 40 redeliveries (same delivery id).
    const others = Array.from({ length: 40 }, (_, index) => ({ ...jobs[Math.floor(random() * distinct)]!, trigger: "pull_request.labeled", deliveryId: `other-${index}` }));
    const redeliveries = Array.from({ length: 40 }, () => ({ ...jobs[Math.floor(random() * distinct)]! }));

    const firstHalf = jobs.slice(0, 60);
    const accepted: boolean[] = [];
    for (const job of [...firstHalf, ...others.filter((other) => firstHalf.some((first) => first.headSha === other.headSha))]) accepted.push(await producer.enqueue(job));

    const env = {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      QUEUE_NAME: "workers",
      APP_ID: "1",
      PRIVATE_KEY,
      GHE_HOST: `127.0.0.1:${fake.port}`,
      GHE_PROTOCOL: "http",
      GITHUB_THROTTLE: "off",
      GITHUB_REQUEST_TIMEOUT_MS: "5000",
      REVIEW_CONCURRENCY: "4",
      LOG_LEVEL: "info",
      DRAIN_MS: "5000",
    };
    workers.push(await startWorker(env), await startWorker(env));

    const secondHalf = jobs.slice(60);
    for (const job of [...secondHalf, ...others.filter((other) => secondHalf.some((second) => second.headSha === other.headSha))]) accepted.push(await producer.enqueue(job));
    for (const job of redeliveries) accepted.push(await producer.enqueue(job));
    expect(accepted.length).toBeGreaterThanOrEqual(200);
    expect(accepted.filter(Boolean).length).toBe(distinct);

    await waitFor(() => jobs.every((job) => fake.latestRun(job.headSha)?.status === "completed"), 45_000, "every head's check run to complete");
    await producer.onIdle();
    // Redeliveries after the reviews finished: still nothing new.
    for (const job of redeliveries.slice(0, 10)) expect(await producer.enqueue(job)).toBe(false);
    await producer.onIdle();

    expect(fake.violations).toEqual([]);
    for (const job of jobs) {
      const runs = fake.checkRuns.filter((run) => run.head_sha === job.headSha);
      expect(runs.map((run) => `${run.status}:${run.conclusion}`), `runs of PR ${job.pullNumber}`).toEqual(["completed:success"]);
    }
    const finishedBy = workers.map((worker) => worker.lines.filter((line) => line.includes('"review job finished"')).length);
    expect(finishedBy.reduce((sum, count) => sum + count, 0)).toBe(distinct);
    expect(Math.min(...finishedBy)).toBeGreaterThan(0);
    // Every line a worker logged about a job carries its delivery id and job id.
    for (const line of workers.flatMap((worker) => worker.lines).filter((entry) => entry.includes('"pr":'))) {
      expect(line).toMatch(/"deliveryId":"[^"]+"/);
      expect(line).toMatch(/"jobId":"r-[0-9a-f]+"/);
    }

    for (const worker of workers) worker.child.kill("SIGTERM");
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);
    await producer.close();
  }, 60_000);
});
