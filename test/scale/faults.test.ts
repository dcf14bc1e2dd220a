import nock from "nock";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppOptions } from "../../src/app.js";
import { THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { FakeGitHub, type FakeFault } from "../e2e/fake-github.js";
import { deleteKeys, OWNER, pullRequestPayload, randomFaults, REDIS_URL, REPO, seeded, sha, startApp, unique } from "./helpers.js";

/**
 * Faults injected through the fake GitHub — 500, 502, connection resets, timeouts, secondary rate
 * limits with retry-after, 404s for deleted PRs, closed PRs — over 60 PRs (70+ reviews) per queue
 * backend. Every review ends with exactly one completed check run on its head, or is dropped
 * cleanly (closed or deleted PR: no check run); nothing is left in progress, nothing is posted twice.
 */

const SESSION_TS = `import jwt from "jsonwebtoken";

export function readSession(token: string) {
  const claims = jwt.decode(token);
  return claims;
}
`;
const MATH_TS = `export function add(a: number, b: number): number {
  return a + b;
}
`;

const PULLS = 60;

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
});

async function runScenario(seed: number, options: AppOptions) {
  const fake = new FakeGitHub(OWNER, REPO);
  await fake.start();
  fake.timeoutFaultMs = 1_000;
  const random = seeded(seed);
  const faults = randomFaults(seed, 0.1);
  // A few PRs whose first five reads of the PR fail: the client's retries run out and the queue retries the job.
  const exhausted = new Map<number, number>([1, 11, 21].map((number) => [number, 0]));
  fake.faultFor = (request): FakeFault | undefined => {
    const number = Number(/"number":(\d+)[,}]/.exec(request.body)?.[1] ?? /\/pulls\/(\d+)$/.exec(request.path)?.[1]);
    const count = exhausted.get(number);
    const readsPull = (request.path.endsWith("/graphql") && request.body.includes("SecurityReviewContext")) || (request.method === "GET" && request.path.endsWith(`/pulls/${number}`));
    if (readsPull && count !== undefined && count < 5) {
      exhausted.set(number, count + 1);
      return "502";
    }
    return faults(request);
  };
  const app = await startApp(fake, process.env.SCALE_LOG ? pino({ level: "debug" }, pino.destination(process.env.SCALE_LOG)) : pino({ level: "silent" }), { concurrency: 4, ...options });
  try {
    const live: string[] = [];
    const dropped: string[] = [];
    const sent: { payload: unknown; id: string }[] = [];
    for (let number = 1; number <= PULLS; number++) {
      const headSha = sha(`${seed}:${number}:0`);
      const content = random() < 0.5 ? SESSION_TS : MATH_TS;
      fake.addPull({ number, headSha, files: [{ filename: `src/lib/file-${number}.ts`, status: "added", content }] });
      if (number % 10 === 3) {
        fake.pulls.get(number)!.state = "closed"; // closed before the job runs: dropped, no check run
        dropped.push(headSha);
      } else if (number % 10 === 7) {
        fake.pulls.delete(number); // deleted (404): dropped, no check run
        dropped.push(headSha);
      } else live.push(headSha);
      const id = unique(`d${number}`);
      const payload = pullRequestPayload("opened", number, headSha);
      sent.push({ payload, id });
      expect((await app.send("pull_request", payload, id)).status).toBe(200);
      if (number % 10 === 5) {
        const next = sha(`${seed}:${number}:1`);
        fake.push(number, next, [{ filename: `src/lib/file-${number}.ts`, status: "modified", content: MATH_TS }]);
        live.push(next);
        await app.send("pull_request", pullRequestPayload("synchronize", number, next));
      }
    }
    // Redeliveries of ten webhooks (same delivery id): nothing more is reviewed.
    for (let index = 0; index < 10; index++) {
      const { payload, id } = sent[Math.floor(random() * sent.length)]!;
      await app.send("pull_request", payload, id);
    }
    await app.runtime.queue.onIdle();

    expect(fake.violations).toEqual([]);
    for (const head of live) {
      const runs = fake.checkRuns.filter((run) => run.head_sha === head);
      expect(runs.map((run) => run.status), `runs of ${head}`).toEqual(["completed"]);
      expect(["success", "failure"]).toContain(runs[0]!.conclusion);
    }
    for (const head of dropped) expect(fake.checkRuns.filter((run) => run.head_sha === head)).toEqual([]);
    for (let number = 1; number <= PULLS; number++) {
      expect(fake.comments.filter((comment) => comment.issue_number === number && comment.body.includes(THREAT_MODEL_MARKER)).length).toBeLessThanOrEqual(1);
    }
    // Pushed PRs: the older head is superseded (a failure, never a pass) unless it finished before the push was seen.
    const superseded = fake.checkRuns.filter((run) => run.conclusion === "failure" && /superseded/i.test(`${run.output.title} ${run.output.summary}`));
    expect(superseded.length).toBeGreaterThan(0);
    const kinds = new Set(fake.injected.map((fault) => fault.fault));
    for (const kind of ["500", "502", "reset", "timeout", "secondary-rate-limit"]) expect(kinds).toContain(kind);
    return { reviews: live.length, faults: fake.injected.length };
  } finally {
    await app.stop();
    await fake.stop();
  }
}

describe("fault injection through the fake GitHub", () => {
  it("in-process queue: 66 reviews under random faults, each ends with one completed check run or a clean drop", async () => {
    const result = await runScenario(20240501, { inProcess: { attempts: 4, backoffMs: 20 } });
    expect(result.reviews).toBeGreaterThanOrEqual(50);
  }, 60_000);

  describe("BullMQ queue on Redis", () => {
    const prefix = unique("prsr-faults");
    afterAll(async () => deleteKeys(REDIS_URL, `${prefix}*`));

    it("66 reviews under random faults, each ends with one completed check run or a clean drop", async () => {
      const result = await runScenario(7, {
        redisUrl: REDIS_URL,
        redisQueue: { prefix, name: "faults", attempts: 5, backoffMs: 50, lockDurationMs: 10_000, stalledIntervalMs: 5_000 },
      });
      expect(result.reviews).toBeGreaterThanOrEqual(50);
    }, 60_000);
  });
});
