/**
 * Peak memory of one review: run in a fresh process so the figure is the engine's alone (plus Node
 * and the generated PR text), not the benchmark's. Prints `{ maxRssMb, ms, files, findings }`.
 * Usage: node bench/engine-child.mjs <files> <seed>
 */
import { performance } from "node:perf_hooks";
import { generateSnapshot } from "./generate.mjs";
import { runEngine } from "./engines.mjs";

const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 1);
const snapshot = generateSnapshot(count, seed);
const started = performance.now();
const review = runEngine(snapshot);
const ms = performance.now() - started;
// resourceUsage().maxRSS is in kilobytes (getrusage's ru_maxrss on Linux).
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ maxRssMb, ms, files: snapshot.files.length, findings: review.findings.length })}\n`);
