import merge from "deepmerge";
import { ConfigError, DEFAULT_CONFIG, parseConfig, type Config } from "../config/schema.js";
import type { Logger } from "pino";
import { httpStatus, type GitHubClient } from "./client.js";

export const CONFIG_FILE = "security-review.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export type RepoConfig = { config: Config; problems?: undefined } | { config: Config; problems: string[] };

/**
 * `.github/security-review.yml` from the default branch, falling back to the owner's `.github`
 * repository and following `_extends`: exactly what Probot's `context.config()` does (it wraps
 * `octokit.config.get` with a deepmerge), called here on the installation Octokit because a
 * queued review runs after its webhook's context is gone. An invalid file never throws: its
 * problems come back, each `key.path: problem`, with the defaults to go on with.
 */
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

export async function loadRepoConfig(octokit: GitHubClient, repo: { owner: string; repo: string }): Promise<RepoConfig> {
  let raw: unknown;
  try {
    const { config, files } = await octokit.config.get({
      owner: repo.owner,
      repo: repo.repo,
      path: CONFIG_PATH,
      defaults: (configs) => merge.all<Record<string, unknown>>([{}, ...configs]),
    });
    raw = files.some((file) => file.config !== null) ? config : null;
  } catch (error) {
    // GitHub failing (a 5xx, the network, a rate limit) says nothing about the file: the caller
    // fails and the queue retries, rather than reporting a valid file as invalid.
    if (isGitHubOutage(error)) throw error;
    // Invalid YAML or an unreadable file: say so rather than fail the review.
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^\[[^\]]+\]\s*/, "").split("\n")[0];
    return { config: DEFAULT_CONFIG, problems: [`(file): ${reason}`] };
  }
  try {
    return { config: parseConfig(raw, CONFIG_PATH) };
  } catch (error) {
    if (error instanceof ConfigError) return { config: DEFAULT_CONFIG, problems: error.problems };
    throw error;
  }
}
