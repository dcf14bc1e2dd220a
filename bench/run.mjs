/**
 * `npm run bench`: speed, memory and GitHub API cost of a review, side by side with the parse floor
 * and the ESLint peer, on synthetic PRs of 10, 100 and 1,000 files (bench/generate.mjs); and the
 * webhook answer time while a 1 MB file of routes is reviewed (in worker threads, and for
 * comparison on the event loop with REVIEW_THREADS=0).
 *
 *   npm run bench                 a table on stdout
 *   npm run -s bench -- --json    one JSON object on stdout (progress goes to stderr; -s keeps npm's banner off stdout)
 *   npm run bench -- --runs 9     timed runs per measurement (default 5; a warm-up run comes first)
 *   npm run bench -- --only webhook   only the webhook answer time during the 1 MB review (with --runs reviews of it)
 *   npm run bench -- --only scan      only the whole-repository scans of 1,000 and 10,000 files
 *
 * Scan and PR mode are measured apart: `scan` reviews the files once (everything new); PR mode (the
 * app, `diff`) edits every file and reviews the base as well, so it shows what the comparison costs.
 *
 * Runs the built engine (dist/): `npm run bench` builds first. Every run also writes bench/results/bench.json.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { ts } from "ts-morph";
import { createPeer, runEngine, runFloor, runFloorKept, runFrontEnd, runPeer } from "./engines.mjs";
import { generateFiles, generatePrSnapshot, generateSnapshot, PR_EDIT, writeRepository } from "./generate.mjs";
import { startGitHubHarness } from "./github.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes("--json");
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1])) : 5;
const onlyArg = args.indexOf("--only");
const ONLY = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
if (ONLY !== undefined && ONLY !== "webhook" && ONLY !== "scan") throw new Error(`--only takes "webhook" or "scan", not ${JSON.stringify(ONLY)}`);
const SIZES = [10, 100, 1000];
const SEED = 1;
const LATENCY_FILES = 20;
const LATENCY_RUNS = 7;

const progress = (message) => process.stderr.write(`bench: ${message}\n`);
const collect = () => globalThis.gc?.();
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 3) => Number(value.toFixed(digits));

async function timed(fn) {
  collect();
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Engine, floor and peer on the same files, interleaved run by run so drift hits all three alike. */
async function measureSpeed() {
  const peerRoot = join(HERE, "results", "peer-root");
  const eslint = createPeer(peerRoot);
  const bySize = {};
  for (const size of SIZES) {
    const snapshot = generateSnapshot(size, SEED);
    const files = snapshot.files.map((file) => ({ path: file.path, content: file.content }));
    const withPeer = size === 1000;
    progress(`${size} files: warm-up, then ${RUNS} runs of the engine, the floor (trees dropped, then kept), the engine's parse and walk (trees dropped, then kept)${withPeer ? " and the ESLint peer" : ""}`);
    const prSnapshot = generatePrSnapshot(size, SEED);
    const runs = { engine: [], floor: [], kept: [], walkDropped: [], walkKept: [], peer: [], prMode: [] };
    for (let run = 0; run <= RUNS; run++) {
      const engine = await timed(() => runEngine(snapshot));
      const prMode = await timed(() => runEngine(prSnapshot));
      const floor = await timed(() => runFloor(files));
      const kept = await timed(() => runFloorKept(files));
      const walkDropped = await timed(() => runFrontEnd(files, false));
      const walkKept = await timed(() => runFrontEnd(files, true));
      const peer = withPeer ? await timed(() => runPeer(eslint, peerRoot, files)) : undefined;
      if (run === 0) continue;
      runs.engine.push(engine);
      runs.prMode.push(prMode);
      runs.floor.push(floor);
      runs.kept.push(kept);
      runs.walkDropped.push(walkDropped);
      runs.walkKept.push(walkKept);
      if (peer !== undefined) runs.peer.push(peer);
    }
    const review = runEngine(snapshot);
    const prReview = runEngine(prSnapshot);
    bySize[size] = {
      files: size,
      lines: files.reduce((sum, file) => sum + file.content.split("\n").length, 0),
      findings: review.findings.length,
      prFindings: { new: prReview.findings.filter((finding) => finding.new).length, preExisting: prReview.findings.filter((finding) => !finding.new).length, fixed: prReview.fixed?.length ?? 0 },
      engineMs: median(runs.engine),
      prModeMs: median(runs.prMode),
      floorMs: median(runs.floor),
      floorKeptMs: median(runs.kept),
      walkDroppedMs: median(runs.walkDropped),
      walkKeptMs: median(runs.walkKept),
      ...(withPeer ? { peerMs: median(runs.peer) } : {}),
    };
  }
  return bySize;
}

