import { ts } from "ts-morph";
import { skipOuterExpressions, type CallFact, type FunctionFact } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import { filterNodes, ROLE_FIELD_PATTERN, tableName, USER_TABLE_PATTERN, type ReachedDbOperation, type RouteProfile } from "./route-profile.js";
import type { Semantics } from "./semantics.js";
import { ACCESS_HELPER, filterSources, PRINCIPAL_TEXT, recordCall, sourcesOf, traceContext, type Source, type TraceContext } from "./ownership.js";
import { walk } from "./nodes.js";
import { identifierWords } from "./names.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isArrayLiteralExpression, isBinaryExpression, isCallExpression, isIdentifier, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isStringLiteralLike, isVariableDeclaration } = ts;

/**
 * How strong a permission check is: `read` (view, list, any member), `write` (edit, update,
 * manage), `admin` (delete, reset, owner, admin). Read from the permission an argument names
 * (`requirePermission("website:view")`, `Permission.EDIT`), else the helper's name
 * (`canViewWebsite`), else the helper's own body (the roles or permissions it compares with; a
 * body that names none leaves the strength unknown, and nothing is claimed).
 */

export type Strength = "read" | "write" | "admin";

const ADMIN_WORD = /^(delete|deletes|remove|destroy|reset|purge|wipe|admin|admins|administrator|owner|owners|own|ownership|transfer|superadmin|super)$/i;
const WRITE_WORD = /^(edit|editor|editors|update|write|writer|manage|manager|managers|modify|change|create|configure|contribute|contributor|mutate|upload|rename)$/i;
/** Read words; `access` and `member` are not among them: a name that says only that does not say which access. */
const READ_WORD = /^(view|viewer|viewers|read|reader|readonly|see|list|show|visit|guest|observe|observer)$/i;


function strengthOfWords(list: readonly string[]): Strength | undefined {
  if (list.some((w) => ADMIN_WORD.test(w))) return "admin";
  if (list.some((w) => WRITE_WORD.test(w))) return "write";
  if (list.some((w) => READ_WORD.test(w))) return "read";
  return undefined;
}

/** Keys of an options object that name the permission asked for (`{ session, projectId, scope: "keys:read" }`). */
const PERMISSION_KEY = /^(scopes?|permissions?|roles?|actions?|access|level|ability|abilities|required(Role|Permission|Scope)s?)$/i;

const RANK: Record<Strength, number> = { read: 1, write: 2, admin: 3 };

/** Strengths in order (0 for an unknown one), for comparing two checks. */
export function strengthRank(strength: Strength | undefined): number {
  return strength ? RANK[strength] : 0;
}

/**
 * The permission one value names: a string literal, an enum-like member (`Permission.VIEW`,
 * `Role.EDITOR`), or a list of roles any of which is let in (so the weakest of them; unknown when
 * one of them says nothing).
 */
function namedStrength(expr: ts.Expression): Strength | undefined {
  const inner = skipOuterExpressions(expr);
  if (isStringLiteralLike(inner)) return strengthOfWords(identifierWords(inner.text));
  if (isPropertyAccessExpression(inner) && isIdentifier(inner.expression) && /^[A-Z]/.test(inner.expression.text)) return strengthOfWords(identifierWords(inner.name.text));
  if (!isArrayLiteralExpression(inner) || inner.elements.length === 0) return undefined;
  let weakest: Strength | undefined;
  for (const element of inner.elements) {
    const strength = namedStrength(element);
    if (!strength) return undefined;
    if (!weakest || RANK[strength] < RANK[weakest]) weakest = strength;
  }
  return weakest;
}

/** The permission a call's arguments name: directly, or as a permission key of an options object (the strongest named). */
function argumentStrength(call: CallFact): Strength | undefined {
  return argumentPermission(call)?.strength;
}

/** The strongest permission a call's arguments name, with the argument that names it as written. */
export function argumentPermission(call: CallFact): { strength: Strength; text: string } | undefined {
  let strongest: { strength: Strength; text: string } | undefined;
  const consider = (expr: ts.Expression) => {
    const strength = namedStrength(expr);
    if (strength && (!strongest || RANK[strength] > RANK[strongest.strength])) strongest = { strength, text: skipOuterExpressions(expr).getText() };
  };
  for (const arg of call.args) {
    const inner = skipOuterExpressions(arg);
    if (!isObjectLiteralExpression(inner)) {
      consider(inner);
      continue;
    }
    for (const property of inner.properties) {
      if (isPropertyAssignment(property) && (isIdentifier(property.name) || isStringLiteralLike(property.name)) && PERMISSION_KEY.test(property.name.text)) consider(property.initializer);
    }
  }
  return strongest;
}

