import { ts } from "ts-morph";
import type { ComparedRoute, LostGuard, LostRedirectCheck, RouteGuardState } from "../checks/define-check.js";
import type { PullRequestSnapshot } from "../snapshot.js";
import { chainOf, type CallFact } from "./analysis/facts.js";
import { REDIRECT_SANITISER_NAME } from "./analysis/names.js";
import { walk } from "./analysis/nodes.js";
import { callLabel } from "./fingerprint.js";
import { argumentPermission, handlerPermissionChecks, strengthRank } from "./analysis/permissions.js";
import { callerFlags, chainGuards, profileRoute, routeLabel } from "./analysis/route-profile.js";
import type { RouteFact, Semantics } from "./analysis/semantics.js";
import { diffLines, nearestChangedLine, removedFromRoute, touches, type BaseSide, type GuardItemKind, type ReviewRun } from "./differential.js";

// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isCallExpression, isPropertyAccessExpression } = ts;

/**
 * Guards a PR takes away. Differential review compares findings, but a guard removed from a route
 * the rules would not flag by themselves (a sign-in flow's rate limit, an admin-only procedure made
 * public, a permission lowered from write to read) leaves no finding in either tree. Here each
 * route of the head that the base also has is paired with its base version, and what each tree
 * enforces in front of and inside it is set side by side for the rules' `regressed` hooks.
 */

/** What one tree enforces for a route: from its profile, or from its chain alone when its handler is not read. */
function guardState(sem: Semantics, route: RouteFact): RouteGuardState {
  const profile = profileRoute(sem, route);
  if (!profile) {
    const { guards, rateLimited } = chainGuards(sem, route);
    return { ...callerFlags(guards), rateLimited, capability: false, strength: undefined, strengthCheck: undefined, permissionChecks: 0 };
  }
  const checks = handlerPermissionChecks(sem, profile);
  const known = checks.length > 0 && checks.every((check) => check.strength !== undefined);
  const strongest = known ? checks.reduce((best, check) => (strengthRank(check.strength) > strengthRank(best.strength) ? check : best)) : undefined;
  return {
    authenticated: profile.authenticated,
    webhookOnly: profile.webhookOnly,
    roleGated: profile.roleGated,
    rateLimited: profile.rateLimited,
    capability: profile.capability,
    strength: strongest?.strength,
    strengthCheck: strongest ? permissionName(strongest.call) : undefined,
    permissionChecks: checks.length,
  };
}

/** Code as a message shows it: on one line, without backticks, at most `max` characters. */
function shown(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").replace(/`/g, "");
  return flat.length > max ? `${flat.slice(0, max - 3)}…` : flat;
}

/** A permission check as a message shows it: the permission its arguments name (`"keys:read"`), else the helper's name. */
function permissionName(call: CallFact): string {
  return shown(argumentPermission(call)?.text ?? call.name);
}

/** The lines of a route the diff can change: its declaration or registration through its handler's end, in its own file. */
function routeSpan(sem: Semantics, route: RouteFact): { startLine: number; endLine: number } {
  const handler = route.handler;
  if (!handler || sem.handlerFileOf(route) !== route.file) return { startLine: route.line, endLine: route.line };
  const sf = handler.node.getSourceFile();
  const start = sf.getLineAndCharacterOfPosition(handler.node.getStart(sf)).line + 1;
  const end = sf.getLineAndCharacterOfPosition(handler.node.getEnd()).line + 1;
  return { startLine: Math.min(route.line, start), endLine: Math.max(route.line, end) };
}

/** The builders, wrappers and middleware in front of a route, as written: what a chain swap changes. */
function routeChain(route: RouteFact): string[] {
  return [...(route.procedure ? [route.procedure] : []), ...route.wrappers.map((call) => call.callee.getText().replace(/\s+/g, "")), ...route.middleware.map((expr) => expr.getText().replace(/\s+/g, " "))];
}

interface Pair {
  head: ReviewRun;
  base: ReviewRun;
  route: RouteFact;
  baseRoute: RouteFact;
  span: { startLine: number; endLine: number };
  lines: ReturnType<typeof diffLines>;
}