function measurePeakRss() {
  progress("1,000 files: peak RSS of the engine in a fresh process");
  const out = execFileSync(process.execPath, [join(HERE, "engine-child.mjs"), "1000", String(SEED)], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1));
}

/** The repository sizes `scan` is measured on: the second is reviewed in chunks of `limits.maxFiles` (1,000). */
const SCAN_SIZES = [1000, 10000];

/**
 * `scan` of a generated repository on disk, as the CLI runs it, each run in a fresh process so its
 * peak RSS is its own (bench/scan-child.mjs): time per file and peak RSS at 1,000 files (one review)
 * and 10,000 files (reviewed in chunks). The repositories are written once under the temp folder.
 */
function measureScan() {
  const bySize = {};
  for (const size of SCAN_SIZES) {
    const folder = writeRepository(join(tmpdir(), "pr-security-review-bench-scan", `${size}-${SEED}`), size, SEED);
    progress(`scan of a ${size}-file repository: ${RUNS} runs, each in a fresh process`);
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(JSON.parse(execFileSync(process.execPath, [join(HERE, "scan-child.mjs"), folder, String(size)], { encoding: "utf8" }).trim().split("\n").at(-1)));
    bySize[size] = { files: size, chunks: runs[0].chunks, findings: runs[0].findings, msPerFile: round(median(runs.map((r) => r.ms)) / size), peakRssMb: round(median(runs.map((r) => r.maxRssMb)), 1), runsMs: runs.map((r) => round(r.ms, 0)) };
  }
  const [small, large] = SCAN_SIZES.map((size) => bySize[size]);
  return { bySize, msPerFileRatio: round(large.msPerFile / small.msPerFile, 2), targets: { peakRss10000AtMost1GB: large.peakRssMb <= 1024, msPerFile10000Within20Percent: large.msPerFile <= small.msPerFile * 1.2 } };
}

function describeScan(scan) {
  return SCAN_SIZES.map((size) => `${size} files: ${scan.bySize[size].msPerFile} ms/file, peak RSS ${scan.bySize[size].peakRssMb} MB, ${scan.bySize[size].chunks} ${scan.bySize[size].chunks === 1 ? "review" : "chunks"}, ${scan.bySize[size].findings} findings`).join("; ");
}

async function measureGitHub() {
  progress("GitHub App against the e2e fake GitHub: API requests per review, webhook → check completed");
  const harness = await startGitHubHarness();
  try {
    // The first review also creates the installation token, which Probot then caches for an hour.
    await harness.review(generateFiles(1, SEED));
    const apiRequests = {};
    const breakdown = {};
    for (const size of SIZES) {
      const result = await harness.review(generateFiles(size, SEED));
      if (result.violations.length > 0) throw new Error(`the fake GitHub rejected requests: ${result.violations.join("; ")}`);
      apiRequests[size] = result.requests.length;
      breakdown[size] = {};
      for (const request of result.requests) breakdown[size][request.operation] = (breakdown[size][request.operation] ?? 0) + 1;
    }
    // PR mode: the same files, each edited by the PR, so the base versions are read as well.
    const edit = (content) => `${content.replace(/\n?$/, "\n")}${PR_EDIT}\n`;
    const prApiRequests = {};
    const prBreakdown = {};
    for (const size of SIZES) {
      const result = await harness.review(generateFiles(size, SEED), edit);
      if (result.violations.length > 0) throw new Error(`the fake GitHub rejected requests: ${result.violations.join("; ")}`);
      prApiRequests[size] = result.requests.length;
      prBreakdown[size] = {};
      for (const request of result.requests) prBreakdown[size][request.operation] = (prBreakdown[size][request.operation] ?? 0) + 1;
    }
    const prLatencies = [];
    for (let run = 0; run < LATENCY_RUNS; run++) prLatencies.push((await harness.review(generateFiles(LATENCY_FILES, SEED + 100 + run), edit)).ms);
    const latencies = [];
    for (let run = 0; run < LATENCY_RUNS + 2; run++) {
      const result = await harness.review(generateFiles(LATENCY_FILES, SEED + run));
      if (run >= 2) latencies.push(result.ms);
    }
    return { apiRequests, breakdown, webhookToCheckMs: median(latencies), latencies, prApiRequests, prBreakdown, prWebhookToCheckMs: median(prLatencies) };
  } finally {
    await harness.stop();
  }
}

