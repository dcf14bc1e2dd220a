import type { Context } from "probot";
import { loadRepoConfigOrDefaults } from "../github/config.js";
import { isAiLabel } from "../github/review-pull-request.js";
import type { HandlerDeps } from "./deps.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.labeled",
  "pull_request.unlabeled",
] as const;

/** A new head, a reopened or readied PR, or a change of AI label: review the head. */
export async function onPullRequest(context: Context<(typeof PULL_REQUEST_EVENTS)[number]>, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  const pr = payload.pull_request;
  if (!payload.installation) return context.log.debug("no installation: ignored");
  if (pr.state !== "open") return context.log.debug("PR is not open: ignored");
  if ((payload.action === "labeled" || payload.action === "unlabeled") && !(await isAiSignal(context, payload.label?.name))) {
    return context.log.debug("label is not an AI signal: ignored");
  }
  await deps.queue.enqueue({
    kind: "review",
    installationId: payload.installation.id,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    pullNumber: pr.number,
    headSha: pr.head.sha,
    trigger: `pull_request.${payload.action}`,
    deliveryId: context.id,
  });
}

/** Only AI labels change a review; the repo's own AI labels need its config. */
async function isAiSignal(context: Context<"pull_request.labeled" | "pull_request.unlabeled">, label: string | undefined): Promise<boolean> {
  if (!label) return false;
  const { config } = await loadRepoConfigOrDefaults(context.octokit, context.repo(), context.log);
  return isAiLabel(label, config);
}