/** What a helper's own body compares with: role and permission literals and the names of role lists (`EDIT_ROLES`); undefined when it names none. */
function bodyStrength(fn: FunctionFact): Strength | undefined {
  const found: string[] = [];
  const body = fn.node.body;
  if (body) {
    walk(body, (node) => {
      if (isStringLiteralLike(node)) found.push(...identifierWords(node.text));
      else if (isIdentifier(node) && /^[A-Z][A-Z0-9_]+$|Roles?$|Permissions?$/.test(node.text)) found.push(...identifierWords(node.text));
    });
  }
  return strengthOfWords(found);
}

/** A permission check's strength, or undefined when neither its arguments, its name nor its body say. */
export function permissionStrength(sem: Semantics, file: AnalysedFile, call: CallFact): Strength | undefined {
  const fromArgs = argumentStrength(call);
  if (fromArgs) return fromArgs;
  const nameWords = identifierWords(call.name).slice(1);
  const fromName = strengthOfWords(nameWords);
  if (fromName) return fromName;
  const callee = sem.callee(file, call);
  if (callee.kind === "function" && callee.fn) return bodyStrength(callee.fn);
  return undefined;
}

export interface PermissionCheck {
  call: CallFact;
  file: AnalysedFile;
  strength: Strength | undefined;
}

/** The role and permission checks a route's handler makes itself (not the internals of the helpers it calls). */
export function handlerPermissionChecks(sem: Semantics, profile: RouteProfile): PermissionCheck[] {
  const handler = profile.route.handler;
  if (!handler) return [];
  const file = sem.handlerFileOf(profile.route);
  const own = new Set(sem.callsWithin(handler));
  const checks: PermissionCheck[] = [];
  for (const call of own) {
    if (sem.dbOperation(file, call)) continue;
    if (!ACCESS_HELPER.test(call.name) && !sem.isRoleCall(file, call)) continue;
    checks.push({ call, file, strength: permissionStrength(sem, file, call) });
  }
  return checks;
}

/**
 * Guard factories in the route's middleware list that check a permission
 * (`isAuthenticated(Permission.VIEW_USERS)`, `requireRole("viewer")`), with the strength their
 * argument names.
 */
export function middlewarePermissionChecks(sem: Semantics, profile: RouteProfile): PermissionCheck[] {
  const route = profile.route;
  const checks: PermissionCheck[] = [];
  for (const m of route.middleware) {
    const inner = skipOuterExpressions(m);
    if (!isCallExpression(inner) || inner.arguments.length === 0 || !sem.guardKinds(route.file, inner).has("role")) continue;
    const call = sem.project.callOf(inner);
    if (call) checks.push({ call, file: route.file, strength: argumentStrength(call) });
  }
  return checks;
}

/** Operations a read-level permission must not gate: updates, deletes and resets of stored rows, and reads of credentials. */
const CREDENTIAL_TABLE = /api_?keys?|tokens?|secrets?|credentials?|passwords?|private_?keys?|signing_?keys?|webhook_?secrets?|oauth\w*|connections?/i;

const CREDENTIAL_ROUTE = /secret|credential|token|api-?keys?|apiKeys?|password|reveal|decrypt/i;

export interface StrongOperation {
  what: string;
  /** `admin` for deletes, resets and credentials; `write` for updates. */
  needs: Strength;
  op: ReachedDbOperation;
}

export function strongOperation(sem: Semantics, profile: RouteProfile): StrongOperation | undefined {
  // A write to the caller's own record needs no more than the caller's access to what it points at
  // (viewing a board is all it takes to make it one's home board). Only a row keyed by the caller
  // counts: a record the permission check itself looked up is shared, not the caller's own.
  const writes = profile.writes.filter((w) => !callerOwnWrite(sem, profile, w, false));
  for (const w of writes) {
    const method = w.op.method;
    if (/^(create|insert|createMany|createManyAndReturn|insertOne|insertMany|bulkCreate)$/i.test(method)) continue;
    const table = tableName(w.op) ?? "rows";
    if (/delete|del|destroy|remove|truncate|drop/i.test(method)) return { what: `deletes \`${table}\` rows (${w.op.library} ${method})`, needs: "admin", op: w };
  }
  for (const w of writes) {
    const method = w.op.method;
    if (/^(create|insert|createMany|createManyAndReturn|insertOne|insertMany|bulkCreate)$/i.test(method)) continue;
    const table = tableName(w.op) ?? "rows";
    return { what: `changes \`${table}\` (${w.op.library} ${method})`, needs: "write", op: w };
  }
  // Credentials read by a route whose job is to hand them out (`/api/keys/reveal`, `getSecret`); a route
  // that uses a stored secret on the caller's behalf (to call an integration) does not expose it.
  if (!CREDENTIAL_ROUTE.test(`${profile.route.urlPath} ${profile.route.handler?.name ?? ""}`)) return undefined;
  for (const d of profile.db) {
    const table = tableName(d.op) ?? "";
    if (d.op.op === "read" && CREDENTIAL_TABLE.test(table)) return { what: `reads credentials (\`${table}\`)`, needs: "admin", op: d };
  }
  return undefined;
}

