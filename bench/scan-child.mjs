/**
 * One `scan` of a generated repository on disk, as the CLI runs it (list, read, review in chunks of
 * `limits.maxFiles`, merge), in a fresh process so its peak memory is its own. The repository is
 * written beforehand (bench/generate.mjs `writeRepository`), so the figures are the scan's alone.
 * Prints `{ maxRssMb, ms, files, findings, chunks }`.
 * Usage: node bench/scan-child.mjs <folder> <files>
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_CONFIG } from "../dist/config/schema.js";
import { scanRepository } from "../dist/local/scan-review.js";

const folder = process.argv[2];
const files = Number(process.argv[3]);
const started = performance.now();
const { review, chunks } = await scanRepository([folder], DEFAULT_CONFIG);
const ms = performance.now() - started;
if (review.analysed.length !== files) throw new Error(`the scan analysed ${review.analysed.length} of ${files} files: ${review.incomplete ?? "no reason given"}`);
// resourceUsage().maxRSS is in kilobytes (getrusage's ru_maxrss on Linux).
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ maxRssMb, ms, files, findings: review.findings.length, chunks })}\n`);
