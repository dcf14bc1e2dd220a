import { ts } from "ts-morph";
import { NUXT_APP_ROOT, SVELTEKIT_APP_ROOT } from "../context-files.js";
import { chainOf, skipOuterExpressions, type FunctionFact } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import { handlerOf, type RouteFact, type Semantics } from "./semantics.js";
import { orTerms } from "./nodes.js";

// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const {
  SyntaxKind,
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isBinaryExpression,
  isBlock,
  isCallExpression,
  isExpressionStatement,
  isIdentifier,
  isIfStatement,
  isNonNullExpression,
  isParenthesizedExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isReturnStatement,
  isStringLiteralLike,
  isThrowStatement,
  isVariableStatement,
} = ts;

/**
 * Guards that run in front of every request of an app: SvelteKit's `handle` hook
 * (`src/hooks.server.ts`, `sequence(…)` of handles included), Nuxt / Nitro server middleware
 * (`server/middleware/*.ts`) and, read by route-profile through `guardsOf`, Next.js middleware. A
 * hook guards a route only where its code says so: a denial (401/403, or a redirect to sign-in)
 * taken when the request carries no principal (`!event.locals.user`, `!session`), a denial taken
 * when the caller's role is not the one required (a role guard), or a throwing auth call (`await
 * requireUserSession(event)`), under path conditions the route's URL (or SvelteKit route id)
 * satisfies. Any condition or early exit it cannot read makes the guards after it not count: a
 * route it may not cover keeps its finding.
 */

/** A test of the request's path; `values` are alternatives (`a || b`). */
interface PathAtom {
  on: "url" | "routeId";
  /** `pattern`: a route pattern (`/dashboard(.*)`, `/notes/:id`), as Clerk's `createRouteMatcher` takes. */
  op: "prefix" | "exact" | "pattern";
  values: string[];
  negated: boolean;
}

/** A guard and the path tests (all must hold) under which it runs. */
export interface HookGuard {
  /** `role`: it turns away callers without a role (which also turns away anonymous ones). */
  kind: "auth" | "role";
  when: PathAtom[];
}

interface RequestHook {
  kind: "sveltekit" | "nuxt";
  /** The app it belongs to: `""` at the repository root, `apps/web/` in a monorepo. */
  root: string;
  guards: HookGuard[];
}

/** Group 1 of each is the app's root. */
const SVELTEKIT_HOOKS = /^((?:[^/]+\/)*?)src\/hooks\.server\.(?:ts|js|mjs)$/;
const NUXT_MIDDLEWARE = /^((?:[^/]+\/)*?)server\/middleware\/[^/]+\.(?:ts|js|mjs)$/;
const SVELTEKIT_ROUTE_ID = /(?:^|\/)src\/routes((?:\/[^/]+)*?)\/\+[^/]+$/;