/** A helper of the same module that checks a stronger permission on the same thing (`canViewWebsite` → `canDeleteWebsite`). */
export function strongerSibling(sem: Semantics, check: PermissionCheck, needs: Strength): string | undefined {
  const callee = sem.callee(check.file, check.call);
  const module = callee.kind === "function" ? callee.file : undefined;
  const exports = module?.facts?.exports;
  if (!exports) return undefined;
  const name = check.call.name;
  const parts = identifierWords(name);
  const verbIndex = parts.findIndex((w) => READ_WORD.test(w));
  if (verbIndex < 1) return undefined;
  const prefix = parts.slice(0, verbIndex).join("");
  const suffix = parts.slice(verbIndex + 1).join("");
  const candidates = [...exports.keys()].filter((key) => key !== name && key.startsWith(prefix) && key.endsWith(suffix));
  const ranked = candidates.map((key) => ({ key, strength: strengthOfWords(identifierWords(key).slice(1)) }));
  return (ranked.find((c) => c.strength === needs) ?? ranked.find((c) => c.strength === "admin" || c.strength === "write"))?.key;
}

// ---- the caller's own records ------------------------------------------------------------------

/** Text naming an organisation-level value: a tenant id is the org's, not the caller's own. */
const ORG_TEXT = /org|tenant|workspace|team|company/i;
/** Columns of a new row that say whose it is. */
const OWNER_KEY = /^(user|user_?id|owner|owner_?id|member_?id|account_?id|created_?by(_?id)?|author_?id)$/i;
/** Array methods whose result holds the receiver's elements (or values read from them). */
const ELEMENT_METHOD = /^(map|flatMap|filter|find|slice|concat|at|sort|toSorted|reverse)$/;
const CREATE = /^(create|insert|createMany|createManyAndReturn|insertOne|insertMany|bulkCreate)$/i;

/** The caller (their session, id or email): a principal by trace, or by how it reads where the trace ended. */
function principal(source: Source): boolean {
  return source.kind === "principal" || (source.kind === "unknown" && PRINCIPAL_TEXT.test(source.expr.getText()));
}

/** Keys of a relation filter that reach rows through a relation (`users: { some: { userId } }`: a membership, shared by the team). */
const QUANTIFIER = /^(some|every|none|is|isNot)$/;
/** Keys of a filter operator: the entry is the enclosing key's (`id: { in: ids }`). */
const OPERATOR = /^(in|equals|eq|not|notIn|gt|gte|lt|lte|contains|startsWith|endsWith|has|hasSome|hasEvery|\$in|\$eq)$/;

/**
 * The entries a query's filter compares, each with the column it compares (`{ userId: x }`,
 * `eq(t.userId, x)`, `id: { in: ids }`); entries inside a relation quantifier are left out: a row
 * found through the caller's membership is the team's, not the caller's own.
 */
function filterEntries(call: CallFact): Array<{ key: string; value: ts.Expression }> {
  const out: Array<{ key: string; value: ts.Expression }> = [];
  const visit = (node: ts.Node, parentKey: string, depth: number): void => {
    if (depth > 8 || !ts.isExpression(node)) return;
    const expr = skipOuterExpressions(node);
    if (isObjectLiteralExpression(expr)) {
      for (const p of expr.properties) {
        const name = p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) ? p.name.text : "";
        if (QUANTIFIER.test(name)) continue;
        const key = OPERATOR.test(name) && parentKey ? parentKey : name;
        if (isShorthandPropertyAssignment(p)) out.push({ key, value: p.name });
        else if (isPropertyAssignment(p)) {
          const value = skipOuterExpressions(p.initializer);
          if (isObjectLiteralExpression(value)) visit(value, key, depth + 1);
          else out.push({ key, value });
        }
      }
      return;
    }
    if (!isCallExpression(expr)) return;
    const callee = skipOuterExpressions(expr.expression);
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : "";
    const [column, value] = expr.arguments;
    if (/^(eq|inArray)$/.test(name) && column && value) out.push({ key: isPropertyAccessExpression(column) ? column.name.text : column.getText(), value });
    else if (/^(and|or)$/.test(name)) for (const arg of expr.arguments) visit(arg, "", depth + 1);
  };
  for (const root of filterNodes(call)) visit(root, "", 0);
  return out;
}

