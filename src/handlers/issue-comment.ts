import type { Context } from "probot";
import { acknowledgeComment, replyToComment } from "../github/comments.js";
import { loadRepoConfigOrDefaults } from "../github/config.js";
import { permissionOf } from "../github/permissions.js";
import type { HandlerDeps } from "./deps.js";
import { HARDEN_COMMAND, RECHECK_COMMAND, securityCommandOf } from "./recheck-command.js";

const ALLOWED = new Set(["admin", "write"]);
const MAX_COMMENT_CHARS = 65_536;

function formatRetry(retryAt: Date): string {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 60_000));
  return `${retryAt.toISOString().slice(11, 16)} UTC (in ${minutes} minute${minutes === 1 ? "" : "s"})`;
}

/**
 * `/security recheck` and `/security harden`: people with write access may re-run the review of the
 * current head, or ask for its harden plan, each a few times an hour per PR.
 */
export async function onIssueComment(context: Context<"issue_comment.created">, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (!payload.issue.pull_request) return context.log.debug("comment on an issue, not a PR: ignored");
  // GitHub caps a comment at 65,536 characters; a longer body is not GitHub's and is read no further.
  const command = securityCommandOf(payload.comment.body?.slice(0, MAX_COMMENT_CHARS));
  if (!command) return context.log.debug("no command: ignored");
  const asked = command.name === "harden" ? HARDEN_COMMAND : RECHECK_COMMAND;
  if (context.isBot || payload.comment.user?.type === "Bot") return context.log.debug("command from a bot: ignored");
  if (!payload.installation) return context.log.debug("no installation: ignored");

  const repo = context.repo();
  const issue = context.issue();
  const login = payload.comment.user?.login ?? "";
  const permission = await permissionOf(context.octokit, { ...repo, username: login });
  if (!ALLOWED.has(permission)) {
    context.log.info({ permission, command: command.name }, "command refused: no write access");
    return replyToComment(context.octokit, issue, `@${login} \`${asked}\` needs write access to this repository (you have \`${permission}\`).`);
  }

  const { config } = await loadRepoConfigOrDefaults(context.octokit, repo, context.log);
  // Each command has its own allowance: a harden plan does not use up the PR's rechecks.
  const limitKey = `${repo.owner}/${repo.repo}#${issue.issue_number}${command.name === "harden" ? ":harden" : ""}`;
  const decision = await deps.limiter.consume(limitKey, config.recheckPerHour);
  if (!decision.allowed) {
    context.log.info({ command: command.name }, "command refused: hourly limit reached");
    const what = command.name === "harden" ? "harden plans" : "rechecks";
    return replyToComment(context.octokit, issue, `@${login} this PR has had its ${config.recheckPerHour} ${what} for this hour. The next one can run at ${formatRetry(decision.retryAt)}.`);
  }

  await acknowledgeComment(context.octokit, { ...repo, comment_id: payload.comment.id });
  const { data: pr } = await context.octokit.rest.pulls.get(context.pullRequest());
  if (pr.state !== "open") return replyToComment(context.octokit, issue, `@${login} this PR is closed: nothing to ${command.name}.`);
  await deps.queue.enqueue({
    kind: command.name === "harden" ? "harden" : "review",
    ...(command.name === "harden" && command.rules.length > 0 ? { rules: command.rules } : {}),
    installationId: payload.installation.id,
    ...{ owner: repo.owner, repo: repo.repo },
    pullNumber: issue.issue_number,
    headSha: pr.head.sha,
    trigger: "issue_comment.created",
    deliveryId: context.id,
    force: true,
  });
}
