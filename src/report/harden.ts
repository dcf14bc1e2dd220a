import type { HardenChange, HardenPlan } from "../review/harden.js";
import { withoutGateNote } from "../review/fixes.js";
import type { Finding, Severity } from "../review/types.js";
import { COMMENT_BODY_BYTES, utf8Bytes } from "./limits.js";
import { codeFence, codeSpan, escapeProse } from "./markdown.js";

/**
 * The harden comment (the checklist's second answer template): Restated request, Plan, Diffs,
 * Verification. A pure function of the plan; the GitHub edge posts it as the app's own comment
 * (found again by its marker, edited in place), the CLI prints it.
 */

export const HARDEN_MARKER = "<!-- pr-security-review:harden -->";

const SEVERITY_BADGE: Record<Severity, string> = { critical: "🔴 critical", high: "🟠 high", medium: "🟡 medium", low: "⚪ low" };

function where(finding: Finding): string {
  return codeSpan(`${finding.path}:${finding.line}`);
}

/** The entry point a finding names, when its rule records one (`DELETE /api/admin/patients/[id]`). */
function routeOf(finding: Finding): string | undefined {
  return finding.data.route ?? (finding.data.place && !finding.data.place.startsWith("`") && finding.data.place !== "this function" ? finding.data.place : undefined);
}

function target(finding: Finding): string {
  const route = routeOf(finding);
  return route ? codeSpan(route, 200) : `the code at ${where(finding)}`;
}

/** How to show one finding is fixed: the request to send and the answer to expect, or what to observe. */
function verificationOf(finding: Finding): string {
  switch (finding.ruleId) {
    case "ingress/missing-auth":
      return `A request to ${target(finding)} without a session gets 401 and changes nothing; with a valid session it still succeeds.`;
    case "authz/admin-client-unguarded":
    case "authz/missing-role-check":
      return `A signed-in user without the admin role calling ${target(finding)} is refused (403) and the data is unchanged; an admin still succeeds.`;
    case "authz/missing-org-context":
    case "authz/missing-ownership-check":
      return `A member of another organisation (or another user) asking ${target(finding)} for a record that is not theirs gets 404 and sees nothing of it.`;
    case "redirect/open-redirect":
      return `Requesting ${target(finding)} with the destination set to \`https://evil.example\`, \`//evil.example\` or \`/\\evil.example\` redirects to the fallback path; a same-origin path such as \`/settings\` still redirects there.`;
    case "crypto/regulated-plaintext-write":
      return `After a write through ${target(finding)}, the stored row read raw from the database holds only ciphertext in the \`…Ciphertext\` columns (no plaintext value appears), and decrypting with another owner's context fails.`;
    case "logging/pii-in-logs":
      return `Run ${target(finding)} with a test record and read the log line: it carries ids and the action name, no personal field.`;
    case "egress/phi-without-baa":
      return `With the BAA flag unset, ${target(finding)} throws before the provider is called (a mocked client is never called); with it set, the message is sent.`;
    case "auth/jwt-decode-without-verify":
      return `A token signed with another key, or with \`alg: none\`, is rejected (401); a valid token still signs in.`;
    case "ai/unreviewed-mutation":
      return `A maintainer with write access reads the mutation path at ${where(finding)} and approves the PR's head: the check run's AI gate then clears.`;
    case "ai/migration-without-rollback":
      return `Apply the migration and then its down migration to a copy of the database: the schema is back where it started, and the data kept.`;
    case "audit/missing-audit-log":
      return `After ${target(finding)} succeeds, one audit entry records the actor's id, the action and the target's id, and no personal data.`;
    case "ingress/missing-rate-limit":
    case "ingress/in-memory-rate-limit":
      return `Past the limit, requests to ${target(finding)} get 429, counted across every instance (run two and alternate).`;
    default:
      return `Review the patched tree again (\`security-review scan\` or \`diff\`): the finding at ${where(finding)} is gone.`;
  }
}

function titleOf(change: HardenChange): string {
  const created = change.helpers.filter((h) => h.created);
  const first = change.findings[0]!;
  const rules = [...new Set(change.findings.map((f) => f.ruleId))].map((r) => codeSpan(r, 100)).join(", ");
  if (created.length > 0 && change.findings.length > 1) {
    return `One shared ${created.map((h) => `${codeSpan(h.name, 100)} (${codeSpan(h.path)})`).join(" and ")} for ${change.findings.length} findings (${rules})`;
  }
  return `${rules} at ${where(first)}`;
}