/**
 * About 1 MB of route handlers in one file (just under the default limits.maxFileBytes): seconds
 * of analysis. While it is reviewed, signed webhooks keep arriving; each answer time is recorded.
 */
function pathologicalRoutes() {
  const header = `import { db } from "@/lib/db";\n\n`;
  const parts = [header];
  let size = header.length;
  for (let index = 0; size < 990_000; index++) {
    const handler = `export async function handler${index}(req: Request) {\n  const body = await req.json();\n  const row = await db.user.update({ where: { id: body.id }, data: { name: body.name, note${index}: body.note } });\n  return Response.json({ ok: row.id, n: ${index} });\n}\n`;
    parts.push(handler);
    size += handler.length;
  }
  return [{ path: "app/api/users/route.ts", content: parts.join("") }];
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

/**
 * Signed `ping` webhooks sent one after another (20 ms apart) from a worker thread, whose event
 * loop the app's cannot hold up: each answer time is what GitHub would see. Resolves with them
 * once `stop()` is called.
 */
function startPinger(url, secret) {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { createHmac } = require("node:crypto");
    const { performance } = require("node:perf_hooks");
    let stopped = false;
    parentPort.on("message", () => (stopped = true));
    (async () => {
      const answers = [];
      for (let n = 0; !stopped; n++) {
        const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, hook: { type: "App", id: 1, events: ["pull_request"], active: true } });
        const signature = "sha256=" + createHmac("sha256", workerData.secret).update(body).digest("hex");
        const started = performance.now();
        const response = await fetch(workerData.url, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "bench-pinger-" + n, "x-hub-signature-256": signature }, body });
        await response.text();
        if (response.status !== 200) throw new Error("ping answered " + response.status);
        answers.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      parentPort.postMessage(answers);
    })();
  `;
  const worker = new Worker(code, { eval: true, workerData: { url, secret } });
  const answers = new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    stop: async () => {
      worker.postMessage("stop");
      const result = await answers;
      await worker.terminate();
      return result;
    },
  };
}

/**
 * Webhook answer times while the pathological file is reviewed, with reviews in threads
 * (`REVIEW_THREADS` unset) or on the event loop (`0`). The file is reviewed `RUNS` times in a row
 * (a new PR each time) and the answers of all of them pooled: one review gives 60–100 answers, whose
 * 99th percentile is simply their maximum, so one stall caused by anything else on the machine
 * would decide it; a stall the app causes in every review still lands above the 99th percentile of
 * the pooled answers. The app's event-loop delay over the same time is recorded too.
 */
async function measureWebhookDuringReview(threads) {
  const previous = process.env.REVIEW_THREADS;
  if (threads === undefined) delete process.env.REVIEW_THREADS;
  else process.env.REVIEW_THREADS = threads;
  progress(`webhook answer time while a 1 MB file of routes is reviewed, ${RUNS} times (${threads === "0" ? "reviews on the event loop" : "reviews in worker threads"})`);
  const harness = await startGitHubHarness();
  if (previous === undefined) delete process.env.REVIEW_THREADS;
  else process.env.REVIEW_THREADS = previous;
  try {
    await harness.review(generateFiles(1, SEED)); // warm-up: the installation token, and a thread with TypeScript loaded
    const files = pathologicalRoutes();
    const pinger = startPinger(harness.webhookUrl, harness.secret);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const reviewMs = [];
    const conclusions = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const { conclusion } = await harness.review(files);
      reviewMs.push(performance.now() - started);
      conclusions.push(conclusion);
    }
    loop.disable();
    const answers = await pinger.stop();
    return {
      reviews: RUNS,
      samples: answers.length,
      p50Ms: round(quantile(answers, 0.5), 1),
      p99Ms: round(quantile(answers, 0.99), 1),
      maxMs: round(Math.max(...answers), 1),
      eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6, 1),
      eventLoopDelayMaxMs: round(loop.max / 1e6, 1),
      reviewMs: round(median(reviewMs), 0),
      conclusions: [...new Set(conclusions)],
    };
  } finally {
    await harness.stop();
  }
}

function describeDuring(during) {
  return `${during.samples} answers over ${during.reviews} reviews of ${during.reviewMs} ms (median), max ${during.maxMs} ms; the app's event-loop delay p99 ${during.eventLoopDelayP99Ms} ms, max ${during.eventLoopDelayMaxMs} ms; check run ${during.conclusions.join(" / ")}`;
}

