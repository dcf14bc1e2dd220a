import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type Config } from "../../src/config/schema.js";
import { renderCheckRun } from "../../src/report/check-run.js";
import { commentableLinesOf, importContextOf, type ImportContextRequest } from "../../src/github/file-work.js";
import { ReviewPool, REVIEW_THREAD_NICE } from "../../src/queue/review-pool.js";
import { EMPTY_LAYOUT } from "../../src/review/module-layout.js";
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

  it("a review thread yields the CPU to the thread that answers webhooks (Linux: its own nice value)", async () => {
    await pool.review(snapshot(ROUTE), DEFAULT_CONFIG, {});
    const nice = (task: string) => Number(readFileSync(`/proc/self/task/${task}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const tasks = process.platform === "linux" ? readdirSync("/proc/self/task") : [];
    const expected = process.platform === "linux" ? [REVIEW_THREAD_NICE] : [];
    expect([...new Set(tasks.map(nice).filter((value) => value !== 0))]).toEqual(expected);
    expect(getPriority(0)).toBe(0);
  });
});

describe("the import scans and patch parsing around a review, in the pool's threads", () => {
  const files: Record<string, string> = {
    "src/route.ts": `import { requireUser } from "./auth";\nimport { db } from "../lib/db";\nexport const x = 1;\n`,
    "src/auth.ts": `import { session } from "./session";\nexport function requireUser() {}\n`,
    "src/session.ts": `export const session = {};\n`,
    "lib/db.ts": `export const db = {};\n`,
  };
  const request = (tree: string[], absent: string[] = []): ImportContextRequest => ({
    seeds: [{ path: "src/route.ts", content: files["src/route.ts"]! }],
    layout: EMPTY_LAYOUT,
    tree: { files: new Set(tree), absent: new Set(absent) },
    limits: { depth: 3, files: 400 },
    known: new Set(["src/route.ts"]),
  });
  const reader = (asked: string[][]) => async (paths: string[]) => {
    asked.push(paths);
    return new Map(paths.map((path) => [path, files[path] !== undefined ? { content: files[path] } : { skipReason: "not readable" }]));
  };

  it("gives what the scan gives in this thread, its reads asked of this thread level by level", async () => {
    const inPool: string[][] = [];
    const inThread: string[][] = [];
    const tree = Object.keys(files);
    const pooled = await pool.importContext(request(tree, ["lib/db.ts"]), reader(inPool));
    expect(pooled).toEqual(await importContextOf(request(tree, ["lib/db.ts"]), reader(inThread)));
    expect(inPool).toEqual([["src/auth.ts"], ["src/session.ts"]]);
    expect(pooled.files.map((file) => file.path)).toEqual(["src/auth.ts", "src/session.ts"]);
  });

  it("a read that fails in this thread fails the scan with that same error", async () => {
    const refused = Object.assign(new Error("rate limited"), { status: 403 });
    await expect(pool.importContext(request(Object.keys(files)), () => Promise.reject(refused))).rejects.toBe(refused);
  });

  it("parses patches into the lines inline comments may go on", async () => {
    const patches = new Map([
      ["src/a.ts", "@@ -1,3 +1,4 @@\n keep\n-gone\n+new one\n+new two\n keep"],
      ["src/b.ts", `@@ -0,0 +1,2000 @@\n${Array.from({ length: 2_000 }, (_, index) => `+line ${index}`).join("\n")}`],
    ]);
    const lines = await pool.commentableLines(patches);
    expect(lines).toEqual(commentableLinesOf(patches));
    expect([...lines.get("src/a.ts")!]).toEqual([1, 2, 3, 4]);
    expect(lines.get("src/b.ts")!.size).toBe(2_000);
  });
});
