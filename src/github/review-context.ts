import { ConfigError, DEFAULT_CONFIG, parseConfig } from "../config/schema.js";
import { parseConfigYaml } from "../config/yaml.js";
import type { PullRequestRef, GitHubClient } from "./client.js";
import { CONFIG_PATH, loadRepoConfig, type RepoConfig } from "./config.js";

/**
 * What a review needs before it starts, in one GraphQL request: the PR and the repo's config file
 * (`.github/security-review.yml` on the default branch, else the owner's `.github` repository's),
 * instead of `pulls.get` plus one or two contents reads.
 */

/** The fields of a PR a review reads: a structural subset of what `pulls.get` returns. */
export interface PullRequestInfo {
  number: number;
  state: string;
  draft?: boolean | undefined;
  title: string;
  body: string | null;
  html_url: string;
  head: { sha: string; ref: string };
  base: { sha: string; ref: string };
  labels: { name: string }[];
  user: { login: string; type: string } | null;
  changed_files: number;
  /** Issue comments on the PR: at 0 the threat-model comment need not be searched for. */
  comments: number;
}

export interface ReviewContext {
  config: RepoConfig;
  pr: PullRequestInfo;
}

const CONFIG_BLOB = `object(expression: $config) { ... on Blob { text isTruncated } }`;

export const CONTEXT_QUERY = `query SecurityReviewContext($owner: String!, $name: String!, $number: Int!, $config: String!) {
  repository(owner: $owner, name: $name) {
    config: ${CONFIG_BLOB}
    pullRequest(number: $number) {
      number state isDraft title body url headRefOid headRefName baseRefOid baseRefName changedFiles
      author { login __typename }
      labels(first: 100) { nodes { name } }
      comments { totalCount }
    }
  }
  org: repository(owner: $owner, name: ".github") { config: ${CONFIG_BLOB} }
}`;

interface ConfigBlob {
  text: string | null;
  isTruncated: boolean;
}

interface ContextResponse {
  repository: {
    config: ConfigBlob | null;
    pullRequest: {
      number: number;
      state: "OPEN" | "CLOSED" | "MERGED";
      isDraft: boolean;
      title: string;
      body: string;
      url: string;
      headRefOid: string;
      headRefName: string;
      baseRefOid: string;
      baseRefName: string;
      changedFiles: number;
      author: { login: string; __typename: string } | null;
      labels: { nodes: { name: string }[] } | null;
      comments: { totalCount: number };
    } | null;
  } | null;
  org?: { config: ConfigBlob | null } | null;
}

/**
 * GitHub answers a missing (or, for this installation, invisible) owner `.github` repository with
 * null and a NOT_FOUND error for `org`: the rest stands. Any other error about `org` keeps the PR
 * but leaves the config to the full config reader (`reread`), so it fails or falls back exactly as before.
 */
function partialAboutOrg(error: unknown): { data: ContextResponse; reread: boolean } | undefined {
  if (typeof error !== "object" || error === null || !("errors" in error) || !("data" in error) || !Array.isArray(error.errors)) return undefined;
  const errors = error.errors as { type?: string; path?: (string | number)[] }[];
  if (!errors.every((entry) => entry.path?.[0] === "org")) return undefined;
  const data = error.data as ContextResponse | null | undefined;
  if (!data?.repository?.pullRequest) return undefined;
  return { data, reread: !errors.every((entry) => entry.type === "NOT_FOUND") };
}

/**
 * Parses the config file as {@link loadRepoConfig} would (the repo's file when it exists, else the
 * owner's `.github` one, with the same bounds), or undefined when that reader must decide:
 * `_extends`, a truncated file, or YAML that is not a mapping.
 */
function configFromBlobs(repoFile: ConfigBlob | null | undefined, orgFile: ConfigBlob | null | undefined): RepoConfig | undefined {
  const file = repoFile ?? orgFile;
  if (!file) return { config: DEFAULT_CONFIG };
  if (file.isTruncated || typeof file.text !== "string") return undefined;
  try {
    const raw = parseConfigYaml(file.text, CONFIG_PATH) ?? {};
    // Not a mapping: the full reader words the problem.
    if (typeof raw !== "object" || Array.isArray(raw) || "_extends" in raw) return undefined;
    return { config: parseConfig(raw, CONFIG_PATH) };
  } catch (error) {
    if (error instanceof ConfigError) return { config: DEFAULT_CONFIG, problems: error.problems };
    throw error;
  }
}

function botLogin(author: { login: string; __typename: string }): string {
  // REST names an app's bot user `name[bot]`; GraphQL gives the bare name.
  return author.__typename === "Bot" && !author.login.endsWith("[bot]") ? `${author.login}[bot]` : author.login;
}

export async function loadReviewContext(octokit: GitHubClient, pull: PullRequestRef): Promise<ReviewContext> {
  let response: ContextResponse;
  let reread = false;
  try {
    response = await octokit.graphql<ContextResponse>(CONTEXT_QUERY, { owner: pull.owner, name: pull.repo, number: pull.pull_number, config: `HEAD:${CONFIG_PATH}` });
  } catch (error) {
    const partial = partialAboutOrg(error);
    if (!partial) throw error;
    ({ data: response, reread } = partial);
  }
  const node = response.repository?.pullRequest;
  if (!node) throw Object.assign(new Error("pull request not found"), { status: 404 });
  const pr: PullRequestInfo = {
    number: node.number,
    state: node.state === "OPEN" ? "open" : "closed",
    draft: node.isDraft,
    title: node.title,
    body: node.body,
    html_url: node.url,
    head: { sha: node.headRefOid, ref: node.headRefName },
    base: { sha: node.baseRefOid, ref: node.baseRefName },
    labels: node.labels?.nodes ?? [],
    user: node.author ? { login: botLogin(node.author), type: node.author.__typename === "Bot" || node.author.__typename === "Organization" ? node.author.__typename : "User" } : null,
    changed_files: node.changedFiles,
    comments: node.comments.totalCount,
  };
  // In the owner's `.github` repository itself, Probot reads no fallback.
  const orgFile = pull.repo === ".github" ? null : response.org?.config;
  const fromBlobs = reread && !response.repository?.config ? undefined : configFromBlobs(response.repository?.config, orgFile);
  const config = fromBlobs ?? (await loadRepoConfig(octokit, pull));
  return { config, pr };
}