function versionOf(name) {
  return createRequire(import.meta.url)(`${name}/package.json`).version;
}

if (ONLY === "webhook") {
  const during = await measureWebhookDuringReview(undefined);
  if (asJson) process.stdout.write(`${JSON.stringify({ webhookAnswerDuringReview: during, targets: { webhookAnswerP99DuringReviewAtMost100ms: during.p99Ms <= 100 } }, null, 2)}\n`);
  else process.stdout.write(`webhook answer while a 1 MB file is reviewed: p50 ${during.p50Ms} ms, p99 ${during.p99Ms} ms (target ≤ 100 ms: ${during.p99Ms <= 100 ? "met" : "MISSED"}); ${describeDuring(during)}\n`);
  process.exit(0);
}

if (ONLY === "scan") {
  const scan = measureScan();
  if (asJson) process.stdout.write(`${JSON.stringify({ scan }, null, 2)}\n`);
  else process.stdout.write(`scan: ${describeScan(scan)}; 10,000 / 1,000 ms/file ${scan.msPerFileRatio}× (target ≤ 1.2×: ${scan.targets.msPerFile10000Within20Percent ? "met" : "MISSED"}), peak RSS at 10,000 files (target ≤ 1,024 MB: ${scan.targets.peakRss10000AtMost1GB ? "met" : "MISSED"})\n`);
  process.exit(0);
}

const speed = await measureSpeed();
const rss = measurePeakRss();
const scan = measureScan();
const github = await measureGitHub();
const webhookDuringReview = await measureWebhookDuringReview(undefined);
const webhookDuringReviewInThread = await measureWebhookDuringReview("0");

