import type { Context } from "probot";
import { rerunForHead } from "./check-rerun.js";
import type { HandlerDeps } from "./deps.js";

/** "Re-run all checks" of the suite our check run belongs to. */
export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">, deps: HandlerDeps): Promise<void> {
  const suite = context.payload.check_suite;
  await rerunForHead(context, deps, { headSha: suite.head_sha, pullRequests: suite.pull_requests });
}
