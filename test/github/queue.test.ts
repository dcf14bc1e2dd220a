import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { InProcessReviewQueue } from "../../src/queue/in-process.js";
import { MemoryRecheckLimiter } from "../../src/queue/recheck-limiter.js";
import type { ReviewJob } from "../../src/queue/types.js";

const job = (overrides: Partial<ReviewJob> = {}): ReviewJob => ({ kind: "review", installationId: 1, owner: "acme", repo: "shop", pullNumber: 1, headSha: "a", trigger: "pull_request.opened", deliveryId: "d1", ...overrides });

describe("InProcessReviewQueue", () => {
  it("coalesces jobs with the same key while queued or running, and drops redelivered deliveries", async () => {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new InProcessReviewQueue(
      async (entry) => {
        ran.push(`${entry.headSha}:${entry.deliveryId}`);
        await gate;
      },
      { concurrency: 1, log: pino({ level: "silent" }) },
    );
    expect(queue.enqueue(job())).toBe(true);
    expect(queue.enqueue(job())).toBe(false); // same delivery
    expect(queue.enqueue(job({ deliveryId: "d2" }))).toBe(false); // same key, running
    expect(queue.enqueue(job({ headSha: "b", deliveryId: "d3" }))).toBe(true);
    expect(queue.enqueue(job({ headSha: "b", deliveryId: "d4" }))).toBe(false); // same key, queued
    release();
    await queue.onIdle();
    expect(ran).toEqual(["a:d1", "b:d3"]);
    expect(queue.enqueue(job({ deliveryId: "d5" }))).toBe(true); // finished: the key is free again
    await queue.close();
    expect(queue.enqueue(job({ headSha: "c", deliveryId: "d6" }))).toBe(false);
  });

  it("keeps going after a job throws", async () => {
    const ran: string[] = [];
    const queue = new InProcessReviewQueue(
      async (entry) => {
        ran.push(entry.headSha);
        if (entry.headSha === "a") throw new Error("boom");
      },
      { log: pino({ level: "silent" }) },
    );
    queue.enqueue(job());
    queue.enqueue(job({ headSha: "b", deliveryId: "d2" }));
    await queue.onIdle();
    expect(ran.sort()).toEqual(["a", "b"]);
  });
});

describe("MemoryRecheckLimiter", () => {
  it("allows perHour runs per PR, then says when the next can run", async () => {
    const limiter = new MemoryRecheckLimiter();
    expect(await limiter.consume("acme/shop#1", 2)).toEqual({ allowed: true });
    expect(await limiter.consume("acme/shop#1", 2)).toEqual({ allowed: true });
    const refused = await limiter.consume("acme/shop#1", 2);
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAt.getTime() - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    expect(await limiter.consume("acme/shop#2", 2)).toEqual({ allowed: true });
    expect((await limiter.consume("acme/shop#3", 0)).allowed).toBe(false);
  });
});