/**
 * What the PR took away of one kind, named: the removed call or refusal, or the builder or wrapper
 * the route no longer has. Undefined when nothing of that kind can be pointed at: a difference in
 * what the review could read of each tree is not blamed on the PR.
 */
function lostGuard(pair: Pair, kind: GuardItemKind, removedOnly = false): LostGuard | undefined {
  const { head, base, route, baseRoute, span, lines } = pair;
  const removed = removedFromRoute(head.sem, route, base.sem, baseRoute, kind);
  if (removedOnly && !removed?.fewer) return undefined;
  let change: string | undefined;
  if (removed) change = `this PR removed \`${removed.text}\` (line ${removed.line} of the base)`;
  else if (removedOnly) return undefined;
  else {
    const before = routeChain(baseRoute);
    const after = new Set(routeChain(route));
    const gone = before.filter((item) => !after.has(item));
    if (gone.length === 0) return undefined;
    if (baseRoute.procedure && route.procedure && baseRoute.procedure !== route.procedure) change = `this PR builds it on \`${shown(route.procedure)}\` where the base used \`${shown(baseRoute.procedure)}\``;
    else change = `this PR took \`${shown(gone[0]!)}\` out of what runs in front of it`;
  }
  const target = removed ? lines.deletedAt.get(removed.line) : undefined;
  const commentLine = route.file.isChanged(route.line) ? undefined : nearestChangedLine(span, lines, target ?? route.line);
  return { change, ...(commentLine !== undefined ? { commentLine } : {}) };
}

/** A permission lowered in place: the check the base made and the weaker one the head makes instead. */
function weakenedPermission(pair: Pair, before: RouteGuardState, after: RouteGuardState): LostGuard | undefined {
  if (strengthRank(after.strength) === 0 || strengthRank(after.strength) >= strengthRank(before.strength) || !before.strengthCheck || !after.strengthCheck || before.strengthCheck === after.strengthCheck) return undefined;
  const { route, span, lines } = pair;
  const commentLine = route.file.isChanged(route.line) ? undefined : nearestChangedLine(span, lines, route.line);
  return { change: `this PR changed \`${before.strengthCheck}\` to \`${after.strengthCheck}\``, ...(commentLine !== undefined ? { commentLine } : {}) };
}

/** The redirects a handler makes (`redirect(…)`, `res.redirect(…)`, `NextResponse.redirect(…)`), with their calls. */
function redirectCalls(sem: Semantics, route: RouteFact): CallFact[] {
  return route.handler ? sem.callsWithin(route.handler).filter((call) => call.name === "redirect" && call.args.length > 0) : [];
}

/** A call inside the redirect's destination whose name says it makes the destination safe. */
function sanitiserIn(call: CallFact): string | undefined {
  let found: string | undefined;
  for (const arg of call.args) {
    walk(arg, (node) => {
      if (isCallExpression(node)) {
        const name = chainOf(node.expression).at(-1) ?? "";
        if (REDIRECT_SANITISER_NAME.test(name)) found = name;
      }
      return found ? "stop" : undefined;
    });
    if (found) break;
  }
  return found;
}

/** A redirect call's text on one line, as two trees' redirects are compared. */
function flat(call: CallFact): string {
  return call.node.getText().replace(/\s+/g, " ");
}

/**
 * A redirect the base made through a destination check and the head makes without it: the head's
 * redirect of the same kind whose text the base does not have, when the head has fewer checked
 * redirects of that kind than the base.
 */
