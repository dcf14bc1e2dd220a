#!/usr/bin/env node
/**
 * The GitHub Action (action.yml): the app's review, run inside a workflow. On a `pull_request` (or
 * `pull_request_target`) event it reviews the PR's head against its base from the event payload, as
 * the app does; on any other event it scans the checked-out repository. It writes the threat model
 * to the job summary and SARIF for code scanning, optionally creates or updates the PR's
 * threat-model comment with the workflow's token (the app's marker, edited in place), and fails the
 * job as the CLI's exit code says: a new finding at `failOn` or above, or an incomplete review unless
 * the config allows it.
 *
 * Inputs come from the environment the composite action sets (`INPUT_TOKEN`, `INPUT_COMMENT`,
 * `INPUT_CONFIG`, `INPUT_SARIF`) and the runner's own variables (`GITHUB_EVENT_NAME`,
 * `GITHUB_EVENT_PATH`, `GITHUB_WORKSPACE`, `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`, `GITHUB_API_URL`).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFile, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { Octokit } from "@octokit/rest";
import { CHECKS } from "./checks/index.js";
import { exitCode } from "./cli.js";
import { ConfigError, DEFAULT_CONFIG, type Config } from "./config/schema.js";
import { parseConfigText } from "./config/yaml.js";
import { isEntryPoint } from "./entry-point.js";
import { upsertThreatModelComment } from "./github/comments.js";
import { loadGitRangeSnapshot } from "./local/git.js";
import { scanProjectRoot } from "./local/scan.js";
import { scanRepository } from "./local/scan-review.js";
import { reportedVerdict } from "./report/json.js";
import { renderSarif } from "./report/sarif.js";
import { markAiGenerated, renderThreatModelComment, THREAT_MODEL_MARKER } from "./report/threat-model.js";
import { reviewSnapshot } from "./review/review.js";
import type { Review } from "./review/types.js";
import { VERSION } from "./version.js";

/** The bot the workflow's `GITHUB_TOKEN` comments as: only its comments carrying the marker are edited. */
export const ACTIONS_BOT = { slug: "github-actions" };
/** The runner's event payload is GitHub's webhook payload: refused past the app's webhook body limit. */
const MAX_EVENT_BYTES = 25 * 1024 * 1024;
const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

const execFileAsync = promisify(execFile);

export interface ActionResult {
  /** The process exit code: 0 pass, 1 the review fails the job, 2 the action could not run. */
  code: number;
  verdict?: ReturnType<typeof reportedVerdict>;
  commentUrl?: string;
}

class ActionError extends Error {}

interface PullRequestEvent {
  number: number;
  title: string;
  body: string;
  baseSha: string;
  headSha: string;
  baseRef: string;
  headRef: string;
  labels: string[];
  author?: { login: string; type: string };
  owner: string;
  repo: string;
}

type Env = Record<string, string | undefined>;

/** A workflow command's data: `%`, CR and LF escaped, so a message cannot start a command of its own. */
function commandData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function input(env: Env, name: string, fallback: string): string {
  const value = env[`INPUT_${name}`]?.trim();
  return value ? value : fallback;
}