/** Where the request's path is read: `event.url.pathname`, `event.path`, `getRequestURL(event).pathname`, `url`. */
const PATH_NAME = /^(pathname|path|url|originalUrl)$/;
const PRINCIPAL_NAME = /^(get)?(user|session|auth|currentUser|principal|claims)$/i;
/** Request parts a caller controls: a value read from them is a token or a claim, not a verified principal. */
const CALLER_SUPPLIED = /\b(body|query|params|headers|cookies|searchParams|getHeader|getCookie|decode)\b/;
const CALLER_SUPPLIED_EXCEPT_COOKIES = /\b(body|query|params|headers|searchParams|getHeader|decode)\b/;
// Bounded repetition: a then-branch's text may be huge and hostile.
const DENIAL = /\b401\b|\b403\b|unauthori[sz]ed|forbidden|unauthenticated|redirect\s{0,20}\([^)]{0,200}?(log-?in|sign-?in)/i;
/** Turning away a caller without the role: any of the above, a redirect anywhere, or a 404. */
const ROLE_DENIAL = /\b401\b|\b403\b|\b404\b|unauthori[sz]ed|forbidden|notFound\s{0,20}\(|redirect\s{0,20}\(/i;
/** `user.role !== "admin"`, `!session.user.isAdmin`, `!roles.includes("admin")`, `!hasRole(user, "admin")`. */
const ROLE_MISMATCH = /^(?:[\w$.?!\s]{0,80}\b(?:role|userRole|roleName)\s{0,5}!==?\s{0,5}['"`]\w+['"`]|['"`]\w+['"`]\s{0,5}!==?\s{0,5}[\w$.?!]{0,80}\b(?:role|userRole|roleName)|!\s{0,5}\(?\s{0,5}[\w$.?()]{0,80}\b(?:isAdmin|is_admin|isSuperAdmin|isStaff|hasRole|hasPermission|roles\??\.includes|permissions\??\.includes)\b[^;]{0,80})$/;
/** Auth calls that throw (or redirect) when the caller is not signed in; a `get…` only reads. */
const THROWING_AUTH_CALL = /^(require|ensure|assert)\w*(auth|user|session|login|signedin)\w*$|^protect$/i;

/** Deepest condition (terms joined by `&&` / `||`, negations) or block nesting read; anything deeper is unreadable. */
const MAX_DEPTH = 32;

const hooksCache = new WeakMap<Semantics, RequestHook[]>();

function requestHooks(sem: Semantics): RequestHook[] {
  const cached = hooksCache.get(sem);
  if (cached) return cached;
  const hooks: RequestHook[] = [];
  for (const file of sem.project.files) {
    const svelteKitRoot = SVELTEKIT_HOOKS.exec(file.path)?.[1];
    const root = svelteKitRoot ?? NUXT_MIDDLEWARE.exec(file.path)?.[1];
    const kind = svelteKitRoot !== undefined ? "sveltekit" : root !== undefined ? "nuxt" : undefined;
    if (!kind || root === undefined || !file.facts) continue;
    const exported = file.facts.exports.get(kind === "sveltekit" ? "handle" : "default");
    const fns: FunctionFact[] = [];
    if (exported?.kind === "function") fns.push(exported.fn);
    else if (exported?.kind === "var" || exported?.kind === "expression") hookFunctions(sem, file, exported.kind === "var" ? exported.init : exported.expr, fns, 0);
    const guards: HookGuard[] = [];
    for (const fn of fns) guards.push(...guardsOf(sem, file, fn));
    hooks.push({ kind, root, guards });
  }
  hooksCache.set(sem, hooks);
  return hooks;
}

/** The functions a hook export stands for: `sequence(a, b)` is each of its handles. */
function hookFunctions(sem: Semantics, file: AnalysedFile, expression: ts.Expression | undefined, out: FunctionFact[], depth: number): void {
  if (!expression || depth > 4) return;
  const expr = skipOuterExpressions(expression);
  if (isCallExpression(expr) && chainOf(expr.expression).at(-1) === "sequence") {
    for (const arg of expr.arguments) hookFunctions(sem, file, arg, out, depth + 1);
    return;
  }
  const fn = handlerOf(sem, file, expr, []);
  if (fn) out.push(fn);
}

/** What the app's hooks guard this route with: `auth`, and `role` where they also require a role. */
export function requestHookGuards(sem: Semantics, route: RouteFact): Set<HookGuard["kind"]> {
  const kinds = new Set<HookGuard["kind"]>();
  if (route.kind !== "sveltekit" && route.kind !== "nuxt") return kinds;
  const url = route.urlPath.replace(/\?.*$/, "");
  const routeId = route.kind === "sveltekit" ? (SVELTEKIT_ROUTE_ID.exec(route.file.path)?.[1] || "/") : undefined;
  // A hook runs for its own app only (each app of a monorepo has its own).
  const root = (route.kind === "sveltekit" ? SVELTEKIT_APP_ROOT : NUXT_APP_ROOT).exec(route.file.path)?.[1];
  for (const hook of requestHooks(sem)) {
    if (hook.kind !== route.kind || hook.root !== root) continue;
    for (const guard of hook.guards) if (guardCovers(guard, url, routeId)) kinds.add(guard.kind);
  }
  return kinds;
}

function holds(atom: PathAtom, value: string | undefined): boolean {
  if (value === undefined) return false;
  const hit = atom.values.some((v) => (atom.op === "prefix" ? value.startsWith(v) : atom.op === "pattern" ? patternMatches(v, value) : value === v || value === v.replace(/\/$/, "")));
  return atom.negated ? !hit : hit;
}

/**
 * A route pattern against a route's path: `(…)` groups are regular expressions, `:name` one segment,
 * `*` anything; the rest is literal. A path's own `[id]` segment stands for any value. A pattern that
 * does not compile matches nothing.
 */
function patternMatches(pattern: string, path: string): boolean {
  let source = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "(") depth++;
    if (depth > 0) source += c;
    else if (c === ":" && /\w/.test(pattern[i + 1] ?? "")) {
      while (/\w/.test(pattern[i + 1] ?? "")) i++;
      source += "[^/]+";
    } else if (c === "*") source += ".*";
    else source += c.replace(/[.+?^${}|[\]\\/]/g, "\\$&");
    if (c === ")") depth = Math.max(0, depth - 1);
  }
  try {
    return new RegExp(`^${source}$`).test(path);
  } catch {
    return false;
  }
}

/** What reading one function needs: where it is, and whether a session cookie counts as a principal. */
interface Reader {
  sem: Semantics;
  file: AnalysedFile;
  /**
   * Next.js middleware makes the optimistic check its documentation shows (a session cookie read,
   * a redirect without it), and has always been credited with it here; hooks and server middleware
   * must find a user or session object.
   */
  cookieSession: boolean;
}

/**
 * The guards of one request-hook function, read from its body's statements: each with the path tests
 * under which it runs. Empty when it has none this reader can credit.
 */
export function guardsOf(sem: Semantics, file: AnalysedFile, fn: FunctionFact, cookieSession = false): HookGuard[] {
  // Claims decoded without verification are not a principal.
  if (sem.callsWithin(fn).some((call) => sem.jwtCall(file, call) === "decode")) return [];
  const body = fn.node.body;
  if (!body) return [];
  const guards: HookGuard[] = [];
  if (isBlock(body)) visitStatements({ sem, file, cookieSession }, body.statements, [], false, guards, 0);
  return guards;
}

/** Whether a guard runs for a request to this URL path (SvelteKit route ids aside). */
export function guardCovers(guard: HookGuard, url: string, routeId?: string): boolean {
  return guard.when.every((atom) => holds(atom, atom.on === "url" ? url : routeId));
}

/**
 * The guards of an Auth.js `authorized` callback (its middleware lets a request through only when
 * the callback returns true), read as an anonymous request would run it: the paths for which it
 * returns `false`, the session itself (`!!auth`, `isLoggedIn`, `auth?.user`, `Boolean(auth)`) or a
 * 401/403 or sign-in redirect. A branch on "has a session" is not taken, one on "no session" is;
 * branches on path tests split the paths. A condition it cannot read, or an exit it cannot place,
 * stops the reading: the guards found before it stand, nothing after it counts.
 */
export function authorizedGuardsOf(sem: Semantics, file: AnalysedFile, fn: FunctionFact): HookGuard[] {
  if (sem.callsWithin(fn).some((call) => sem.jwtCall(file, call) === "decode")) return [];
  const body = fn.node.body;
  if (!body) return [];
  const r: Reader = { sem, file, cookieSession: false };
  const guards: HookGuard[] = [];
  if (isBlock(body)) visitAuthorized(r, body.statements, [], guards, 0);
  else {
    const kind = returnedGuard(r, body as ts.Expression);
    if (kind) guards.push({ kind, when: [] });
  }
  return guards;
}

/**
 * How an anonymous request leaves `statements`: `"exits"` when it always returns, the path tests
 * under which it falls through (`when` and any it narrowed on), or undefined when that cannot be
 * told. Guards are recorded as their returns are reached.
 */
function visitAuthorized(r: Reader, statements: readonly ts.Statement[], when: PathAtom[], guards: HookGuard[], depth: number): PathAtom[] | "exits" | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const statement of statements) {
    if (isReturnStatement(statement)) {
      const kind = statement.expression && returnedGuard(r, statement.expression);
      if (kind) guards.push({ kind, when });
      return "exits";
    }
    let flow: PathAtom[] | "exits" | undefined;
    if (isBlock(statement)) flow = visitAuthorized(r, statement.statements, when, guards, depth + 1);
    else if (isIfStatement(statement)) flow = visitAuthorizedIf(r, statement, when, guards, depth);
    else if (containsExit(statement)) return undefined;
    else continue;
    if (flow === undefined || flow === "exits") return flow;
    when = flow;
  }
  return when;
}

