import { ANNOTATIONS_PER_REQUEST, CHECK_RUN_NAME, renderNotRunCheckRun, type RenderedCheckRun } from "../report/check-run.js";
import { setTimeout as delay } from "node:timers/promises";
import { isAppBot, type AppIdentity } from "./app-identity.js";
import { httpStatus, type GitHubClient } from "./client.js";

/** Set on check runs that wait for the AI gate, so an approval can find and update them. */
export const AI_GATE_EXTERNAL_ID = "security-review:ai-gate";

export interface CheckRunRef {
  owner: string;
  repo: string;
  check_run_id: number;
}

export async function startCheckRun(octokit: GitHubClient, target: { owner: string; repo: string; headSha: string; detailsUrl?: string }): Promise<CheckRunRef> {
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: CHECK_RUN_NAME,
    head_sha: target.headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    ...(target.detailsUrl ? { details_url: target.detailsUrl } : {}),
    output: { title: "Reviewing…", summary: `Threat-modelling head \`${target.headSha}\`.` },
  });
  return { owner: target.owner, repo: target.repo, check_run_id: data.id };
}

/**
 * Completes a check run. Annotations go 50 per request (GitHub's limit): all but the last batch
 * while the run is still in progress, the last one with the conclusion.
 */
export async function completeCheckRun(octokit: GitHubClient, run: CheckRunRef, rendered: RenderedCheckRun, options: { externalId?: string; detailsUrl?: string } = {}): Promise<void> {
  const { title, summary, text } = rendered.output;
  const batches: (typeof rendered.annotations)[] = [];
  for (let start = 0; start < rendered.annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(rendered.annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  }
  const last = batches.pop() ?? [];
  for (const annotations of batches) {
    await octokit.rest.checks.update({ ...run, output: { title, summary, annotations } });
  }
  await octokit.rest.checks.update({
    ...run,
    status: "completed",
    conclusion: rendered.conclusion,
    completed_at: new Date().toISOString(),
    ...(options.externalId ? { external_id: options.externalId } : {}),
    ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
    output: { title, summary, ...(text ? { text } : {}), ...(last.length > 0 ? { annotations: last } : {}) },
  });
}

export interface ExistingCheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  externalId: string | null;
  title: string;
  summary: string;
}

/**
 * The newest "Security review" check run this app created on a commit, if any. Any app or
 * workflow can create a run of that name: one of theirs never counts as ours (its status,
 * conclusion or external id would steer the gate).
 */
export async function findLatestCheckRun(octokit: GitHubClient, target: { owner: string; repo: string; headSha: string }, identity: AppIdentity): Promise<ExistingCheckRun | undefined> {
  const { data } = await octokit.rest.checks.listForRef({ owner: target.owner, repo: target.repo, ref: target.headSha, check_name: CHECK_RUN_NAME, filter: "latest", per_page: 100 });
  const ours = data.check_runs.filter((run) => run.app?.slug !== undefined && isAppBot({ login: run.app.slug, type: "Bot" }, identity));
  const [latest] = ours.sort((a, b) => b.id - a.id);
  if (!latest) return undefined;
  return {
    id: latest.id,
    status: latest.status,
    conclusion: latest.conclusion,
    externalId: latest.external_id,
    title: latest.output.title ?? "",
    summary: latest.output.summary ?? "",
  };
}

/** The head's latest run of ours when it is still in progress (left by a failed attempt), to complete instead of starting another. */
export async function resumeCheckRun(octokit: GitHubClient, target: { owner: string; repo: string; headSha: string }, identity: AppIdentity): Promise<CheckRunRef | undefined> {
  const latest = await findLatestCheckRun(octokit, target, identity);
  if (!latest || latest.status === "completed") return undefined;
  return { owner: target.owner, repo: target.repo, check_run_id: latest.id };
}

/** Attempts of one check-run write before the caller gives up (and the queue retries the job). */
export const CHECK_RUN_WRITE_ATTEMPTS = 3;

/**
 * Runs a check-run write again after a server error, a rate limit or a network failure (GitHub's
 * answer may change), never after a refusal that would repeat: a review's run must not be left
 * hanging or missing because of one bad moment.
 */
export async function retryCheckRunWrite<T>(write: () => Promise<T>, options: { attempts?: number; baseDelayMs?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? CHECK_RUN_WRITE_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const status = httpStatus(error);
      const transient = status === undefined || status >= 500 || status === 429 || status === 403;
      if (!transient || attempt >= attempts) throw error;
      await delay((options.baseDelayMs ?? 250) * 2 ** (attempt - 1));
    }
  }
}

/**
 * A review job that failed before it could create its check run (GitHub failing while the PR was
 * read, a token that could not be had, an answer that could not be parsed), with no retry left:
 * the head still gets a `failure` run saying why and how to run it again, never no run at all.
 * A run of ours left in progress is completed instead of starting another.
 */
export async function leaveNotRunCheckRun(octokit: GitHubClient, target: { owner: string; repo: string; headSha: string }, reason: string, identity: AppIdentity): Promise<CheckRunRef> {
  const rendered = renderNotRunCheckRun(reason, target.headSha);
  const resumed = await resumeCheckRun(octokit, target, identity).catch(() => undefined);
  if (resumed) {
    await retryCheckRunWrite(() => completeCheckRun(octokit, resumed, rendered));
    return resumed;
  }
  const { data } = await retryCheckRunWrite(() =>
    octokit.rest.checks.create({
      owner: target.owner,
      repo: target.repo,
      name: CHECK_RUN_NAME,
      head_sha: target.headSha,
      status: "completed",
      conclusion: rendered.conclusion,
      completed_at: new Date().toISOString(),
      output: { title: rendered.output.title, summary: rendered.output.summary },
    }),
  );
  return { owner: target.owner, repo: target.repo, check_run_id: data.id };
}
