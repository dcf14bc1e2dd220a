import { ts } from "ts-morph";
import { skipOuterExpressions, type CallFact, type FunctionFact } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import type { Semantics } from "./semantics.js";
import { returnedExpressions } from "./nodes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isArrayLiteralExpression, isAsExpression, isAwaitExpression, isBinaryExpression, isConditionalExpression, isIdentifier, isNonNullExpression, isParenthesizedExpression, isStringLiteralLike, isVariableDeclaration } = ts;

/**
 * Admin clients (a Supabase client built with the service-role key, a credentialed firebase-admin
 * app, a call to a factory of either) and the checks that must come before one is created: an
 * admin or role check, a role comparison, an admin wrapper, or — for calls that act for a machine
 * rather than a user — a verified webhook signature or a shared-secret comparison.
 */

export interface AdminClientCreation {
  file: AnalysedFile;
  call: CallFact;
  /** What was created, for messages: `createClient(…, SERVICE_ROLE_KEY)`, `initializeApp`, `createAdminClient()`. */
  label: string;
}

const ADMIN_ROLE_WORD = /admin|owner|super|staff|root|ops|platform/i;
/** Inline role comparisons that gate on an admin-like role. */
const INLINE_ADMIN_CHECK = [
  /\.(role|roles|userRole|user_role|isAdmin|is_admin|permissions)\b[^;\n]{0,40}(!==?|===?|includes|has)\s*\(?\s*['"`]?(admin|owner|superadmin|super_admin|staff)/i,
  /\brole\s*(!==?|===?)\s*['"`](admin|owner|superadmin|super_admin|staff)['"`]/i,
  /!\s*[\w.?]*\b(isAdmin|is_admin|isSuperAdmin|isStaff)\b/,
  /\b(isAdmin|is_admin|isSuperAdmin|isStaff)\s*(!==?|===?)\s*(true|false)\b/,
  // Membership in an admin list (a hard-coded one gets its own finding from authz/hardcoded-allowlist).
  /\b\w*(admin|Admin|ADMIN|staff|Staff|STAFF|super|Super|SUPER|owner|Owner|OWNER)\w*\s*\.\s*(includes|has|some)\(/,
];
/** A shared-secret comparison (cron jobs, internal calls): the caller is a machine, not a user. */
const SECRET_CHECK = /(!==?|===?)\s*`?(Bearer\s*)?\$?\{?\s*process\.env\.[A-Z0-9_]*(SECRET|TOKEN|KEY)[A-Z0-9_]*|process\.env\.[A-Z0-9_]*(SECRET|TOKEN|KEY)[A-Z0-9_]*\}?`?\s*(!==?|===?)|timingSafeEqual/;

function isFirebaseAdminInit(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  if (call.name !== "initializeApp") return false;
  if (!sem.calls(file, call, /^firebase-admin(\/app)?$/)) return false;
  return call.args.some((arg) => /\bcredential\b/.test(arg.getText()));
}

function creationLabel(call: CallFact): string {
  const text = call.node.getText().replace(/\s+/g, " ");
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

/** A direct admin-client creation: the SDK call, or a factory call recognised by name or by its code in the PR. */
export function isAdminClientCall(sem: Semantics, file: AnalysedFile, call: CallFact, depth = 0): boolean {
  if (isFirebaseAdminInit(sem, file, call)) return true;
  if (sem.isAdminClientCreation(file, call)) return true;
  if (depth > 2) return false;
  const r = sem.callee(file, call);
  if (r.kind === "function" && r.fn && r.path.length === 1) return isAdminClientFactory(sem, r.file, r.fn, depth + 1);
  return false;
}

/** The admin-client creations in a file. */
export function adminClientCreations(sem: Semantics, file: AnalysedFile): AdminClientCreation[] {
  const out: AdminClientCreation[] = [];
  for (const call of file.facts?.calls ?? []) {
    if (isAdminClientCall(sem, file, call)) out.push({ file, call, label: creationLabel(call) });
  }
  return out;
}

/**
 * A function whose job is to build and return an admin client (a factory, memoised or not):
 * its callers are checked, not it.
 */
export function isAdminClientFactory(sem: Semantics, file: AnalysedFile, fn: FunctionFact, depth = 0): boolean {
  if (sem.returnsAdminClient(file, fn)) return true;
  const creations = fn.calls.filter((c) => c.fn === fn && isAdminClientCall(sem, file, c, depth + 1));
  if (creations.length === 0) return false;
  const body = fn.node.body;
  if (!body) return false;
  const returned = returnedExpressions(body);
  const assignedNames = new Set<string>();
  for (const c of creations) {
    let parent: ts.Node = c.node.parent;
    while (isParenthesizedExpression(parent) || isAwaitExpression(parent) || isAsExpression(parent) || isNonNullExpression(parent)) parent = parent.parent;
    if (isVariableDeclaration(parent) && isIdentifier(parent.name)) assignedNames.add(parent.name.text);
    const assigns = [SyntaxKind.EqualsToken, SyntaxKind.QuestionQuestionEqualsToken, SyntaxKind.BarBarEqualsToken];
    if (isBinaryExpression(parent) && assigns.includes(parent.operatorToken.kind)) {
      const left = skipOuterExpressions(parent.left);
      if (isIdentifier(left)) assignedNames.add(left.text);
    }
  }
  return returned.some((expr) => {
    const inner = skipOuterExpressions(expr);
    if (creations.some((c) => c.node === inner)) return true;
    if (isIdentifier(inner)) return assignedNames.has(inner.text);
    // `return (client ??= createClient(…))`, `return cached ?? createClient(…)`.
    if (isBinaryExpression(inner) || isConditionalExpression(inner)) return creations.some((c) => c.node.pos >= inner.pos && c.node.end <= inner.end);
    return false;
  });
}

/** Whether a guard call checks an admin-like role (`requireAdmin()`, `requireRole("admin")`, `withAdmin(fn)`). */
export function isAdminGuardCall(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  const kinds = sem.guardKinds(file, call.node);
  if (kinds.has("admin") || kinds.has("webhook")) return true;
  if (!kinds.has("role")) return false;
  const literals = call.args.map((a) => skipOuterExpressions(a)).filter((a) => isStringLiteralLike(a) || isArrayLiteralExpression(a));
  if (literals.length === 0) return true;
  return literals.some((a) => ADMIN_ROLE_WORD.test(a.getText()));
}

function textBetween(fn: FunctionFact, end: number): string {
  const sf = fn.node.getSourceFile();
  const start = fn.node.getStart(sf);
  return sf.text.slice(start, Math.max(start, end));
}

/**
 * Whether an admin check runs before `call` on every path into it: a guard call or inline role
 * comparison earlier in the same function or an enclosing one, an admin wrapper around the
 * function (`withAdmin(async () => …)`), or admin middleware on the route it handles.
 */
export function hasAdminCheckBefore(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  const sf = call.node.getSourceFile();
  const at = call.node.getStart(sf);
  for (let fn = call.fn; fn; fn = fn.parent) {
    for (const prior of sem.callsWithin(fn)) {
      if (prior.node.getStart(sf) >= at) break;
      if (prior.node.end > at) continue;
      if (isAdminGuardCall(sem, file, prior)) return true;
    }
    const before = textBetween(fn, at);
    if (INLINE_ADMIN_CHECK.some((pattern) => pattern.test(before)) || SECRET_CHECK.test(before)) return true;
    if (fn.argumentOf && isAdminGuardCall(sem, file, fn.argumentOf)) return true;
    for (const route of sem.routesHandledBy(fn)) {
      const guards = sem.routeGuards({ ...route, handler: undefined });
      if (guards.has("admin") || guards.has("webhook")) return true;
      if (guards.has("role") && [...route.middleware, ...route.wrappers.map((w) => w.node)].some((m) => ADMIN_ROLE_WORD.test(m.getText()))) return true;
    }
  }
  return false;
}

/** Calls in the PR to a function declared in the PR. */
export function callersOf(sem: Semantics, fn: FunctionFact): Array<{ file: AnalysedFile; call: CallFact }> {
  const out: Array<{ file: AnalysedFile; call: CallFact }> = [];
  if (!fn.name) return out;
  for (const file of sem.project.files) {
    for (const call of file.facts?.calls ?? []) {
      if (call.name !== fn.name) continue;
      const r = sem.callee(file, call);
      if (r.kind === "function" && r.fn === fn && r.path.length === 1) out.push({ file, call });
    }
  }
  return out;
}
