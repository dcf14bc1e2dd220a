import { ts } from "ts-morph";
import { adminOperation, filterText, isAdminPath, routeProfiles, tableName, type ReachedDbOperation, type RouteProfile } from "../review/analysis/route-profile.js";
import type { LineReplacement } from "../review/types.js";
import { enclosingStatement, lineOf } from "../review/analysis/nodes.js";
import { defineCheck, routeSite } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isAwaitExpression, isIdentifier } = ts;

/**
 * An admin or role-gated mutation that leaves no audit trail: after an incident nobody can say
 * which admin changed what, or prove that nobody did.
 */

type MessageId = "missingAuditLog";

/** Who acted: the session variable of the handler's auth call, or the request's auth context. */
function actorExpression(profile: RouteProfile): string {
  const handler = profile.route.handler;
  const text = handler?.node.getText() ?? "";
  const sessionVar = /const\s+(\w+)\s*=\s*await\s+(?:require\w*|get\w*Session|getServerSession|auth|currentUser|validateRequest)\s*\(/.exec(text)?.[1];
  if (sessionVar) {
    if (new RegExp(`\\b${sessionVar}\\.userId\\b`).test(text)) return `${sessionVar}.userId`;
    if (new RegExp(`\\b${sessionVar}\\.user\\.id\\b`).test(text)) return `${sessionVar}.user.id`;
    return `${sessionVar}.userId`;
  }
  const actor = /\b(actor|admin|caller|viewer)\.(userId|id)\b/.exec(text)?.[0];
  if (actor) return actor;
  const fromRequest = /\b(req|request|ctx|c)\.(auth|user|session)\.(userId|id|sub)\b/.exec(text)?.[0];
  if (fromRequest) return fromRequest;
  return profile.route.kind === "express" || profile.route.kind === "fastify" ? "req.user.id" : "session.userId";
}

function targetExpression(write: ReachedDbOperation): string {
  const filter = filterText(write.call);
  const byId = /\bid['"`]?\s*(?::|,)\s*([\w$.[\]!]+)/.exec(filter)?.[1] ?? /\b(?:eq|where)\(\s*\w+\.id\s*,\s*([\w$.[\]!]+)/.exec(filter)?.[1];
  if (byId) return byId;
  const first = write.call.args[0];
  if (first && isIdentifier(isAwaitExpression(first) ? first.expression : first)) return first.getText();
  return "targetId";
}

/** `user.delete`, `profiles.update`, `user.updateUserById` (Supabase auth admin). */
function mutationName(write: ReachedDbOperation): string {
  const table = tableName(write.op) ?? (write.op.library === "supabase-auth-admin" ? "user" : "record");
  return `${table}.${write.op.method}`;
}

function auditReplacement(profile: RouteProfile, write: ReachedDbOperation): LineReplacement | undefined {
  const file = profile.route.file;
  if (write.file !== file) return undefined;
  const statement = enclosingStatement(write.call.node);
  if (!statement) return undefined;
  const end = lineOf(statement, true);
  const start = lineOf(statement);
  const text = file.lines[end - 1] ?? "";
  const indent = /^\s*/.exec(file.lines[start - 1] ?? "")?.[0] ?? "  ";
  const action = mutationName(write);
  return {
    startLine: end,
    endLine: end,
    text: `${text}\n${indent}void logAdminAction({ actorId: ${actorExpression(profile)}, action: "${action}", targetId: ${targetExpression(write)} }).catch(() => {});`,
  };
}

export default defineCheck<MessageId>({
  id: "audit/missing-audit-log",
  title: "Admin mutation without an audit log",
  section: "seed example `logAdminAction`",
  severity: "medium",
  docs: "Flags an admin or role-gated mutation (role changes, another user's account, admin-client writes, org or billing settings) with no audit call; the fix records who did what to whom right after it: `void logAdminAction({ actorId, action, targetId }).catch(() => {})`.",
  messages: {
    missingAuditLog: "`{{route}}` performs an admin mutation (`{{mutation}}`) without an audit-log call: nobody can later tell which admin did it.",
  },
  run({ sem, report }) {
    for (const profile of routeProfiles(sem)) {
      if (profile.audited || profile.webhookOnly || profile.writes.length === 0) continue;
      if ((profile.authEndpoint || profile.publicByDesign || profile.webhookPath) && !isAdminPath(profile.route)) continue;
      const op = adminOperation(sem, profile);
      if (!op) continue;
      const { route } = profile;
      // Insert after the last mutation in the handler's own code, so the entry records a completed change.
      const local = profile.writes.filter((w) => w.file === route.file && route.handler && w.call.node.pos >= route.handler.node.pos && w.call.node.end <= route.handler.node.end);
      const last = local.at(-1) ?? profile.writes.at(-1)!;
      const replacement = auditReplacement(profile, last);
      const mutation = mutationName(last);
      report({
        ...routeSite(route),
        messageId: "missingAuditLog",
        data: { route: profile.label, mutation },
        fix: `Record the change right after it succeeds, without blocking the response: \`void logAdminAction({ actorId, action: "${mutation}", targetId }).catch(() => {})\` (ids and the action name only, no personal data).`,
        ...(replacement ? { replacement } : {}),
      });
    }
  },
});
