import merge from "deepmerge";
import { ConfigError, DEFAULT_CONFIG, parseConfig, type Config } from "../config/schema.js";
import { parseConfigYaml } from "../config/yaml.js";
import type { Logger } from "pino";
import { httpStatus, type GitHubClient } from "./client.js";

export const CONFIG_FILE = "security-review.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;
/** `_extends` links followed from the repository's (or the owner's) config file. */
export const MAX_EXTENDS_DEPTH = 3;

export type RepoConfig = { config: Config; problems?: undefined } | { config: Config; problems: string[] };

/** A server error, a network failure (Octokit reports it as a 500) or a rate limit. */
export function isGitHubOutage(error: unknown): boolean {
  const status = httpStatus(error);
  return status !== undefined && (status >= 500 || status === 429);
}

/**
 * The config where a webhook needs it on the spot (AI labels, the recheck limit): during a GitHub
 * outage the defaults stand in rather than dropping the event. Reviews use {@link loadRepoConfig}.
 */
export async function loadRepoConfigOrDefaults(octokit: GitHubClient, repo: { owner: string; repo: string }, log: Logger): Promise<RepoConfig> {
  try {
    return await loadRepoConfig(octokit, repo);
  } catch (error) {
    if (!isGitHubOutage(error)) throw error;
    log.warn({ status: httpStatus(error) }, "config unreadable while GitHub fails: defaults used");
    return { config: DEFAULT_CONFIG };
  }
}

interface ConfigFileRef {
  owner: string;
  repo: string;
  path: string;
}

type RawConfig = Record<string, unknown>;

function label(file: ConfigFileRef): string {
  return `${file.owner}/${file.repo}:${file.path}`;
}

function fileProblem(file: ConfigFileRef, problem: string): ConfigError {
  return new ConfigError(`${label(file)} ${problem}`, [`(file): ${label(file)} ${problem}`]);
}

/** One config file from the default branch: null when it does not exist; a ConfigError when it cannot be used. */
async function readConfigFile(octokit: GitHubClient, file: ConfigFileRef): Promise<RawConfig | null> {
  let response;
  try {
    response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...file, mediaType: { format: "raw" } });
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
  if (String(response.headers["content-type"] ?? "").startsWith("application/json")) throw fileProblem(file, "is a directory or a submodule, not a file");
  if (typeof response.data !== "string") throw fileProblem(file, "could not be read as text");
  const raw = parseConfigYaml(response.data, label(file));
  if (raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw fileProblem(file, "is not a YAML mapping of keys to values");
  return raw as RawConfig;
}

/** `[owner/]repo[:path.yml]`: the file an `_extends` names; the path defaults to the config's own. */
const EXTENDS = /^(?:([A-Za-z0-9][A-Za-z0-9-]{0,38})\/)?([A-Za-z0-9._-]{1,100})(?::([A-Za-z0-9._/-]{1,200}\.ya?ml))?$/;

function extendsTarget(value: unknown, from: ConfigFileRef): ConfigFileRef {
  const match = typeof value === "string" ? EXTENDS.exec(value) : null;
  const path = match?.[3] ?? CONFIG_PATH;
  if (!match || path.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw fileProblem(from, "has an invalid _extends: it names another config as repo, owner/repo or owner/repo:path.yml");
  }
  return { owner: match[1] ?? from.owner, repo: match[2]!, path };
}

/**
 * The config files that make up a repository's config, most specific first: the repo's own file,
 * else the owner's `.github` repository's, then each `_extends` it names, at most
 * {@link MAX_EXTENDS_DEPTH} links, never the same file twice. Each comes back without `_extends`.
 */
async function readConfigChain(octokit: GitHubClient, repo: { owner: string; repo: string }): Promise<RawConfig[]> {
  let file: ConfigFileRef = { owner: repo.owner, repo: repo.repo, path: CONFIG_PATH };
  let raw = await readConfigFile(octokit, file);
  if (raw === null && repo.repo !== ".github") {
    file = { owner: repo.owner, repo: ".github", path: CONFIG_PATH };
    raw = await readConfigFile(octokit, file);
  }
  if (raw === null) return [];
  const chain: RawConfig[] = [];
  const seen = new Set([label(file)]);
  for (let depth = 0; ; depth++) {
    const { _extends: extended, ...rest } = raw;
    chain.push(rest);
    if (extended === undefined) return chain;
    if (depth >= MAX_EXTENDS_DEPTH) throw fileProblem(file, `has an _extends past the limit: _extends is followed at most ${MAX_EXTENDS_DEPTH} deep`);
    const next = extendsTarget(extended, file);
    if (seen.has(label(next))) throw fileProblem(file, `extends ${label(next)}, which is already part of this config (an _extends loop)`);
    seen.add(label(next));
    const nextRaw = await readConfigFile(octokit, next);
    if (nextRaw === null) throw fileProblem(file, `extends ${label(next)}, which does not exist or cannot be read by the app`);
    file = next;
    raw = nextRaw;
  }
}

/**
 * `.github/security-review.yml` from the default branch, falling back to the owner's `.github`
 * repository and following `_extends` (merged as Probot's `context.config()` merges: the extending
 * file wins, lists are joined). Every file is bounded (64 KB, bounded YAML) and the chain is at most
 * {@link MAX_EXTENDS_DEPTH} links. An invalid file never throws: its problems come back, each
 * `key.path: problem` or `(file): problem`, with the defaults to go on with. GitHub failing (a 5xx,
 * the network, a rate limit) says nothing about the file: that throws, for the queue to retry.
 */
export async function loadRepoConfig(octokit: GitHubClient, repo: { owner: string; repo: string }): Promise<RepoConfig> {
  let chain: RawConfig[];
  try {
    chain = await readConfigChain(octokit, repo);
  } catch (error) {
    if (error instanceof ConfigError) return { config: DEFAULT_CONFIG, problems: error.problems };
    if (isGitHubOutage(error)) throw error;
    // Any other refusal (a 403 on an extended repository): say so rather than fail the review.
    const status = httpStatus(error);
    return { config: DEFAULT_CONFIG, problems: [`(file): could not be read (${status !== undefined ? `GitHub answered ${status}` : "unknown error"})`] };
  }
  if (chain.length === 0) return { config: DEFAULT_CONFIG };
  try {
    return { config: parseConfig(merge.all<RawConfig>([{}, ...chain.reverse()]), CONFIG_PATH) };
  } catch (error) {
    if (error instanceof ConfigError) return { config: DEFAULT_CONFIG, problems: error.problems };
    throw error;
  }
}