const big = speed[1000];
const engineMsPerFile = big.engineMs / big.files;
const parseMsPerFile = big.floorMs / big.files;
const eslintMsPerFile = big.peerMs / big.files;
const result = {
  engineMsPerFile: round(engineMsPerFile),
  parseMsPerFile: round(parseMsPerFile),
  eslintMsPerFile: round(eslintMsPerFile),
  engineOverParse: round(engineMsPerFile / parseMsPerFile, 2),
  eslintOverEngine: round(eslintMsPerFile / engineMsPerFile, 2),
  peakRssMb: round(rss.maxRssMb, 1),
  apiRequests: github.apiRequests,
  webhookToCheckMs: round(github.webhookToCheckMs, 1),
  webhookAnswerDuringReview: webhookDuringReview,
  webhookAnswerDuringReviewOnEventLoop: webhookDuringReviewInThread,
  parseKeptMsPerFile: round(big.floorKeptMs / big.files),
  engineOverParseKept: round(engineMsPerFile / (big.floorKeptMs / big.files), 2),
  frontEndDroppedMsPerFile: round(big.walkDroppedMs / big.files),
  frontEndKeptMsPerFile: round(big.walkKeptMs / big.files),
  frontEndDroppedOverParse: round(big.walkDroppedMs / big.floorMs, 2),
  engineMsPerFileBySize: Object.fromEntries(SIZES.map((size) => [size, round(speed[size].engineMs / size)])),
  parseMsPerFileBySize: Object.fromEntries(SIZES.map((size) => [size, round(speed[size].floorMs / size)])),
  apiRequestsByOperation: github.breakdown,
  scan: {
    what: "`scan` of a generated repository on disk (list, read, review, merge), each run in a fresh process; 10,000 files are reviewed in chunks of limits.maxFiles",
    ...scan,
  },
  prMode: {
    what: "every file of the PR edited (one line appended): the base versions are read and reviewed too",
    engineMsPerFileBySize: Object.fromEntries(SIZES.map((size) => [size, round(speed[size].prModeMs / size)])),
    overScanBySize: Object.fromEntries(SIZES.map((size) => [size, round(speed[size].prModeMs / speed[size].engineMs, 2)])),
    findingsBySize: Object.fromEntries(SIZES.map((size) => [size, speed[size].prFindings])),
    apiRequests: github.prApiRequests,
    apiRequestsByOperation: github.prBreakdown,
    webhookToCheckMs: round(github.prWebhookToCheckMs, 1),
  },
  prs: Object.fromEntries(SIZES.map((size) => [size, { files: size, lines: speed[size].lines, findings: speed[size].findings }])),
  targets: {
    engineOverParseAtMost1_5: engineMsPerFile / parseMsPerFile <= 1.5,
    eslintOverEngineAtLeast10: eslintMsPerFile / engineMsPerFile >= 10,
    peakRssUnder1GB: rss.maxRssMb < 1024,
    apiRequests100AtMost10: github.apiRequests[100] <= 10,
    apiRequests1000AtMost30: github.apiRequests[1000] <= 30,
    webhookToCheckAtMost1s: github.webhookToCheckMs <= 1000,
    webhookAnswerP99DuringReviewAtMost100ms: webhookDuringReview.p99Ms <= 100,
    ...scan.targets,
  },
  method: {
    runs: RUNS,
    warmUpRuns: 1,
    timing: "median of the timed runs after one warm-up run, engine/floor/peer interleaved in one process; per-file = PR time / files",
    latencyRuns: LATENCY_RUNS,
    seed: SEED,
  },
  environment: {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cpus: cpus().length,
    typescript: ts.version,
    eslint: versionOf("eslint"),
    eslintPluginSecurity: versionOf("eslint-plugin-security"),
    eslintPluginSdl: versionOf("@microsoft/eslint-plugin-sdl"),
    typescriptEslint: versionOf("typescript-eslint"),
  },
};

// The last run's numbers stay on disk (bench/results/ is not committed) for comparing before and after a change.
mkdirSync(join(HERE, "results"), { recursive: true });
writeFileSync(join(HERE, "results", "bench.json"), `${JSON.stringify(result, null, 2)}\n`);