function planLine(change: HardenChange, index: number, resolved: ReadonlySet<string>): string {
  const lines = [`${index + 1}. ${SEVERITY_BADGE[change.severity]} **${titleOf(change)}**`];
  if (change.findings.length > 1) lines.push(`   Fixes: ${change.findings.map((f) => `${codeSpan(f.ruleId, 100)} at ${where(f)}`).join("; ")}.`);
  // A fix that introduced its helper's code (`… defined once as:`) points at the diff that adds it.
  const first = withoutGateNote(change.findings[0]!.fix).split("\n", 1)[0] ?? "";
  const fix = first.trimEnd().endsWith(":") ? `${first.trimEnd()} see the diff below.` : first;
  if (change.manual && resolved.has(change.findings[0]!.fingerprint)) {
    lines.push(`   Resolved by the diffs above: the review of the patched tree no longer finds it.`);
  } else if (change.manual) {
    lines.push(`   No diff: ${escapeProse(change.manual.reason)}. What to do: ${escapeProse(fix)}`);
  } else {
    const created = change.helpers.filter((h) => h.created).map((h) => codeSpan(h.path));
    const imported = change.helpers.filter((h) => !h.created).map((h) => `${codeSpan(h.name, 100)} from ${codeSpan(h.path)}`);
    const touches = `Edits ${change.paths.filter((p) => !change.helpers.some((h) => h.created && h.path === p)).map((p) => codeSpan(p)).join(", ")}`;
    lines.push(`   ${touches}${created.length > 0 ? `; adds ${created.join(", ")}` : ""}${imported.length > 0 ? `; imports ${imported.join(", ")}` : ""}. ${escapeProse(fix)}`);
  }
  for (const note of change.notes) lines.push(`   ${escapeProse(note)}`);
  return lines.join("\n");
}

function afterLine(plan: HardenPlan): string[] {
  if (!plan.after) return plan.diffs.length === 0 ? ["No change could be written as a diff: each is described above for a person to make."] : [];
  const { resolved, remaining, blocking, introduced } = plan.after;
  const out = [`Reviewed again with the diffs applied: ${resolved.length} of ${plan.targets.length} finding${plan.targets.length === 1 ? "" : "s"} resolved, ${remaining.length} remain.`];
  out.push(blocking.length === 0 ? "No finding left reaches the failure threshold." : `Still blocking: ${blocking.map((f) => `${codeSpan(f.ruleId, 100)} at ${where(f)}`).join("; ")}.`);
  if (plan.after.verdict === "needs-human-review") out.push("The AI gate still needs a maintainer with write access to approve the new head.");
  if (introduced.length > 0) out.push(`The diffs bring ${introduced.length} new finding${introduced.length === 1 ? "" : "s"} to check: ${introduced.map((f) => `${codeSpan(f.ruleId, 100)} at ${where(f)}`).join("; ")}.`);
  return out;
}

function restated(plan: HardenPlan): string {
  const rules = plan.request.rules ?? [];
  const count = `${plan.targets.length} open finding${plan.targets.length === 1 ? "" : "s"}`;
  const head = plan.headSha ? ` of head ${codeSpan(plan.headSha.slice(0, 12), 12)}` : "";
  const asked = rules.length === 0 ? `Harden every open finding${head}: ${count}.` : `Harden the findings named (${rules.map((r) => codeSpan(r, 100)).join(", ")})${head}: ${count}.`;
  const unmatched = plan.unmatched.length > 0 ? ` No open finding matches ${plan.unmatched.map((r) => codeSpan(r, 100)).join(", ")}.` : "";
  return `${asked}${unmatched} The app never pushes: apply the patch yourself (\`git apply\`), or run \`security-review harden --patch FILE\` locally.`;
}

function verification(plan: HardenPlan): string[] {
  const out: string[] = [];
  let index = 0;
  for (const change of plan.changes) {
    const checks = [...new Set(change.findings.map(verificationOf))];
    out.push(`${++index}. ${titleOf(change)}: ${checks.join(" ")}`);
  }
  if (plan.testFramework && out.length > 0) out.push("", `Write each check as a ${plan.testFramework} test beside the code it covers (the project's own framework): send the request, assert the status and what was stored or logged.`);
  return out;
}

const DIFFS_CUT = "… the other diffs do not fit in a comment: run `security-review harden --patch FILE` for the whole patch.";

/** The comment, within GitHub's size limit: diffs are left out whole, from the last, when it would not fit. */
export function renderHardenComment(plan: HardenPlan): string {
  const head = [HARDEN_MARKER, "## 🛡️ Security review: harden plan", "", "### Restated request", restated(plan), ""];
  const planSection = ["### Plan", ...(plan.changes.length === 0 ? ["Nothing to harden: no open finding was asked for."] : plan.changes.map((c, i) => planLine(c, i, new Set(plan.after?.resolved.map((f) => f.fingerprint))))), "", ...afterLine(plan), ""];
  const verify = ["### Verification", ...(plan.changes.length === 0 ? ["Nothing to verify."] : verification(plan)), ""];
  const fixed = [...head, ...planSection].join("\n");
  const tail = verify.join("\n");
  const diffBlocks = plan.diffs.map((d) => `${codeSpan(d.path)}:\n${codeFence(d.diff.replace(/\n$/, ""), "diff")}`);
  const room = COMMENT_BODY_BYTES - utf8Bytes(fixed) - utf8Bytes(tail) - utf8Bytes(DIFFS_CUT) - 64;
  const shown: string[] = [];
  let used = 0;
  for (const block of diffBlocks) {
    const size = utf8Bytes(block) + 1;
    if (used + size > room) break;
    shown.push(block);
    used += size;
  }
  const diffs = ["### Diffs", ...(diffBlocks.length === 0 ? ["None: no change could be written as a diff that parses and uses only names that exist."] : shown), ...(shown.length < diffBlocks.length ? [DIFFS_CUT] : []), ""];
  return `${[fixed, diffs.join("\n"), tail].join("\n").trimEnd()}\n`;
}