function visitAuthorizedIf(r: Reader, statement: ts.IfStatement, when: PathAtom[], guards: HookGuard[], depth: number): PathAtom[] | "exits" | undefined {
  const test = anonymousTest(r, statement.expression);
  const { thenStatement, elseStatement } = statement;
  if (test === undefined) return containsExit(statement) ? undefined : when;
  // Never true for an anonymous request (`if (isLoggedIn)`): only the else branch runs.
  if (test === false) return elseStatement ? visitAuthorized(r, [elseStatement], when, guards, depth + 1) : when;
  const thenFlow = visitAuthorized(r, [thenStatement], [...when, ...test], guards, depth + 1);
  if (test.length === 0 || thenFlow === undefined) return thenFlow;
  // The other side of `a && b` is `!a || !b`, which path tests joined by "and" cannot state.
  if (test.length > 1) return !elseStatement && thenFlow !== "exits" && thenFlow.length === when.length + test.length ? when : undefined;
  const otherwise = [...when, { ...test[0]!, negated: !test[0]!.negated }];
  const elseFlow = elseStatement ? visitAuthorized(r, [elseStatement], otherwise, guards, depth + 1) : otherwise;
  if (elseFlow === undefined) return undefined;
  if (thenFlow === "exits") return elseFlow;
  if (elseFlow === "exits") return thenFlow;
  // Both fall through: the paths after are all of `when` only if neither branch narrowed them.
  return thenFlow.length === when.length + 1 && elseFlow.length === when.length + 1 ? when : undefined;
}