/**
 * An entry that ties the row to the caller as a user: compared with the caller (not with an org or
 * team id read from the session), or with a value read from a record tied to the caller.
 */
function entryTied(ctx: TraceContext, file: AnalysedFile, entry: { key: string; value: ts.Expression }, depth: number): boolean {
  if (ORG_TEXT.test(entry.key) || ORG_TEXT.test(entry.value.getText())) return false;
  const sources = sourcesOf(ctx, file, entry.value).filter((s) => s.kind !== "constant");
  return sources.length > 0 && sources.every((s) => principal(s) || callerTied(ctx, s, depth + 1));
}

/**
 * A value read from a record tied to the caller: found by a query one of whose entries is tied to
 * the caller (the caller's calendar connection, an invitation addressed to the caller's email), or
 * from rows found through such a record (`rows.map((row) => row.id)`).
 */
function callerTied(ctx: TraceContext, source: Source, depth: number): boolean {
  if (source.kind !== "record" || depth > 4) return false;
  const read = recordCall(ctx, source);
  if (!read) return false;
  const { call, fact, file, op } = read;
  // A row this request created is not thereby the caller's (a team's new domain is the team's).
  if (op) return op.op === "read" && filterEntries(fact).some((entry) => entryTied(ctx, file, entry, depth));
  const callee = skipOuterExpressions(call.expression);
  if (!isPropertyAccessExpression(callee) || !ELEMENT_METHOD.test(callee.name.text)) return false;
  const sources = sourcesOf(ctx, file, callee.expression).filter((s) => s.kind !== "constant");
  return sources.length > 0 && sources.every((s) => callerTied(ctx, s, depth + 1));
}

/** Where a query's result is kept in the function that makes it: `const key = await db.query.apikey.findFirst(…)` → `key`. */
function resultName(call: CallFact): string | undefined {
  let node: ts.Node = call.node;
  for (let i = 0; i < 8 && node.parent; i++) {
    const parent: ts.Node = node.parent;
    if (isVariableDeclaration(parent)) return isIdentifier(parent.name) ? parent.name.text : undefined;
    if (ts.isStatement(parent)) return undefined;
    node = parent;
  }
  return undefined;
}

/**
 * A request value the route has tied to the caller after a fetch: a read filtered by the same value
 * whose record is then compared with the caller (`if (key.referenceId !== ctx.user.id) throw …`).
 */
function checkedAgainstCaller(ctx: TraceContext, profile: RouteProfile, origin: string): boolean {
  for (const d of profile.db) {
    if (d.op.op !== "read") continue;
    if (!filterSources(ctx, d).some((s) => s.kind === "request" && s.origin === origin)) continue;
    const name = resultName(d.call);
    const scope = d.call.fn?.node;
    if (!name || !scope) continue;
    const mentions = new RegExp(`^${name.replace(/\$/g, "\\$")}\\b`);
    let checked = false;
    walk(scope, (node) => {
      if (checked) return "stop";
      if (!isBinaryExpression(node) || !/^(===|!==|==|!=)$/.test(node.operatorToken.getText())) return undefined;
      for (const [record, other] of [[node.left, node.right], [node.right, node.left]] as const) {
        const recordText = skipOuterExpressions(record).getText();
        // The record's owner compared with the caller; an org or team id compared is the tenant, not the owner.
        if (!mentions.test(recordText) || ORG_TEXT.test(recordText) || ORG_TEXT.test(other.getText())) continue;
        if (sourcesOf(ctx, d.file, other).some(principal)) checked = true;
      }
      return undefined;
    });
    if (checked) return true;
  }
  return false;
}

/**
 * A write to the caller's own record, which a role does not gate (a user changing their own records
 * or settings): every value its filter compares with is the caller, a record tied to the caller, or
 * a request id the route compared with the caller after fetching it; a new row is the caller's when
 * its owner column is the caller. An org or team id is not the caller's own (that is the role rule's case).
 * `checkedRequestIds`: whether a request id compared with the caller after its fetch counts as tied.
 */
