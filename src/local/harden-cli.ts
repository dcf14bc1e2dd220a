import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Config } from "../config/schema.js";
import { DEFAULT_CONFIG } from "../config/schema.js";
import { renderHardenComment } from "../report/harden.js";
import { planHardening } from "../review/harden.js";
import { reviewSnapshot } from "../review/review.js";
import type { PullRequestSnapshot } from "../snapshot.js";
import { loadDemoSnapshot } from "./demo.js";
import { loadGitRangeSnapshot, repositoryRoot } from "./git.js";
import { loadDirectorySnapshot, scanProjectRoot } from "./scan.js";

/**
 * `security-review harden [scan <path>... | diff | demo] [--rule ID]... [--patch FILE]`: the harden
 * plan of the review the same input would get, printed as the comment the app would post; `--patch`
 * writes every diff as one patch for `git apply`. Nothing is written to the repository itself.
 */

export interface HardenCliOptions {
  config?: string;
  ai: boolean;
  base?: string;
  head?: string;
  patch?: string;
  rules?: string[];
}

export class HardenUsageError extends Error {}

async function load(input: string, paths: string[], options: HardenCliOptions, loadConfig: (explicit: string | undefined, root: string) => Config): Promise<{ snapshot: PullRequestSnapshot; config: Config }> {
  if (input === "scan") {
    if (paths.length === 0) throw new HardenUsageError("harden scan needs at least one path");
    const missing = paths.find((p) => !existsSync(p));
    if (missing) throw new HardenUsageError(`path not found: ${missing}`);
    const root = await scanProjectRoot(paths);
    const config = loadConfig(options.config, root);
    const { snapshot } = await loadDirectorySnapshot(paths, { root, context: { depth: config.limits.contextDepth, files: config.limits.contextFiles } });
    return { snapshot, config };
  }
  if (paths.length > 0) throw new HardenUsageError(`harden ${input} takes no paths (got ${paths.join(" ")})`);
  if (input === "diff") {
    const config = loadConfig(options.config, await repositoryRoot(process.cwd()));
    const { snapshot } = await loadGitRangeSnapshot({ cwd: process.cwd(), base: options.base, head: options.head, context: { depth: config.limits.contextDepth, files: config.limits.contextFiles } });
    return { snapshot, config };
  }
  if (input === "demo") {
    const { snapshot } = await loadDemoSnapshot();
    return { snapshot, config: options.config ? loadConfig(options.config, process.cwd()) : DEFAULT_CONFIG };
  }
  throw new HardenUsageError(`harden reviews scan, diff or demo input (got ${input})`);
}

/** Exit 0 when the plan was printed (and the patch written); a plan is advice, it gates nothing. */
export async function runHarden(args: string[], options: HardenCliOptions, loadConfig: (explicit: string | undefined, root: string) => Config): Promise<{ code: number; stdout: string; stderr: string }> {
  const [input = "diff", ...paths] = args;
  const { snapshot, config } = await load(input, paths, options, loadConfig);
  const review = reviewSnapshot(snapshot, config, { forceAi: options.ai });
  const plan = await planHardening(review, snapshot, config, options.rules && options.rules.length > 0 ? { rules: options.rules } : {}, (patched) => reviewSnapshot(patched, config, { forceAi: options.ai }));
  if (options.patch) await writeFile(options.patch, plan.patch);
  const written = options.patch ? `\nWrote ${plan.diffs.length} file diff${plan.diffs.length === 1 ? "" : "s"} to ${options.patch}: apply with \`git apply ${options.patch}\`.\n` : "";
  return { code: 0, stdout: renderHardenComment(plan), stderr: written };
}