function lostRedirectCheck(pair: Pair): LostRedirectCheck | undefined {
  const { head, base, route, baseRoute } = pair;
  const before = redirectCalls(base.sem, baseRoute);
  const after = redirectCalls(head.sem, route);
  const baseTexts = new Set(before.map((call) => flat(call)));
  for (const call of after) {
    if (sanitiserIn(call) || baseTexts.has(flat(call))) continue;
    const label = callLabel(call);
    const checkedBefore = before.filter((candidate) => callLabel(candidate) === label && sanitiserIn(candidate));
    const checkedAfter = after.filter((candidate) => callLabel(candidate) === label && sanitiserIn(candidate));
    if (checkedBefore.length <= checkedAfter.length) continue;
    const removed = checkedBefore.find((candidate) => !after.some((other) => flat(other) === flat(candidate)))!;
    // The check moved, not removed: the head's handler still calls it (into a variable the redirect uses).
    const name = sanitiserIn(removed);
    if (route.handler && head.sem.callsWithin(route.handler).some((other) => other.name === name)) continue;
    return {
      change: `this PR removed \`${sanitiserIn(removed)}(…)\` from the destination (line ${removed.line} of the base: \`${shown(flat(removed), 80)}\`)`,
      line: call.line,
      column: call.column,
      sink: shown(flat(call), 80),
    };
  }
  return undefined;
}

/**
 * An argument naming the tenant a call is scoped to: `input.orgId`, `workspaceId`, `ctx.tenant.id`,
 * `auth.authorizedWorkspaceId`, `table.organization_id`.
 */
const TENANT_NAME = /^(org|orgs|organi[sz]ation|tenant|workspace)(_?id)?$/i;
const TENANT_SUFFIX = /^[a-z][A-Za-z0-9]*(Org|Organi[sz]ation|Tenant|Workspace)(Id|ID)$|_(org|organi[sz]ation|tenant|workspace)_id$/;
const TENANT_RECORD_ID = /(^|\.)(org|organi[sz]ation|tenant|workspace)\.id$/i;

function namesTenant(text: string): boolean {
  const last = text.slice(text.lastIndexOf(".") + 1);
  return TENANT_NAME.test(last) || TENANT_SUFFIX.test(last) || TENANT_RECORD_ID.test(text);
}

/** The callee of a call as written, on one line. */
function calleeText(call: CallFact): string {
  return call.callee.getText().replace(/\s+/g, "");
}

/**
 * Where a call sits, for telling one condition from another: the nearest enclosing member call inside
 * the handler (`db.query.identities.findFirst` for the `eq(…)` in its `where`) and which of the
 * handler's calls of that callee it is, so a tenant condition dropped from one query is not hidden by
 * the same helper scoping another query, nor by another query of the same table.
 */
function anchorOf(call: CallFact, handler: ts.Node, calls: readonly CallFact[]): { text: string; key: string } {
  for (let node: ts.Node | undefined = call.node.parent; node && node !== handler; node = node.parent) {
    if (!isCallExpression(node) || !isPropertyAccessExpression(node.expression)) continue;
    const text = node.expression.getText().replace(/\s+/g, "");
    const ordinal = calls.filter((c) => c.start < node.getStart() && isCallExpression(c.node) && calleeText(c) === text).length;
    return { text, key: `${text}#${ordinal}` };
  }
  return { text: "", key: "" };
}

/**
 * A call the base scoped to a tenant by an argument (`removeMembership(id, input.orgId)`, the
 * `eq(t.workspaceId, …)` of a query's filter) that the head makes without it: every head call of the
 * same callee in the same place lacks a tenant argument, and there is one.
 */
function lostTenantArgument(pair: Pair): (LostGuard & { call: string }) | undefined {
  const { head, base, route, baseRoute, span, lines } = pair;
  if (!route.handler || !baseRoute.handler) return undefined;
  const tenantArgument = (call: CallFact) => call.args.find((arg) => namesTenant(arg.getText().replace(/\s+/g, "").replace(/\?/g, "")));
  const headCalls = head.sem.callsWithin(route.handler);
  const baseCalls = base.sem.callsWithin(baseRoute.handler);
  const after = headCalls.map((call) => ({ call, key: `${calleeText(call)} in ${anchorOf(call, route.handler!.node, headCalls).key}` }));
  for (const before of baseCalls) {
    const argument = tenantArgument(before);
    if (!argument) continue;
    const anchor = anchorOf(before, baseRoute.handler.node, baseCalls);
    const key = `${calleeText(before)} in ${anchor.key}`;
    const same = after.filter((a) => a.key === key).map((a) => a.call);
    if (same.length === 0 || same.some((call) => tenantArgument(call))) continue;
    const target = same[0]!;
    const commentLine = route.file.isChanged(route.line) ? undefined : nearestChangedLine(span, lines, target.line);
    const where = anchor.text ? ` in \`${shown(anchor.text)}(…)\`` : "";
    return {
      call: `${shown(anchor.text || calleeText(before))}(…)`,
      change: `this PR no longer passes \`${shown(argument.getText())}\` to \`${shown(calleeText(before))}(…)\`${where} (line ${before.line} of the base)`,
      ...(commentLine !== undefined ? { commentLine } : {}),
    };
  }
  return undefined;
}

