import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type Config } from "../../src/config/schema.js";
import { renderCheckRun } from "../../src/report/check-run.js";
import { ReviewPool } from "../../src/queue/review-pool.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot } from "../../src/snapshot.js";
import { bundleReviewWorker } from "./review-worker-bundle.js";

const ROUTE = `import { PrismaClient } from "@prisma/client";
const db = new PrismaClient();
export async function DELETE(req: Request) {
  const { id } = await req.json();
  await db.user.delete({ where: { id } });
  return Response.json({ ok: true });
}
`;
const snapshot = (content: string): PullRequestSnapshot => ({ repo: "acme/app", number: 1, headSha: "a".repeat(40), title: "t", body: "", labels: [], commits: [], files: [{ path: "app/api/users/route.ts", status: "added", content }] });
/** About 0.7 MB of route handlers (under the 1 MB file limit): seconds of analysis. */
const MANY_ROUTES = Array.from({ length: 4_000 }, (_, index) => `export async function handler${index}(req: Request) {\n  const body = await req.json();\n  await db.user.update({ where: { id: body.id }, data: { name: body.name${index} } });\n  return Response.json({ ok: ${index} });\n}\n`).join("");

let pool: ReviewPool;
const dirs: string[] = [];

beforeAll(async () => {
  pool = new ReviewPool({ workerFile: await bundleReviewWorker(), threads: 1 });
});
afterAll(async () => {
  await pool?.close();
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

describe("reviews in worker threads", () => {
  it("a review from the pool is the review the engine gives in this thread", async () => {
    const before = pool.stats().completed;
    const fromPool = await pool.review(snapshot(ROUTE), DEFAULT_CONFIG, {});
    expect(fromPool).toEqual(reviewSnapshot(snapshot(ROUTE), DEFAULT_CONFIG));
    expect(renderCheckRun(fromPool).conclusion).toBe("failure");
    expect(pool.stats().completed).toBe(before + 1);
  });

  it("the event loop keeps running while a 1 MB file is reviewed", async () => {
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(Date.now()), 5);
    let done = false;
    const review = pool.review(snapshot(`${ROUTE}\n${MANY_ROUTES}`), DEFAULT_CONFIG, {}).finally(() => (done = true));
    // Timers fire while the review is still running: it is not on this thread.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ticksWhileRunning = ticks.length;
    expect(done).toBe(false);
    expect(ticksWhileRunning).toBeGreaterThan(0);
    expect((await review).verdict).not.toBe("not-run");
    clearInterval(timer);
  }, 60_000);

  it("a review past the time limit has its thread stopped and ends not-run, so the check run fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "psr-pool-"));
    dirs.push(dir);
    const worker = join(dir, "spin.mjs");
    writeFileSync(worker, "export default function spin() { for (;;) {} }\n");
    const stuck = new ReviewPool({ workerFile: worker, threads: 1, graceMs: 0 });
    try {
      const config: Config = { ...DEFAULT_CONFIG, limits: { ...DEFAULT_CONFIG.limits, reviewTimeoutMs: 200 } };
      const review = await stuck.review(snapshot(ROUTE), config, {});
      expect(review.verdict).toBe("not-run");
      expect(review.notRunReason).toMatch(/did not finish within 200 ms \(limits\.reviewTimeoutMs\)/);
      expect(renderCheckRun(review).conclusion).toBe("failure");
      expect(stuck.stats().timedOut).toBe(1);
    } finally {
      await stuck.close();
    }
  });
});