function booleanInput(env: Env, name: string): boolean {
  const value = input(env, name, "false").toLowerCase();
  if (value === "true") return true;
  if (value === "false") return false;
  throw new ActionError(`input ${name.toLowerCase()} must be true or false (got ${JSON.stringify(value.slice(0, 20))})`);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The pull request of a `pull_request` event payload, checked before anything reads it. */
export function pullRequestOf(payload: unknown): PullRequestEvent {
  const event = payload as { pull_request?: Record<string, unknown>; repository?: { name?: unknown; owner?: { login?: unknown } } };
  const pr = event.pull_request as
    | { number?: unknown; title?: unknown; body?: unknown; base?: { sha?: unknown; ref?: unknown }; head?: { sha?: unknown; ref?: unknown }; labels?: { name?: unknown }[]; user?: { login?: unknown; type?: unknown } }
    | undefined;
  const baseSha = text(pr?.base?.sha);
  const headSha = text(pr?.head?.sha);
  const owner = text(event.repository?.owner?.login);
  const repo = text(event.repository?.name);
  if (!pr || typeof pr.number !== "number" || !SHA.test(baseSha) || !SHA.test(headSha) || !owner || !repo) {
    throw new ActionError("the event payload has no pull request with a number, base and head commits and a repository");
  }
  const login = text(pr.user?.login);
  return {
    number: pr.number,
    title: text(pr.title),
    body: text(pr.body),
    baseSha,
    headSha,
    baseRef: text(pr.base?.ref) || baseSha,
    headRef: text(pr.head?.ref),
    labels: Array.isArray(pr.labels) ? pr.labels.map((label) => text(label?.name)).filter(Boolean) : [],
    ...(login ? { author: { login, type: text(pr.user?.type) || "User" } } : {}),
    owner,
    repo,
  };
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("git", ["-C", cwd, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/**
 * The base and head commits and the history between them. actions/checkout fetches one commit by
 * default: a shallow checkout is deepened (the merge base lies in the history it lacks), and a
 * commit still missing is fetched by its SHA. `fetch-depth: 0` makes both steps no-ops.
 */
async function ensureCommits(cwd: string, shas: string[]): Promise<void> {
  const shallow = (await git(cwd, ["rev-parse", "--is-shallow-repository"])).trim() === "true";
  if (shallow) await git(cwd, ["fetch", "--no-tags", "--quiet", "--unshallow", "origin"]).catch(() => undefined);
  const missing: string[] = [];
  for (const sha of shas) {
    try {
      await git(cwd, ["cat-file", "-e", `${sha}^{commit}`]);
    } catch {
      missing.push(sha);
    }
  }
  if (missing.length === 0) return;
  try {
    await git(cwd, ["fetch", "--no-tags", "--quiet", "origin", ...missing]);
  } catch {
    throw new ActionError(`commits ${missing.map((sha) => sha.slice(0, 12)).join(", ")} are not in the checkout and could not be fetched: check out with actions/checkout and fetch-depth: 0`);
  }
}

/**
 * The config at the PR's base commit, as the app reads it from the default branch: a PR cannot
 * weaken its own review. An invalid file is reported and the review runs with the defaults.
 */
async function configAtCommit(cwd: string, sha: string, file: string): Promise<{ config: Config; problems?: string[] }> {
  let content: string;
  try {
    content = await git(cwd, ["show", `${sha}:${file.replace(/^\.\//, "")}`]);
  } catch {
    return { config: DEFAULT_CONFIG };
  }
  return parsedConfig(content, file);
}

async function configInWorkspace(root: string, file: string): Promise<{ config: Config; problems?: string[] }> {
  const absolute = path.resolve(root, file);
  let content: string;
  try {
    if ((await stat(absolute)).isDirectory()) return { config: DEFAULT_CONFIG, problems: [`${file} is a folder, not a config file`] };
    content = await readFile(absolute, "utf8");
  } catch {
    return { config: DEFAULT_CONFIG };
  }
  return parsedConfig(content, file);
}

function parsedConfig(content: string, file: string): { config: Config; problems?: string[] } {
  try {
    return { config: parseConfigText(content, file) };
  } catch (error) {
    if (error instanceof ConfigError) return { config: DEFAULT_CONFIG, problems: error.problems };
    throw error;
  }
}

async function readEvent(env: Env): Promise<unknown> {
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!eventPath) throw new ActionError("GITHUB_EVENT_PATH is not set: the action runs inside a GitHub Actions workflow");
  const { size } = await stat(eventPath);
  if (size > MAX_EVENT_BYTES) throw new ActionError(`the event payload is larger than ${MAX_EVENT_BYTES} bytes`);
  return JSON.parse(await readFile(eventPath, "utf8")) as unknown;
}

/** Sets a step output with a random delimiter, so a value cannot end the block early. */
async function setOutput(env: Env, name: string, value: string): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  await appendFile(env.GITHUB_OUTPUT, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

export async function runAction(env: Env = process.env, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<ActionResult> {
  try {
    const workspace = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd());
    const configFile = input(env, "CONFIG", ".github/security-review.yml");
    const sarifPath = path.resolve(workspace, input(env, "SARIF", "security-review.sarif"));
    const comment = booleanInput(env, "COMMENT");
    const eventName = env.GITHUB_EVENT_NAME ?? "";
    const payload = await readEvent(env);

    let review: Review;
    let loaded: { config: Config; problems?: string[] };
    let pull: PullRequestEvent | undefined;
    if (PULL_REQUEST_EVENTS.has(eventName)) {
      pull = pullRequestOf(payload);
      await ensureCommits(workspace, [pull.baseSha, pull.headSha]);
      loaded = await configAtCommit(workspace, pull.baseSha, configFile);
      const limits = loaded.config.limits;
      const { snapshot } = await loadGitRangeSnapshot({ cwd: workspace, base: pull.baseSha, head: pull.headSha, maxFileBytes: limits.maxFileBytes, context: { depth: limits.contextDepth, files: limits.contextFiles } }).catch(async (error: unknown) => {
        // A shallow checkout may lack the history the merge base lies in.
        const shallow = (await git(workspace, ["rev-parse", "--is-shallow-repository"]).catch(() => "")).trim() === "true";
        throw shallow ? new ActionError(`${error instanceof Error ? error.message : String(error)} (the checkout is shallow: check out with fetch-depth: 0)`) : error;
      });
      Object.assign(snapshot, {
        repo: `${pull.owner}/${pull.repo}`,
        number: pull.number,
        title: pull.title,
        body: pull.body,
        labels: pull.labels,
        baseBranch: pull.baseRef,
        ...(pull.headRef ? { branch: pull.headRef } : {}),
        ...(pull.author ? { author: pull.author } : {}),
      });
      log(`Reviewing pull request #${pull.number}: ${pull.headSha.slice(0, 12)} against ${pull.baseRef} (merge base ${snapshot.baseSha?.slice(0, 12) ?? "unknown"}).`);
      review = reviewSnapshot(snapshot, loaded.config);
    } else {
      const root = await scanProjectRoot([workspace]);
      loaded = await configInWorkspace(root, configFile);
      ({ review } = await scanRepository([workspace], loaded.config, { root }));
      log(`Not a pull request event (${eventName || "unknown"}): scanning the repository.`);
    }
    const { config, problems } = loaded;
    for (const problem of problems ?? []) log(`::warning title=Security review config::${commandData(`${problem} (reviewing with the defaults)`)}`);

    const extras = problems ? { configProblems: problems } : {};
    const threatModel = renderThreatModelComment(review, extras);
    if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${threatModel}\n`);
    await writeFile(sarifPath, renderSarif(review, CHECKS, VERSION));

    let commentUrl: string | undefined;
    if (comment && pull) commentUrl = await postComment(env, pull, review, threatModel, log);

    const verdict = reportedVerdict(review);
    const code = exitCode(review, config.incomplete === "allow");
    await setOutput(env, "verdict", verdict);
    await setOutput(env, "sarif", sarifPath);
    if (commentUrl) await setOutput(env, "comment-url", commentUrl);
    log(`Security review: ${verdict}; ${newFindings(review)}. Threat model in the job summary, SARIF in ${path.relative(workspace, sarifPath) || sarifPath}.`);
    if (code !== 0) log(`::error title=Security review::${commandData(failureReason(review, config))}`);
    return { code, verdict, ...(commentUrl ? { commentUrl } : {}) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`::error title=Security review::${commandData(error instanceof ActionError ? message : `could not run: ${message}`)}`);
    return { code: 2 };
  }
}

function newFindings(review: Review): string {
  const count = review.findings.filter((finding) => finding.new).length;
  return `${count} new ${count === 1 ? "finding" : "findings"}`;
}

function failureReason(review: Review, config: Config): string {
  if (review.verdict === "fail") return `a new finding reaches failOn (${config.failOn}); see the job summary`;
  if (review.verdict === "not-run") return review.notRunReason ?? "the review did not run";
  return `the review is incomplete (${review.incomplete ?? "a limit was reached"}); set incomplete: allow in the config to let it pass`;
}

/**
 * Creates or updates the PR's threat-model comment as the workflow's token. A token that cannot
 * write (a fork's `pull_request` run) is reported, not fatal: the summary, SARIF and exit code stand.
 */
async function postComment(env: Env, pull: PullRequestEvent, review: Review, threatModel: string, log: (line: string) => void): Promise<string | undefined> {
  const token = input(env, "TOKEN", env.GITHUB_TOKEN ?? "");
  if (!token) {
    log("::warning title=Security review::comment: true needs a token (the token input, by default the workflow's GITHUB_TOKEN)");
    return undefined;
  }
  const octokit = new Octokit({ auth: token, baseUrl: env.GITHUB_API_URL ?? "https://api.github.com", userAgent: `pr-security-review-action/${VERSION}` });
  const body = review.provenance.aiGenerated ? markAiGenerated(threatModel) : threatModel;
  try {
    // The app's client and @octokit/rest share the REST methods the comment functions call.
    const { url } = await upsertThreatModelComment(octokit, { owner: pull.owner, repo: pull.repo, issue_number: pull.number }, body, THREAT_MODEL_MARKER, ACTIONS_BOT);
    return url;
  } catch (error) {
    const status = (error as { status?: number }).status;
    log(`::warning title=Security review::${commandData(`could not write the PR comment (HTTP ${status ?? "error"}): the token needs pull-requests: write; a fork's pull_request run has a read-only token`)}`);
    return undefined;
  }
}

if (isEntryPoint(import.meta.url)) {
  const result = await runAction();
  process.exitCode = result.code;
}