if (asJson) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const mark = (ok) => (ok ? "met" : "MISSED");
  const rows = [
    ["measure", "value", "target", ""],
    ["engine, ms/file (1,000-file PR)", result.engineMsPerFile.toFixed(3), "", ""],
    ["parse floor, ms/file", result.parseMsPerFile.toFixed(3), "", ""],
    ["ESLint peer, ms/file", result.eslintMsPerFile.toFixed(3), "", ""],
    ["parse floor with every tree kept, ms/file", result.parseKeptMsPerFile.toFixed(3), "", "(informational)"],
    ["engine / parse floor", `${result.engineOverParse}×`, "≤ 1.5×", mark(result.targets.engineOverParseAtMost1_5)],
    ["engine / floor with trees kept", `${result.engineOverParseKept}×`, "", "(informational)"],
    ["parse + facts walk, each tree dropped, ms/file", result.frontEndDroppedMsPerFile.toFixed(3), "", "(informational)"],
    ["parse + facts walk, each tree dropped / floor", `${result.frontEndDroppedOverParse}×`, "", "(informational: no rule run, no tree kept)"],
    ["parse + facts walk, all kept, ms/file", result.frontEndKeptMsPerFile.toFixed(3), "", "(informational)"],
    ["ESLint peer / engine", `${result.eslintOverEngine}×`, "≥ 10×", mark(result.targets.eslintOverEngineAtLeast10)],
    ["peak RSS, 1,000-file PR", `${result.peakRssMb} MB`, "< 1,024 MB", mark(result.targets.peakRssUnder1GB)],
    ["scan, 1,000-file repository, ms/file", scan.bySize[1000].msPerFile.toFixed(3), "", `(peak RSS ${scan.bySize[1000].peakRssMb} MB)`],
    ["scan, 10,000-file repository, ms/file", scan.bySize[10000].msPerFile.toFixed(3), `≤ 1.2× the 1,000 (${scan.msPerFileRatio}×)`, mark(scan.targets.msPerFile10000Within20Percent)],
    ["peak RSS, 10,000-file scan", `${scan.bySize[10000].peakRssMb} MB`, "≤ 1,024 MB", mark(scan.targets.peakRss10000AtMost1GB)],
    ["API requests, 10-file PR", String(result.apiRequests[10]), "", ""],
    ["API requests, 100-file PR", String(result.apiRequests[100]), "≤ 10", mark(result.targets.apiRequests100AtMost10)],
    ["API requests, 1,000-file PR", String(result.apiRequests[1000]), "≤ 30", mark(result.targets.apiRequests1000AtMost30)],
    [`webhook → check completed, ${LATENCY_FILES}-file PR`, `${result.webhookToCheckMs} ms`, "≤ 1,000 ms", mark(result.targets.webhookToCheckAtMost1s)],
    ["webhook answer p50 while a 1 MB file is reviewed", `${webhookDuringReview.p50Ms} ms`, "", ""],
    ["webhook answer p99 while a 1 MB file is reviewed", `${webhookDuringReview.p99Ms} ms`, "≤ 100 ms", mark(result.targets.webhookAnswerP99DuringReviewAtMost100ms)],
    ["the same, reviews on the event loop (REVIEW_THREADS=0)", `p50 ${webhookDuringReviewInThread.p50Ms} ms, p99 ${webhookDuringReviewInThread.p99Ms} ms`, "", "(informational)"],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  const out = [line(rows[0]), widths.map((width) => "-".repeat(width)).join("  "), ...rows.slice(1).map(line), ""];
  out.push("engine ms/file by PR size: " + SIZES.map((size) => `${size} files ${result.engineMsPerFileBySize[size]}`).join(", "));
  out.push("parse floor ms/file by PR size: " + SIZES.map((size) => `${size} files ${result.parseMsPerFileBySize[size]}`).join(", "));
  out.push("synthetic PRs: " + SIZES.map((size) => `${size} files / ${result.prs[size].lines} lines / ${result.prs[size].findings} findings`).join("; "));
  for (const size of SIZES) out.push(`API requests, ${size} files: ` + Object.entries(github.breakdown[size]).map(([operation, count]) => `${operation} ${count}`).join(", "));
  out.push(`scan: ${describeScan(scan)}`);
  out.push(`webhook answers during the 1 MB review: ${describeDuring(webhookDuringReview)}; on the event loop: ${describeDuring(webhookDuringReviewInThread)}`);
  out.push("");
  out.push("PR mode (every file edited; base and head reviewed), scan figures above for comparison:");
  out.push("  engine ms/file by PR size: " + SIZES.map((size) => `${size} files ${result.prMode.engineMsPerFileBySize[size]} (${result.prMode.overScanBySize[size]}× scan)`).join(", "));
  out.push("  findings (new / pre-existing / fixed): " + SIZES.map((size) => `${size} files ${result.prMode.findingsBySize[size].new} / ${result.prMode.findingsBySize[size].preExisting} / ${result.prMode.findingsBySize[size].fixed}`).join(", "));
  out.push("  API requests: " + SIZES.map((size) => `${size} files ${result.prMode.apiRequests[size]}`).join(", "));
  for (const size of SIZES) out.push(`  API requests, ${size} files: ` + Object.entries(github.prBreakdown[size]).map(([operation, count]) => `${operation} ${count}`).join(", "));
  out.push(`  webhook → check completed, ${LATENCY_FILES}-file PR: ${result.prMode.webhookToCheckMs} ms`);
  out.push(`${RUNS} timed runs after a warm-up, medians; Node ${process.version} on ${result.environment.cpu} (${result.environment.cpus} CPUs)`);
  process.stdout.write(`${out.join("\n")}\n`);
}
