import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import examples from "@octokit/webhooks-examples" with { type: "json" };
import { sign } from "@octokit/webhooks-methods";
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { Probot, Server } from "probot";
import { seeded } from "../../bench/prng.mjs";
import { createApp, createOctokitClass, type AppOptions } from "../../src/app.js";
import type { QueueRuntime } from "../../src/queue/runtime.js";
import type { FakeFault, FakeGitHub } from "../e2e/fake-github.js";

export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
export const SECRET = "scale-webhook-secret";
export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** The benchmark's seeded PRNG: the same seed, the same sequence. */
export { seeded };

export function sha(label: string): string {
  return createHash("sha1").update(label).digest("hex");
}

export function unique(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Deletes every key under a prefix (a test's BullMQ queue, its limiter). */
export async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/**
 * GitHub settings for tests: the real retry and throttling plugins (secondary rate limits and
 * retry-after honoured) with delays scaled from seconds to milliseconds, no one-second spacing of
 * writes, and a short request deadline.
 */
export function testOctokit(options: { requestTimeoutMs?: number; throttle?: boolean } = {}) {
  return createOctokitClass({
    requestTimeoutMs: options.requestTimeoutMs ?? 400,
    retry: { retryAfterBaseValue: 5 },
    throttle:
      options.throttle === false
        ? { enabled: false }
        : {
            retryAfterBaseValue: 5,
            write: new Bottleneck.Group({ id: unique("test-write"), maxConcurrent: 10, minTime: 0 }),
            notifications: new Bottleneck.Group({ id: unique("test-notifications"), maxConcurrent: 10, minTime: 0 }),
            global: new Bottleneck.Group({ id: unique("test-global"), maxConcurrent: 20 }),
          },
  });
}

type Example = { name: string; examples: Record<string, unknown>[] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function example(name: string, action: string): any {
  const found = (examples as unknown as Example[]).find((entry) => entry.name === name)?.examples.find((entry) => entry.action === action && entry.installation);
  return structuredClone(found);
}

/** A real pull_request payload for one of the fake's PRs at a head. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pullRequestPayload(action: string, number: number, headSha: string): any {
  const payload = example("pull_request", action === "synchronize" ? "synchronize" : "opened");
  payload.action = action;
  payload.number = number;
  Object.assign(payload.pull_request, { number, state: "open", draft: false, labels: [] });
  payload.pull_request.head.sha = headSha;
  return payload;
}

export interface AppUnderTest {
  server: Server;
  runtime: QueueRuntime;
  url: string;
  send(name: string, payload: unknown, id?: string): Promise<Response>;
  stop(): Promise<void>;
}

/** Probot's real HTTP server on a free port, talking to the fake GitHub. */
export async function startApp(fake: FakeGitHub, log: Logger, options: AppOptions & { octokit?: ReturnType<typeof testOctokit> } = {}): Promise<AppUnderTest> {
  const port = await freePort();
  const server = new Server({
    Probot: Probot.defaults({ appId: 1, privateKey: PRIVATE_KEY, secret: SECRET, baseUrl: `http://127.0.0.1:${fake.port}/api/v3`, log, Octokit: options.octokit ?? testOctokit() }),
    host: "127.0.0.1",
    port,
    log,
  });
  let runtime: QueueRuntime | undefined;
  await server.load(createApp({ identity: { slug: "security-review" }, ...options, onRuntime: (created) => (runtime = created) }));
  await server.start();
  const url = `http://127.0.0.1:${port}`;
  let delivery = 0;
  return {
    server,
    runtime: runtime!,
    url,
    async send(name, payload, id) {
      const body = JSON.stringify(payload);
      return fetch(`${url}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": id ?? `delivery-${++delivery}-${randomUUID()}`, "x-hub-signature-256": await sign(SECRET, body) },
        body,
      });
    },
    async stop() {
      await server.stop();
      await runtime?.close();
    },
  };
}

/**
 * Seeded random faults, transient like GitHub's: each distinct request (method, path, body) fails
 * at most `maxInARow` times in a row, so the client's retries get through.
 */
export function randomFaults(seed: number, rate: number, maxInARow = 2, kinds: FakeFault[] = ["500", "502", "reset", "timeout", "secondary-rate-limit"]) {
  const random = seeded(seed);
  const streak = new Map<string, number>();
  return (request: { method: string; path: string; bodyHash: string }): FakeFault | undefined => {
    const key = `${request.method} ${request.path} ${request.bodyHash}`;
    const inARow = streak.get(key) ?? 0;
    if (inARow < maxInARow && random() < rate) {
      streak.set(key, inARow + 1);
      return kinds[Math.floor(random() * kinds.length)]!;
    }
    streak.set(key, 0);
    return undefined;
  };
}
