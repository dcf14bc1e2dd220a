import { ts } from "ts-morph";
import { adminOperation, chainGuards, filterText, isAdminPath, isNextRequestRoute, middlewareRoleGatesAdmin, routeProfiles, type RouteProfile } from "../review/analysis/route-profile.js";
import { handlerPermissionChecks, middlewarePermissionChecks, roleGrant, strengthRank, strongOperation, strongerSibling } from "../review/analysis/permissions.js";
import { skipOuterExpressions } from "../review/analysis/facts.js";
import type { Semantics } from "../review/analysis/semantics.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck, lostGuardSite, routeSite } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isBlock, isIdentifier, isVariableStatement } = ts;

/**
 * An admin or role-gated operation reachable by any signed-in user: admin routes, the service-role
 * client, another user's account or role, organisation or billing settings. Editing one's own
 * profile (filtered by the caller's id) is not role-gated.
 */

type MessageId = "missingRoleCheck" | "preferenceWithoutRole" | "weakPermission" | "weakGrant" | "removedRoleCheck" | "weakenedPermission";

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

/**
 * A route whose only permission checks are read-level (`canViewWebsite`, `requirePermission("x:view")`)
 * while it deletes, resets or changes stored rows or reads credentials. Checks whose strength is
 * unknown, an inline role comparison, or a stronger check anywhere on the route settle nothing here.
 */
function weakPermission(sem: Semantics, profile: RouteProfile): { what: string; check: string; stronger: string | undefined } | undefined {
  // The handler's own checks and the permission factories in the route's middleware list (`isAuthenticated(Permission.VIEW_USERS)`).
  const front = middlewarePermissionChecks(sem, profile);
  const checks = [...handlerPermissionChecks(sem, profile), ...front];
  if (checks.length === 0 || checks.some((c) => c.strength !== "read")) return undefined;
  const handler = profile.route.handler;
  if (!handler || sem.hasInlineRoleCheck(handler)) return undefined;
  // An admin guard anywhere, or a role guard in front of the handler (middleware, wrapper, procedure) whose strength is not read here: settled.
  if (profile.guards.has("admin")) return undefined;
  const route = profile.route;
  if (front.length > 0) {
    const rest = route.middleware.filter((m) => !front.some((c) => c.call.node === skipOuterExpressions(m)));
    if (chainGuards(sem, { ...route, middleware: rest, handler: undefined }).guards.has("role")) return undefined;
  } else if (profile.roleGated && !sem.guardsInFunction(sem.handlerFileOf(route), handler).has("role")) return undefined;
  const op = strongOperation(sem, profile);
  if (!op) return undefined;
  const check = checks[0]!;
  return { what: op.what, check: check.call.name, stronger: strongerSibling(sem, check, op.needs) };
}

/**
 * A route that sets another user's role or permissions to a value from the request, gated only by
 * permissions below admin level (`isAuthenticated(Permission.MANAGE_USERS)`) and with no check
 * given the role it grants (`canGrant(req.body.permissions, req.user)`): a caller who may manage
 * users can grant any role, including admin (privilege escalation).
 */
function weakGrant(sem: Semantics, profile: RouteProfile): { what: string; check: string; level: string } | undefined {
  const front = middlewarePermissionChecks(sem, profile);
  const own = handlerPermissionChecks(sem, profile);
  const checks = [...own, ...front];
  if (checks.length === 0 || checks.some((c) => c.strength !== "read" && c.strength !== "write")) return undefined;
  const handler = profile.route.handler;
  if (!handler || sem.hasInlineRoleCheck(handler) || profile.guards.has("admin")) return undefined;
  const route = profile.route;
  if (front.length > 0) {
    const rest = route.middleware.filter((m) => !front.some((c) => c.call.node === skipOuterExpressions(m)));
    if (chainGuards(sem, { ...route, middleware: rest, handler: undefined }).guards.has("role")) return undefined;
  } else if (profile.roleGated && !sem.guardsInFunction(sem.handlerFileOf(route), handler).has("role")) return undefined;
  const grant = roleGrant(sem, profile);
  if (!grant) return undefined;
  // A check given the role being granted decides whether the caller may grant it.
  const granted = skipOuterExpressions(grant.value).getText();
  if (own.some((c) => c.call.args.some((arg) => arg.getText().includes(granted)))) return undefined;
  const check = checks[0]!;
  return { what: `sets \`${grant.field}\` on \`${grant.table}\` from the request`, check: check.call.name, level: check.strength ?? "write" };
}

