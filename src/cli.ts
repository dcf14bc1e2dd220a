#!/usr/bin/env node
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CHECKS } from "./checks/index.js";
import { DEFAULT_CONFIG, ConfigError, type Config } from "./config/schema.js";
import { readConfigFile } from "./config/yaml.js";
import { isEntryPoint } from "./entry-point.js";
import { loadDemoSnapshot } from "./local/demo.js";
import { HardenUsageError, runHarden } from "./local/harden-cli.js";
import { loadGitRangeSnapshot, repositoryRoot } from "./local/git.js";
import { scanProjectRoot } from "./local/scan.js";
import { scanRepository } from "./local/scan-review.js";
import { checkRunConclusion } from "./report/check-run.js";
import { renderJson } from "./report/json.js";
import { renderSarif } from "./report/sarif.js";
import { renderThreatModelComment } from "./report/threat-model.js";
import { reviewSnapshot } from "./review/review.js";
import type { Review } from "./review/types.js";
import { VERSION } from "./version.js";

/**
 * `security-review scan <path>...`, `security-review diff [--base REF] [--head REF]`,
 * `security-review demo`. Exit 0 when nothing new reaches failOn and the review is complete, 1 when
 * something does or the review is incomplete (unless `incomplete: allow`), 2 on a usage or config
 * error. Output is written once, at the end.
 */

const USAGE = `Usage:
  security-review scan <path>...             review every file under the paths as if a PR added them
  security-review diff [--base REF] [--head REF]  review a local git range like a PR
  security-review demo                       review the bundled demo pull request
  security-review harden [scan <path>...|diff|demo]  the harden plan: what to change, as diffs, and how to test it

Options:
  --format markdown|json|sarif   output format (default markdown)
  --config FILE                  config file (default: .github/security-review.yml under the root, if present)
  --ai                           treat the change as AI-generated
  --patch FILE                   harden: write every diff to FILE as one patch for git apply
  --rule ID                      harden: only the findings of this rule or category (repeatable)
  -h, --help                     show this help
  -v, --version                  show the version

Exit codes: 0 nothing new reaches failOn and the review is complete, 1 something does or
(unless the config says incomplete: allow) the review is incomplete, 2 usage or config error.`;

class UsageError extends Error {}

type Format = "markdown" | "json" | "sarif";

function loadConfig(explicit: string | undefined, root: string): Config {
  const path = explicit ? resolve(explicit) : join(root, ".github", "security-review.yml");
  if (!explicit && !existsSync(path)) return DEFAULT_CONFIG;
  if (!existsSync(path)) throw new UsageError(`config file not found: ${explicit}`);
  if (statSync(path).isDirectory()) throw new UsageError(`${explicit ?? ".github/security-review.yml"} is a folder, not a config file`);
  return readConfigFile(path, explicit ?? ".github/security-review.yml");
}

/**
 * 1 when a new finding reaches failOn, when the review did not run, or when it is incomplete (a
 * source file a limit kept out) unless the config says `incomplete: allow`; else 0. A gap in the
 * review is never a pass by default, as in the check run.
 */
export function exitCode(review: Review, allowIncomplete: boolean): 0 | 1 {
  if (review.verdict === "fail" || review.verdict === "not-run") return 1;
  return review.incomplete && !allowIncomplete ? 1 : 0;
}

function render(review: Review, format: Format): string {
  if (format === "json") return renderJson(review);
  if (format === "sarif") return renderSarif(review, CHECKS, VERSION);
  return renderThreatModelComment(review);
}

export async function main(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", default: "markdown" },
        config: { type: "string" },
        ai: { type: "boolean", default: false },
        base: { type: "string" },
        head: { type: "string" },
        patch: { type: "string" },
        rule: { type: "string", multiple: true },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (error) {
    return { code: 2, stdout: "", stderr: `${(error as Error).message}\n\n${USAGE}\n` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { code: 0, stdout: `${USAGE}\n`, stderr: "" };
  if (values.version) return { code: 0, stdout: `${VERSION}\n`, stderr: "" };

  const format = values.format as Format;
  if (!["markdown", "json", "sarif"].includes(format)) return { code: 2, stdout: "", stderr: `unknown format: ${values.format} (markdown, json or sarif)\n` };
  const [command, ...rest] = positionals;

  try {
    if (command === "harden") {
      return await runHarden(rest, { ...values, ...(values.rule ? { rules: values.rule } : {}) }, loadConfig);
    }
    let review: Review;
    let allowIncomplete = false;
    let notice = "";
    if (command === "scan") {
      if (rest.length === 0) throw new UsageError("scan needs at least one path");
      const missing = rest.find((p) => !existsSync(p));
      if (missing) throw new UsageError(`path not found: ${missing}`);
      const root = await scanProjectRoot(rest);
      const config = loadConfig(values.config, root);
      allowIncomplete = config.incomplete === "allow";
      ({ review } = await scanRepository(rest, config, { root, forceAi: values.ai }));
    } else if (command === "diff") {
      if (rest.length > 0) throw new UsageError(`diff takes no paths (got ${rest.join(" ")})`);
      const config = loadConfig(values.config, await repositoryRoot(process.cwd()));
      allowIncomplete = config.incomplete === "allow";
      const { snapshot } = await loadGitRangeSnapshot({ cwd: process.cwd(), base: values.base, head: values.head, context: { depth: config.limits.contextDepth, files: config.limits.contextFiles } });
      review = reviewSnapshot(snapshot, config, { forceAi: values.ai });
      // On stderr, so JSON and SARIF on stdout stay parseable.
      notice = `Compared with ${snapshot.baseBranch ?? "the base"} (merge base ${snapshot.baseSha?.slice(0, 12) ?? "unknown"}).\n`;
    } else if (command === "demo") {
      const { snapshot } = await loadDemoSnapshot();
      review = reviewSnapshot(snapshot, values.config ? loadConfig(values.config, process.cwd()) : DEFAULT_CONFIG, { forceAi: values.ai });
      const output = render(review, format);
      const trailer =
        format === "markdown"
          ? `\n---\nDemo review of a bundled pull request. As a GitHub App, this comment would be posted on the PR and the **Security review** check run would conclude \`${checkRunConclusion(review)}\`.\n`
          : "";
      // The demo always exits 0: it shows a review, it does not gate anything.
      return { code: 0, stdout: output + trailer, stderr: "" };
    } else {
      throw new UsageError(command ? `unknown command: ${command}` : "missing command");
    }
    return { code: exitCode(review, allowIncomplete), stdout: render(review, format), stderr: notice };
  } catch (error) {
    if (error instanceof UsageError || error instanceof HardenUsageError) return { code: 2, stdout: "", stderr: `${error.message}\n\n${USAGE}\n` };
    if (error instanceof ConfigError) return { code: 2, stdout: "", stderr: `${error.message}\n` };
    const message = error instanceof Error ? error.message : String(error);
    return { code: 2, stdout: "", stderr: `security-review: ${message}\n` };
  }
}

if (isEntryPoint(import.meta.url)) {
  const result = await main(process.argv.slice(2));
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