export function callerOwnWrite(sem: Semantics, profile: RouteProfile, write: ReachedDbOperation, checkedRequestIds = true): boolean {
  const ctx = traceContext(sem, profile);
  if (!ctx) return false;
  if (CREATE.test(write.op.method)) {
    const values = write.op.values && skipOuterExpressions(write.op.values);
    if (!values || !isObjectLiteralExpression(values)) return false;
    return values.properties.some((p) => {
      const key = p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) ? p.name.text : "";
      if (!OWNER_KEY.test(key)) return false;
      const value = isPropertyAssignment(p) ? p.initializer : isShorthandPropertyAssignment(p) ? p.name : undefined;
      return value !== undefined && !ORG_TEXT.test(value.getText()) && sourcesOf(ctx, write.file, value).some(principal);
    });
  }
  // Every entry that is not a constant: tied to the caller, or a request id compared with the caller after its fetch.
  let tied = false;
  for (const entry of filterEntries(write.call)) {
    const sources = sourcesOf(ctx, write.file, entry.value).filter((s) => s.kind !== "constant");
    if (sources.length === 0) continue;
    if (entryTied(ctx, write.file, entry, 0)) tied = true;
    else if (checkedRequestIds && sources.every((s) => s.kind === "request" && s.origin !== undefined && checkedAgainstCaller(ctx, profile, s.origin))) tied = true;
    else return false;
  }
  return tied;
}

/**
 * A role written from a record addressed to the caller (`role: invite.role` of the invitation found
 * by the caller's email), not from the request: accepting an invitation grants the role its sender
 * chose; the caller picks none.
 */
export function roleFromCallerRecord(sem: Semantics, profile: RouteProfile, write: ReachedDbOperation, roleKey: string): boolean {
  const ctx = traceContext(sem, profile);
  const values = write.op.values && skipOuterExpressions(write.op.values);
  if (!ctx || !values || !isObjectLiteralExpression(values)) return false;
  const property = values.properties.find((p) => p.name?.getText() === roleKey);
  const value = property && isPropertyAssignment(property) ? property.initializer : property && isShorthandPropertyAssignment(property) ? property.name : undefined;
  if (!value) return false;
  const sources = sourcesOf(ctx, write.file, value).filter((s) => s.kind !== "constant");
  return sources.length > 0 && sources.every((s) => s.kind === "record" && callerTied(ctx, s, 0));
}

/**
 * A role or permission set on a user's row to a value the request supplies: `data: { role:
 * input.role }`, or `user.permissions = req.body.permissions` before `repository.save(user)`. The
 * value is what the caller grants.
 */
export function roleGrant(sem: Semantics, profile: RouteProfile): { field: string; table: string; value: ts.Expression; op: ReachedDbOperation } | undefined {
  const ctx = traceContext(sem, profile);
  if (!ctx) return undefined;
  const fromRequest = (file: AnalysedFile, value: ts.Expression) => sourcesOf(ctx, file, value).some((s) => s.kind === "request");
  for (const w of profile.writes) {
    const table = tableName(w.op) ?? "";
    if (table && !USER_TABLE_PATTERN.test(table)) continue;
    const values = w.op.values && skipOuterExpressions(w.op.values);
    if (values && isObjectLiteralExpression(values)) {
      for (const p of values.properties) {
        const field = p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) ? p.name.text : "";
        const value = isPropertyAssignment(p) ? p.initializer : isShorthandPropertyAssignment(p) ? p.name : undefined;
        if (value && ROLE_FIELD_PATTERN.test(field) && fromRequest(w.file, value)) return { field, table: table || "user", value, op: w };
      }
      continue;
    }
    // `repository.save(user)`: the role fields assigned on the saved object before the save.
    const saved = w.call.args[0] && skipOuterExpressions(w.call.args[0]);
    const scope = w.call.fn?.node;
    if (!saved || !isIdentifier(saved) || !scope) continue;
    let grant: { field: string; value: ts.Expression } | undefined;
    walk(scope, (node) => {
      if (grant) return "stop";
      if (!isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken || node.pos > w.call.node.pos) return undefined;
      const target = skipOuterExpressions(node.left);
      if (isPropertyAccessExpression(target) && isIdentifier(target.expression) && target.expression.text === saved.text && ROLE_FIELD_PATTERN.test(target.name.text) && fromRequest(w.file, node.right)) {
        grant = { field: target.name.text, value: node.right };
      }
      return undefined;
    });
    if (grant) return { ...grant, table: table || "user", op: w };
  }
  return undefined;
}