/**
 * An `if` condition as an anonymous request meets it: the path tests under which it holds (none:
 * always), false when it never holds (it requires a session), undefined when it cannot be read.
 */
function anonymousTest(r: Reader, expression: ts.Expression): PathAtom[] | false | undefined {
  const terms: ts.Expression[] = [];
  const pending = [expression];
  while (pending.length > 0) {
    if (terms.length + pending.length > MAX_DEPTH) return undefined;
    const inner = resolveAlias(r, pending.pop()!);
    if (isBinaryExpression(inner) && inner.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) pending.push(inner.right, inner.left);
    else terms.push(inner);
  }
  const paths: PathAtom[] = [];
  for (const term of terms) {
    if (hasPrincipal(r, term)) return false;
    if (isNoPrincipal(r, term)) continue;
    const atom = pathAtom(r, term, 0);
    if (!atom) return undefined;
    paths.push(atom);
  }
  return paths;
}

/**
 * What a returned value guards with: `role` when it lets through only a principal with a role
 * (`auth?.user?.role === "admin"`), `auth` when it turns an anonymous request away (`false`, the
 * session itself, a 401/403 or sign-in redirect), else nothing. `a && b` is as strict as its
 * strictest term.
 */
function returnedGuard(r: Reader, expression: ts.Expression, depth = 0): HookGuard["kind"] | undefined {
  const expr = unwrap(expression);
  if (isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken && depth < MAX_DEPTH) {
    const kinds = [returnedGuard(r, expr.left, depth + 1), returnedGuard(r, expr.right, depth + 1)];
    return kinds.includes("role") ? "role" : kinds.includes("auth") ? "auth" : undefined;
  }
  if (requiresRole(r, expr)) return "role";
  if (expr.kind === SyntaxKind.FalseKeyword || hasPrincipal(r, expr)) return "auth";
  const text = expr.getText();
  return text.length <= 500 && DENIAL.test(text) ? "auth" : undefined;
}

const ROLE_FIELD = /^(role|userRole|roleName)$/;
const ROLE_FLAG = /^(isAdmin|is_admin|isSuperAdmin|isStaff)$/;

/** `auth?.user?.role === "admin"`, `["admin", "owner"].includes(session.user.role)`, `auth?.user?.isAdmin`: a role read from a verified principal. */
function requiresRole(r: Reader, term: ts.Expression): boolean {
  const expr = resolveAlias(r, term);
  const principalField = (candidate: ts.Expression, name: RegExp): boolean => {
    const field = unwrap(candidate);
    return isPropertyAccessExpression(field) && name.test(field.name.text) && isPrincipal(r, field.expression);
  };
  if (isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op !== SyntaxKind.EqualsEqualsEqualsToken && op !== SyntaxKind.EqualsEqualsToken) return false;
    const field = isStringLiteralLike(expr.right) ? expr.left : isStringLiteralLike(expr.left) ? expr.right : undefined;
    return field !== undefined && principalField(field, ROLE_FIELD);
  }
  if (isCallExpression(expr) && isPropertyAccessExpression(expr.expression) && expr.expression.name.text === "includes" && expr.arguments.length === 1) {
    const list = skipOuterExpressions(expr.expression.expression);
    const constant = isArrayLiteralExpression(list) ? list.elements.every(isStringLiteralLike) : constantStrings(r, list) !== undefined;
    return constant && principalField(expr.arguments[0]!, ROLE_FIELD);
  }
  return principalField(expr, ROLE_FLAG);
}

/** `auth`, `!!auth?.user`, `isLoggedIn` (`const isLoggedIn = !!auth?.user`), `Boolean(session)`, `auth != null`. */
function hasPrincipal(r: Reader, term: ts.Expression, depth = 0): boolean {
  const expr = resolveAlias(r, term);
  if (depth > 4) return false;
  if (isCallExpression(expr) && isIdentifier(expr.expression) && expr.expression.text === "Boolean" && expr.arguments.length === 1) return hasPrincipal(r, expr.arguments[0]!, depth + 1);
  if (isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    const nullish = /^(null|undefined)$/.test(expr.right.getText());
    return nullish && (op === SyntaxKind.ExclamationEqualsToken || op === SyntaxKind.ExclamationEqualsEqualsToken) && hasPrincipal(r, expr.left, depth + 1);
  }
  if (isPrefixUnaryExpression(expr)) return false;
  return isPrincipal(r, expr);
}

