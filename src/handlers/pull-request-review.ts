import type { Context } from "probot";
import type { HandlerDeps } from "./deps.js";

/** An approval, or a dismissal of one, re-evaluates the AI gate of the head (no re-analysis). */
export async function onPullRequestReview(context: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (payload.action === "submitted" && payload.review.state.toLowerCase() !== "approved") return context.log.debug("not an approval: ignored");
  if (payload.review.user?.type === "Bot") return context.log.debug("review by a bot: ignored");
  if (!payload.installation) return context.log.debug("no installation: ignored");
  if (payload.pull_request.state !== "open") return context.log.debug("PR is not open: ignored");
  await deps.queue.enqueue({
    kind: "ai-gate",
    installationId: payload.installation.id,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    pullNumber: payload.pull_request.number,
    headSha: payload.pull_request.head.sha,
    trigger: `pull_request_review.${payload.action}`,
    deliveryId: context.id,
  });
}