/**
 * The head's routes in files the PR changes, each with its base version (the same label in the
 * file's base version, paired in order when a file declares one label twice), that lost a guard.
 * Only routes whose lines the diff changes, and only guards whose removal can be named. (A route
 * whose own text is the same in both trees has nothing that can be named as removed: skipping the
 * untouched ones spares the comparison, it does not change the answer.)
 */
export function compareRoutes(snapshot: PullRequestSnapshot, head: ReviewRun, base: ReviewRun, side: BaseSide, uncompared: ReadonlySet<string>): ComparedRoute[] {
  const compared: ComparedRoute[] = [];
  const byPath = new Map<string, RouteFact[]>();
  for (const route of head.sem.allRoutes()) {
    if (route.file.context || uncompared.has(route.file.path)) continue;
    const list = byPath.get(route.file.path);
    if (list) list.push(route);
    else byPath.set(route.file.path, [route]);
  }
  for (const [path, routes] of byPath) {
    const basePath = side.basePathOf.get(path);
    const baseFile = basePath === undefined ? undefined : base.project.file(basePath);
    const headFile = snapshot.files.find((file) => file.path === path && !file.context);
    if (!baseFile || !headFile?.patch) continue;
    const lines = diffLines(headFile.patch);
    const baseByLabel = new Map<string, RouteFact[]>();
    for (const route of base.sem.routes(baseFile)) {
      const label = routeLabel(route);
      baseByLabel.set(label, [...(baseByLabel.get(label) ?? []), route]);
    }
    for (const route of routes) {
      const label = routeLabel(route);
      const baseRoute = baseByLabel.get(label)?.shift();
      const span = routeSpan(head.sem, route);
      if (!baseRoute || !touches(span, lines)) continue;
      const before = guardState(base.sem, baseRoute);
      const after = guardState(head.sem, route);
      const pair: Pair = { head, base, route, baseRoute, span, lines };
      const lost: ComparedRoute["lost"] = {};
      if (before.authenticated && !after.authenticated && !after.capability) {
        const auth = lostGuard(pair, "auth") ?? lostGuard(pair, "role");
        if (auth) lost.auth = auth;
      }
      if (!lost.auth) {
        const removedRole = after.authenticated && ((before.roleGated && !after.roleGated) || (before.permissionChecks > 0 && after.permissionChecks === 0 && !after.roleGated));
        // A refusal the review did not take for a role check (an assertion answering 403) taken away, with nothing of its kind left in its place.
        const role = removedRole ? lostGuard(pair, "role") : (weakenedPermission(pair, before, after) ?? (after.roleGated ? undefined : lostGuard(pair, "role", true)));
        if (role) lost.role = role;
      }
      if (before.rateLimited && !after.rateLimited) {
        const rateLimit = lostGuard(pair, "rateLimit");
        if (rateLimit) lost.rateLimit = rateLimit;
      }
      const redirect = lostRedirectCheck(pair);
      if (redirect) lost.redirect = redirect;
      const orgScope = lostTenantArgument(pair);
      if (orgScope) lost.orgScope = orgScope;
      if (lost.auth || lost.role || lost.rateLimit || lost.redirect || lost.orgScope) compared.push({ route, profile: profileRoute(head.sem, route), label, before, after, lost });
    }
  }
  return compared;
}