/**
 * Walks statements in order, carrying the path tests that lead to them (and whether an enclosing
 * test already found no principal). Returns false once a statement may leave the function on a
 * condition it cannot read: a guard after it may not run.
 */
function visitStatements(r: Reader, statements: readonly ts.Statement[], when: PathAtom[], noPrincipal: boolean, guards: HookGuard[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  for (const statement of statements) {
    if (isIfStatement(statement)) {
      const then = statement.thenStatement;
      const thenStatements = isBlock(then) ? then.statements : [then];
      const condition = readCondition(r, statement.expression);
      if (condition?.role && denies(then, ROLE_DENIAL)) {
        guards.push({ kind: "role", when: [...when, ...condition.paths] });
        continue;
      }
      if (denies(then, DENIAL)) {
        if (condition && (condition.principal || noPrincipal)) guards.push({ kind: "auth", when: [...when, ...condition.paths] });
        // A denial on some other condition (a method, a feature flag) guards nothing we can credit,
        // and the statements after it still run for requests it lets through.
        continue;
      }
      if (!exits(then)) {
        // A block entered on a path test (or on "no principal"): guards inside it hold under that test.
        if (condition && !condition.role && !statement.elseStatement) {
          if (!visitStatements(r, thenStatements, [...when, ...condition.paths], noPrincipal || condition.principal, guards, depth + 1)) return false;
          continue;
        }
        if (containsExit(statement)) return false;
        continue;
      }
      // An early exit for a signed-in caller (`if (event.locals.user) return resolve(event)`): the
      // statements after it run only for requests without one.
      if (!statement.elseStatement && hasPrincipal(r, statement.expression)) {
        noPrincipal = true;
        continue;
      }
      // An early exit that lets the request through (`return resolve(event)`): the statements after
      // it run only where its path test fails.
      if (!condition || condition.principal || condition.role || condition.paths.length !== 1 || statement.elseStatement) return false;
      when = [...when, { ...condition.paths[0]!, negated: !condition.paths[0]!.negated }];
      continue;
    }
    if (isReturnStatement(statement) || isThrowStatement(statement)) return false;
    const call = statementCall(statement);
    if (call && !noPrincipal && THROWING_AUTH_CALL.test(chainOf(call.expression).at(-1) ?? "")) {
      const fact = r.sem.project.callOf(call);
      // Clerk's `auth.protect()` (`auth().protect()` before v6); with a role or permission it checks that too.
      const protect = chainOf(call.expression).at(-1) === "protect" && /^auth\b/.test(call.expression.getText());
      const role = protect ? call.arguments.some((arg) => /\b(role|permission)\b/.test(arg.getText())) : fact !== undefined && r.sem.isRoleCall(r.file, fact);
      if (protect || (fact && r.sem.isAuthCall(r.file, fact))) guards.push({ kind: role ? "role" : "auth", when });
      continue;
    }
    if (containsExit(statement)) return false;
  }
  return true;
}

/** The call a statement makes: `await requireUser(event);`, `const user = await requireUser(event);`, `locals.user = await requireUser(event);`. */
function statementCall(statement: ts.Statement): ts.CallExpression | undefined {
  let expr: ts.Expression | undefined;
  if (isExpressionStatement(statement)) {
    expr = skipOuterExpressions(statement.expression);
    if (isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.EqualsToken) expr = expr.right;
  }
  else if (isVariableStatement(statement) && statement.declarationList.declarations.length === 1) expr = statement.declarationList.declarations[0]!.initializer;
  if (!expr) return undefined;
  expr = skipOuterExpressions(expr);
  if (isAwaitExpression(expr)) expr = skipOuterExpressions(expr.expression);
  return isCallExpression(expr) ? expr : undefined;
}

/** Whether a statement always leaves the function (its last statement returns or throws). */
function exits(statement: ts.Statement): boolean {
  return exitOf(statement) !== undefined;
}

/** The statement a branch leaves the function with: its last statement, when that returns or throws. */
function exitOf(statement: ts.Statement): ts.Statement | undefined {
  if (isReturnStatement(statement) || isThrowStatement(statement)) return statement;
  // SvelteKit 2's `redirect()` / `error()` throw without a `throw`.
  if (isExpressionStatement(statement)) {
    const expr = skipOuterExpressions(statement.expression);
    return isCallExpression(expr) && /^(redirect|error)$/.test(chainOf(expr.expression).at(-1) ?? "") ? statement : undefined;
  }
  if (isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last === undefined ? undefined : exitOf(last);
  }
  return undefined;
}

/**
 * Whether a branch turns the request away: its exit answers 401/403 (or `pattern`'s other denials),
 * or redirects to a URL the branch builds for sign-in (`const url = new URL("/login", …); return
 * NextResponse.redirect(url)`). A status merely mentioned elsewhere in the branch (a log line) is not
 * a denial.
 */
function denies(branch: ts.Statement, pattern: RegExp): boolean {
  const exit = exitOf(branch);
  if (!exit) return false;
  const text = exit.getText();
  if (pattern.test(text)) return true;
  return /\bredirect\s{0,20}\(/i.test(text) && /log-?in|sign-?in/i.test(branch.getText());
}

/** Whether a statement may return or throw (nested functions aside); past the depth bound it is assumed to. */
function containsExit(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node, depth: number): void => {
    if (found || ts.isFunctionLike(child)) return;
    if (isReturnStatement(child) || isThrowStatement(child) || depth > 4 * MAX_DEPTH) found = true;
    else ts.forEachChild(child, (grandchild) => visit(grandchild, depth + 1));
  };
  ts.forEachChild(node, (child) => visit(child, 0));
  return found;
}

/** A condition read as path tests joined by `&&`, and whether one of its terms is "no principal". */
function readCondition(r: Reader, expression: ts.Expression): { principal: boolean; role: boolean; paths: PathAtom[] } | undefined {
  const terms: ts.Expression[] = [];
  let tooDeep = false;
  const flatten = (expr: ts.Expression, depth: number): void => {
    const inner = resolveAlias(r, expr);
    if (depth > MAX_DEPTH) tooDeep = true;
    else if (isBinaryExpression(inner) && inner.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) {
      flatten(inner.left, depth + 1);
      flatten(inner.right, depth + 1);
    } else terms.push(inner);
  };
  flatten(expression, 0);
  if (tooDeep) return undefined;
  let principal = false;
  let role = false;
  const paths: PathAtom[] = [];
  for (const term of terms) {
    if (isNoPrincipal(r, term)) {
      principal = true;
      continue;
    }
    if (isRoleMismatch(r, term)) {
      role = true;
      continue;
    }
    // `!session || session.user.role !== "admin"`: either way the caller is turned away.
    const either = alternatives(term);
    if (either.length > 1 && either.every((part) => isNoPrincipal(r, part) || isRoleMismatch(r, part))) {
      if (either.some((part) => isRoleMismatch(r, part))) role = true;
      else principal = true;
      continue;
    }
    const atom = pathAtom(r, term, 0);
    if (!atom) return undefined;
    paths.push(atom);
  }
  return { principal, role, paths };
}

/** The caller's role, from a verified principal (never the request's body, headers or cookies), is not the one required. */
function isRoleMismatch(r: Reader, term: ts.Expression): boolean {
  const text = term.getText();
  if (text.length > 200 || !ROLE_MISMATCH.test(text) || CALLER_SUPPLIED.test(text)) return false;
  const base = rootIdentifier(isPrefixUnaryExpression(term) ? unwrap(term.operand) : isBinaryExpression(term) ? (isStringLiteralLike(term.left) ? term.right : term.left) : term);
  if (!base) return true;
  const binding = r.sem.project.lookup(r.file, base.text, base);
  return !(binding?.kind === "var" && binding.init && CALLER_SUPPLIED.test(binding.init.getText()));
}

/**
 * What a condition's name stands for: a `const` set once from a test (`const isProtected =
 * pathname.startsWith("/app")`, `const isLoggedIn = !!locals.user`), with `!!` dropped. A few
 * levels at most; anything else is the expression itself.
 */
function resolveAlias(r: Reader, expression: ts.Expression, depth = 0): ts.Expression {
  const expr = unwrap(expression);
  if (depth >= 4) return expr;
  if (isPrefixUnaryExpression(expr) && expr.operator === SyntaxKind.ExclamationToken) {
    const inner = unwrap(expr.operand);
    if (isPrefixUnaryExpression(inner) && inner.operator === SyntaxKind.ExclamationToken) return resolveAlias(r, inner.operand, depth + 1);
    return expr;
  }
  if (!isIdentifier(expr)) return expr;
  const binding = r.sem.project.lookup(r.file, expr.text, expr);
  if (binding?.kind !== "var" || !binding.isConst || binding.path.length > 0 || !binding.init) return expr;
  return resolveAlias(r, binding.init, depth + 1);
}

/** The terms of an `a || b || c` chain (a bounded number), or the expression alone. */
function alternatives(expression: ts.Expression): ts.Expression[] {
  const terms = orTerms(expression, unwrap);
  return terms.length > MAX_DEPTH + 1 ? [expression] : terms;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let expr = skipOuterExpressions(expression);
  while (isParenthesizedExpression(expr) || isNonNullExpression(expr) || isAwaitExpression(expr)) expr = skipOuterExpressions(expr.expression);
  return expr;
}

/** `!event.locals.user`, `!session?.user`, `!(await locals.auth())`, `user == null`. */
function isNoPrincipal(r: Reader, term: ts.Expression): boolean {
  let subject: ts.Expression | undefined;
  if (isPrefixUnaryExpression(term) && term.operator === SyntaxKind.ExclamationToken) subject = resolveAlias(r, term.operand);
  else if (isBinaryExpression(term) && /^(==|===)$/.test(term.operatorToken.getText()) && /^(null|undefined)$/.test(term.right.getText())) subject = unwrap(term.left);
  if (!subject) return false;
  // Next.js middleware's optimistic check: `!request.cookies.get("session")?.value`.
  if (r.cookieSession) {
    const text = subject.getText();
    if (text.length < 200 && /\bcookies\b/.test(text) && /['"`][\w.-]*(session|token|auth|sid|jwt)[\w.-]*['"`]/i.test(text)) return true;
  }
  return isPrincipal(r, subject);
}

/** `event.locals.user`, `session?.user`, `auth`, `await getSession()`: a verified principal, not a value the caller supplied. */
function isPrincipal(r: Reader, subject: ts.Expression): boolean {
  // What a lookup returns (`const user = await getUserBySessionToken(token)`, read through the alias).
  if (isCallExpression(subject) && isLookup(subject)) return true;
  const target = isCallExpression(subject) ? subject.expression : subject;
  const chain = chainOf(target);
  const last = chain.at(-1);
  if (!last || !PRINCIPAL_NAME.test(last) || chain.some((part) => CALLER_SUPPLIED.test(part))) return false;
  // A bare name: where its value came from (a cookie read is a token, not a session).
  const root = skipOuterExpressions(target);
  const base = isIdentifier(root) ? root : isPropertyAccessExpression(root) ? rootIdentifier(root) : undefined;
  if (base) {
    const binding = r.sem.project.lookup(r.file, base.text, base);
    if (binding?.kind === "var" && binding.init && !isLookup(binding.init) && (r.cookieSession ? CALLER_SUPPLIED_EXCEPT_COOKIES : CALLER_SUPPLIED).test(binding.init.getText())) return false;
  }
  return true;
}

/** Functions that look a principal up from what the caller sent (a session token, a cookie): their result is verified, not supplied. */
const LOOKUP = /^(get|find|fetch|load|lookup|validate|verify|read|resolve)\w*(user|session|account|principal|member|viewer)\w*$|^(validateRequest|jwtVerify)$/i;

/** `await getUserBySessionToken(getCookie(event, "auth_token"))`, `await auth.validateSessionToken(token)`. */
function isLookup(init: ts.Expression): boolean {
  const expr = unwrap(init);
  if (!isCallExpression(expr)) return false;
  const name = chainOf(expr.expression).at(-1) ?? "";
  return LOOKUP.test(name) && !CALLER_SUPPLIED.test(name);
}

function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let current = skipOuterExpressions(expr);
  while (isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
  return isIdentifier(current) ? current : undefined;
}

/** Which path a path-reading expression reads: the URL, or SvelteKit's route id (`event.route.id`). */
function pathSource(expression: ts.Expression): PathAtom["on"] | undefined {
  const chain = chainOf(skipOuterExpressions(expression));
  const last = chain.at(-1);
  if (last === "id" && chain.at(-2) === "route") return "routeId";
  return last && PATH_NAME.test(last) ? "url" : undefined;
}

/** `pathname.startsWith("/app")`, `path === "/admin"`, `!…`, `a || b`, `PROTECTED.some((p) => pathname.startsWith(p))`, `PUBLIC.includes(pathname)`. */
function pathAtom(r: Reader, expression: ts.Expression, depth: number): PathAtom | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const term = resolveAlias(r, expression);
  if (isPrefixUnaryExpression(term) && term.operator === SyntaxKind.ExclamationToken) {
    const inner = pathAtom(r, unwrap(term.operand), depth + 1);
    return inner && { ...inner, negated: !inner.negated };
  }
  if (isBinaryExpression(term)) {
    const op = term.operatorToken.kind;
    if (op === SyntaxKind.BarBarToken) {
      const left = pathAtom(r, unwrap(term.left), depth + 1);
      const right = pathAtom(r, unwrap(term.right), depth + 1);
      if (!left || !right || left.negated || right.negated || left.on !== right.on || left.op !== right.op) return undefined;
      return { ...left, values: [...left.values, ...right.values] };
    }
    if (op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken) {
      const [subject, literal] = isStringLiteralLike(term.right) ? [term.left, term.right] : isStringLiteralLike(term.left) ? [term.right, term.left] : [];
      const on = subject && pathSource(subject);
      if (!on || !literal) return undefined;
      const negated = op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken;
      return { on, op: "exact", values: [literal.text], negated };
    }
    return undefined;
  }
  if (isCallExpression(term) && isIdentifier(term.expression)) {
    // `isProtectedRoute(req)` with `const isProtectedRoute = createRouteMatcher(["/dashboard(.*)"])`.
    const patterns = routeMatcherPatterns(r, term.expression);
    return patterns ? { on: "url", op: "pattern", values: patterns, negated: false } : undefined;
  }
  if (!isCallExpression(term) || !isPropertyAccessExpression(term.expression)) return undefined;
  const method = term.expression.name.text;
  const receiver = term.expression.expression;
  if (method === "startsWith") {
    const arg = term.arguments[0];
    const on = pathSource(receiver);
    if (!on || !arg || !isStringLiteralLike(arg)) return undefined;
    return { on, op: "prefix", values: [arg.text], negated: false };
  }
  if (method === "includes") {
    // `PUBLIC_PATHS.includes(pathname)` over a constant list of strings.
    const arg = term.arguments[0];
    const values = constantStrings(r, receiver);
    const on = arg ? pathSource(arg) : undefined;
    return values && on ? { on, op: "exact", values, negated: false } : undefined;
  }
  if (method === "some") {
    // `LIST.some((p) => pathname.startsWith(p))` over a constant list of strings.
    const values = constantStrings(r, receiver);
    const callback = term.arguments[0] ? skipOuterExpressions(term.arguments[0]) : undefined;
    if (!values || !callback || !isArrowFunction(callback) || callback.parameters.length !== 1) return undefined;
    const param = callback.parameters[0]!.name;
    const body = isBlock(callback.body) ? undefined : unwrap(callback.body);
    if (!isIdentifier(param) || !body || !isCallExpression(body) || !isPropertyAccessExpression(body.expression)) return undefined;
    const arg = body.arguments[0];
    const on = pathSource(body.expression.expression);
    if (!on || !arg || !isIdentifier(arg) || arg.text !== param.text) return undefined;
    if (body.expression.name.text === "startsWith") return { on, op: "prefix", values, negated: false };
    return undefined;
  }
  return undefined;
}

/** The patterns of a name bound to `createRouteMatcher([...])` (Clerk), when they are all string literals. */
function routeMatcherPatterns(r: Reader, name: ts.Identifier): string[] | undefined {
  const binding = r.sem.project.lookup(r.file, name.text, name);
  const init = binding?.kind === "var" && binding.path.length === 0 && binding.init ? skipOuterExpressions(binding.init) : undefined;
  if (!init || !isCallExpression(init) || chainOf(init.expression).at(-1) !== "createRouteMatcher" || init.arguments.length !== 1) return undefined;
  const arg = skipOuterExpressions(init.arguments[0]!);
  if (isStringLiteralLike(arg)) return [arg.text];
  if (!isArrayLiteralExpression(arg) || !arg.elements.every(isStringLiteralLike)) return undefined;
  return arg.elements.map((element) => (element as ts.StringLiteralLike).text);
}

/** A name bound to an array of string literals (`const PROTECTED = ["/app", "/admin"]`). */
function constantStrings(r: Reader, expression: ts.Expression): string[] | undefined {
  const expr = skipOuterExpressions(expression);
  if (!isIdentifier(expr)) return undefined;
  const binding = r.sem.project.lookup(r.file, expr.text, expr);
  const init = binding?.kind === "var" && binding.path.length === 0 && binding.init ? skipOuterExpressions(binding.init) : undefined;
  if (!init || !isArrayLiteralExpression(init) || !init.elements.every(isStringLiteralLike)) return undefined;
  return init.elements.map((element) => (element as ts.StringLiteralLike).text);
}