/** The handler puts the user it found into the session (`req.session.userId = user.id`, `req.login(user)`): a sign-in, whose writes are to the signing-in user's own row. */
const SESSION_SIGN_IN = /\b(?:req|request|ctx|event|c)\.session\??\.(?:userId|user_id|userID|uid|user|passport)\s*=(?!=)|\b(?:req|request)\.(?:login|logIn)\s*\(/;

function signsCallerIn(profile: RouteProfile): boolean {
  const handler = profile.route.handler;
  return handler !== undefined && SESSION_SIGN_IN.test(handler.node.getText());
}

/** A relation filter on the caller's membership that also names the role it must have. */
const MEMBERSHIP_ROLE_FILTER = /\b(?:some|every|is)\s*:\s*\{[^{}]*\b(?:userId|user_id|user)\b[^{}]*\brole\s*:|\b(?:some|every|is)\s*:\s*\{[^{}]*\brole\s*:[^{}]*\b(?:userId|user_id)\b/;

export default defineCheck<MessageId>({
  id: "authz/missing-role-check",
  title: "Admin operation without a role check",
  section: "2, 5 (role and tenant scoping)",
  severity: "high",
  docs: "Flags an admin or role-gated operation (admin routes, service-role client use, changing another user's account or role, organisation or billing settings) with no `requireRole()` or equivalent, and a delete, reset, update or credential read gated only by a read-level permission (`canViewWebsite`); the fix checks the caller's role before the operation (`await requireRole(session, \"admin\")`, or the `requireRole(\"admin\")` middleware).",
  messages: {
    missingRoleCheck: "`{{route}}` {{what}} but never checks the caller's role: any signed-in user can do it.",
    preferenceWithoutRole: "`{{route}}` {{what}} but never checks the caller's role: any member can change it for the whole team. If only admins should, check the role first.",
    weakPermission: "`{{route}}` {{what}} but checks only `{{check}}`, a read-level permission: a caller with view-only access can do it.",
    weakGrant: "`{{route}}` {{what}} but checks only `{{check}}` ({{level}} level), never whether the caller may grant that role: a caller with that permission can grant any role, including admin.",
    removedRoleCheck: "`{{route}}` no longer checks the caller's role or permission: {{change}}. Any signed-in user can call it now.",
    weakenedPermission: "`{{route}}` now checks only `{{check}}` ({{after}} level) where the base required {{before}} level: {{change}}. A caller with {{after}} access can call it now.",
  },
  regressed({ routes, report }) {
    for (const compared of routes) {
      const { before, after, route } = compared;
      const lost = compared.lost.role;
      if (!lost) continue;
      const weakened = after.permissionChecks > 0 && before.strength !== undefined && after.strength !== undefined && strengthRank(after.strength) < strengthRank(before.strength);
      report({
        ...lostGuardSite(route, lost),
        ...(weakened
          ? { messageId: "weakenedPermission" as const, data: { route: compared.label, check: after.strengthCheck ?? "", before: before.strength!, after: after.strength!, change: lost.change } }
          : { messageId: "removedRoleCheck" as const, data: { route: compared.label, change: lost.change } }),
        fix: weakened
          ? `Check the permission the base checked (${before.strengthCheck ? `\`${before.strengthCheck}\`` : `${before.strength} level`}) before the operation, answering 403 otherwise.`
          : "Restore the role or permission check the base had, before the operation, answering 403 otherwise.",
      });
    }
  },
  run({ sem, report }) {
    let middlewareGate: boolean | undefined;
    for (const profile of routeProfiles(sem)) {
      if (profile.webhookOnly) continue;
      const weak = weakPermission(sem, profile);
      if (weak) {
        const { route } = profile;
        report({
          ...routeSite(route),
          messageId: "weakPermission",
          data: { route: profile.label, what: weak.what, check: weak.check },
          fix: weak.stronger
            ? `Check the permission this operation needs: \`${weak.stronger}(…)\` instead of \`${weak.check}(…)\`, answering 403 otherwise.`
            : `Check a permission that allows this operation (edit, delete or owner level, not \`${weak.check}\`) before it, answering 403 otherwise.`,
        });
        continue;
      }
      const grant = weakGrant(sem, profile);
      if (grant) {
        const { route } = profile;
        report({
          ...routeSite(route),
          messageId: "weakGrant",
          data: { route: profile.label, what: grant.what, check: grant.check, level: grant.level },
          fix: "Check that the caller may grant the role being set (an admin-level permission, or a helper comparing the new role with the caller's own) before the write, answering 403 otherwise.",
        });
        continue;
      }
      if (profile.roleGated) continue;
      // Role rules apply to user callers: a route with no principal at all is `missing-auth`'s (one
      // missing constraint, one finding), and a verified machine caller acts for its provider.
      if (!profile.authenticated || profile.webhookOnly) continue;
      // The caller's membership looked up with the roles allowed (`users: { some: { userId, role: { in: ["ADMIN"] } } }`): a role check in the query.
      if (profile.db.some((d) => MEMBERSHIP_ROLE_FILTER.test(filterText(d.call)))) continue;
      // A call into code the review could not read may check the role: asked about, not claimed.
      if (sem.unreadGuardCalls(profile.route).some((call) => call.settles !== "auth")) continue;
      // Sign-up, reset and public forms write users' rows as their whole job: not an admin operation.
      if ((profile.authEndpoint || profile.publicByDesign || profile.capability || profile.webhookPath || signsCallerIn(profile)) && !isAdminPath(profile.route)) continue;
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
        ...routeSite(route),
        // A product preference (no field of access, money, identity or policy) is worth asking about, not blocking on.
        ...(op.kind === "org-preference" ? { messageId: "preferenceWithoutRole" as const, severity: "medium" as const } : { messageId: "missingRoleCheck" as const }),
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
