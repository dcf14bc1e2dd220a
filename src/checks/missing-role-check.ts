import { ts } from "ts-morph";
import { adminOperation, isAdminPath, isNextRequestRoute, middlewareRoleGatesAdmin, routeProfiles, type RouteProfile } from "../review/analysis/route-profile.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isBlock, isIdentifier, isVariableStatement } = ts;

/**
 * An admin or role-gated operation reachable by any signed-in user: admin routes, the service-role
 * client, another user's account or role, organisation or billing settings. Editing one's own
 * profile (filtered by the caller's id) is not role-gated.
 */

type MessageId = "missingRoleCheck";

/** Puts `await requireRole(session, "admin")` after the handler's auth call, or the middleware in the registration. */
function roleReplacement(profile: RouteProfile): LineReplacement | undefined {
  const { route } = profile;
  const file = route.file;
  const handler = route.handler;
  if (!handler) return undefined;
  if ((route.kind === "express" || route.kind === "hono") && route.registration) {
    const authMiddleware = route.middleware.at(-1);
    const line = route.registration.line;
    const text = file.lines[line - 1] ?? "";
    if (!authMiddleware) return undefined;
    const authText = authMiddleware.getText();
    const at = text.indexOf(authText);
    if (at < 0) return undefined;
    const end = at + authText.length;
    return { startLine: line, endLine: line, text: `${text.slice(0, end)}, requireRole("admin")${text.slice(end)}` };
  }
  // The fix replaces lines of the route's file: a handler imported from another file gets none here.
  if (!handler.isAsync || handler.node.getSourceFile() !== file.facts?.sourceFile) return undefined;
  const body = handler.node.body;
  if (!body || !isBlock(body)) return undefined;
  // After `const session = await requireAuth();`: the role check needs the caller.
  for (const statement of body.statements) {
    if (!isVariableStatement(statement)) continue;
    const decl = statement.declarationList.declarations[0];
    if (!decl?.initializer || !isIdentifier(decl.name)) continue;
    if (!/\b(requireAuth|requireUser|requireSession|getSession|getServerSession|auth|currentUser|validateRequest)\s*\(/.test(decl.initializer.getText())) continue;
    const sf = statement.getSourceFile();
    const start = sf.getLineAndCharacterOfPosition(statement.getStart(sf)).line + 1;
    const end = sf.getLineAndCharacterOfPosition(statement.getEnd()).line + 1;
    if (start !== end) return undefined;
    const text = file.lines[end - 1] ?? "";
    const indent = /^\s*/.exec(text)?.[0] ?? "";
    return { startLine: end, endLine: end, text: `${text}\n${indent}await requireRole(${decl.name.text}, "admin");` };
  }
  return undefined;
}

export default defineCheck<MessageId>({
  id: "authz/missing-role-check",
  title: "Admin operation without a role check",
  section: "2, 5 (role and tenant scoping)",
  severity: "high",
  docs: "Flags an admin or role-gated operation (admin routes, service-role client use, changing another user's account or role, organisation or billing settings) with no `requireRole()` or equivalent; the fix checks the caller's role before the operation (`await requireRole(session, \"admin\")`, or the `requireRole(\"admin\")` middleware).",
  messages: {
    missingRoleCheck: "`{{route}}` {{what}} but never checks the caller's role: any signed-in user can do it.",
  },
  run({ sem, report }) {
    let middlewareGate: boolean | undefined;
    for (const profile of routeProfiles(sem)) {
      // A verified webhook acts for the provider, not for a user with a role.
      if (profile.roleGated || profile.webhookOnly) continue;
      // A call into code the review could not read may check the role: asked about, not claimed.
      if (sem.unreadGuardCalls(profile.route).some((call) => call.settles !== "auth")) continue;
      // Sign-up, reset and public forms write users' rows as their whole job: not an admin operation.
      if ((profile.authEndpoint || profile.publicByDesign || profile.capability || profile.webhookPath) && !isAdminPath(profile.route)) continue;
      const op = adminOperation(sem, profile);
      if (!op) continue;
      // Next.js middleware runs only in front of Next.js route handlers (not server actions, see nextMiddlewareGuards).
      if ((op.kind === "admin-path" || isAdminPath(profile.route)) && isNextRequestRoute(profile.route)) {
        middlewareGate ??= middlewareRoleGatesAdmin(sem);
        if (middlewareGate) continue;
      }
      const { route } = profile;
      const replacement = roleReplacement(profile);
      report({
        file: route.file,
        line: route.line,
        column: route.column,
        messageId: "missingRoleCheck",
        data: { route: profile.label, what: op.what },
        fix:
          route.kind === "express" || route.kind === "hono" || route.kind === "fastify"
            ? "Add the role middleware after auth in the registration (`requireAuth, requireRole(\"admin\")`) so only admins reach the handler."
            : route.kind === "trpc"
              ? "Build the procedure on your admin procedure (`adminProcedure`) or check `ctx.session.user.role` and throw `FORBIDDEN` first."
              : "Check the caller's role before the operation: `await requireRole(session, \"admin\")` (or `requireAdmin()`), answering 403 otherwise.",
        ...(replacement ? { replacement } : {}),
      });
    }
  },
});
