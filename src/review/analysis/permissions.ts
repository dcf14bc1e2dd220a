import { ts } from "ts-morph";
import { skipOuterExpressions, type CallFact, type FunctionFact } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import { tableName, type ReachedDbOperation, type RouteProfile } from "./route-profile.js";
import type { Semantics } from "./semantics.js";
import { ACCESS_HELPER } from "./ownership.js";
import { walk } from "./nodes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isArrayLiteralExpression, isIdentifier, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isStringLiteralLike } = ts;

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

/** Words of an identifier or permission string: `canViewWebsite` → can, view, website; `website:view-only` → website, view, only. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

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
  if (isStringLiteralLike(inner)) return strengthOfWords(words(inner.text));
  if (isPropertyAccessExpression(inner) && isIdentifier(inner.expression) && /^[A-Z]/.test(inner.expression.text)) return strengthOfWords(words(inner.name.text));
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
      if (isStringLiteralLike(node)) found.push(...words(node.text));
      else if (isIdentifier(node) && /^[A-Z][A-Z0-9_]+$|Roles?$|Permissions?$/.test(node.text)) found.push(...words(node.text));
    });
  }
  return strengthOfWords(found);
}

/** A permission check's strength, or undefined when neither its arguments, its name nor its body say. */
export function permissionStrength(sem: Semantics, file: AnalysedFile, call: CallFact): Strength | undefined {
  const fromArgs = argumentStrength(call);
  if (fromArgs) return fromArgs;
  const nameWords = words(call.name).slice(1);
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

/** Operations a read-level permission must not gate: updates, deletes and resets of stored rows, and reads of credentials. */
const CREDENTIAL_TABLE = /api_?keys?|tokens?|secrets?|credentials?|passwords?|private_?keys?|signing_?keys?|webhook_?secrets?|oauth\w*|connections?/i;

const CREDENTIAL_ROUTE = /secret|credential|token|api-?keys?|apiKeys?|password|reveal|decrypt/i;

export interface StrongOperation {
  what: string;
  /** `admin` for deletes, resets and credentials; `write` for updates. */
  needs: Strength;
  op: ReachedDbOperation;
}

export function strongOperation(profile: RouteProfile): StrongOperation | undefined {
  for (const w of profile.writes) {
    const method = w.op.method;
    if (/^(create|insert|createMany|createManyAndReturn|insertOne|insertMany|bulkCreate)$/i.test(method)) continue;
    const table = tableName(w.op) ?? "rows";
    if (/delete|del|destroy|remove|truncate|drop/i.test(method)) return { what: `deletes \`${table}\` rows (${w.op.library} ${method})`, needs: "admin", op: w };
  }
  for (const w of profile.writes) {
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
  const parts = words(name);
  const verbIndex = parts.findIndex((w) => READ_WORD.test(w));
  if (verbIndex < 1) return undefined;
  const prefix = parts.slice(0, verbIndex).join("");
  const suffix = parts.slice(verbIndex + 1).join("");
  const candidates = [...exports.keys()].filter((key) => key !== name && key.startsWith(prefix) && key.endsWith(suffix));
  const ranked = candidates.map((key) => ({ key, strength: strengthOfWords(words(key).slice(1)) }));
  return (ranked.find((c) => c.strength === needs) ?? ranked.find((c) => c.strength === "admin" || c.strength === "write"))?.key;
}
