import { ts } from "ts-morph";
import type { CallFact, FunctionFact } from "./facts.js";
import { skipOuterExpressions } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import type { RouteFact, Semantics } from "./semantics.js";
import { boundNames, mentionsName, objectLiteralOf, orTerms, propertyValue, returnsOrThrows, walk } from "./nodes.js";
import { initialiserOf } from "./value-trace.js";
import { singletonTable } from "./writes.js";
import { ROLE_FIELD_PATTERN, objectKeys, queryExpression, tableName, type ReachedDbOperation } from "./route-profile.js";

// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isBinaryExpression, isBlock, isIdentifier, isIfStatement, isObjectLiteralExpression, isPropertyAssignment } = ts;

/**
 * Routes open by design that no name announces, read from what they do (DESIGN, "Who can call it"):
 * a public form that only adds rows, and a read-only GET of content the route first checks is
 * published.
 */

/** Operations that add a row and change none. */
const ADD_METHOD = /^(create|createMany|insert|insertOne|insertMany|bulkCreate)$/;
/** An add that updates on conflict, or a nested write of a related row, changes existing data. */
const CHANGES_EXISTING = /onConflictDoUpdate|onDuplicateKeyUpdate|\.merge\s*\(|\bupsert\b|\bon\s+conflict\b[\s\S]{0,200}\bdo\s+update\b|\bon\s+duplicate\s+key\s+update\b/i;
const NESTED_CHANGE = /(?:^|[{,\s])(update|updateMany|upsert|delete|deleteMany|set|disconnect|connectOrCreate)\s*:/;
/**
 * Tables whose new row grants something or speaks for an account: users, members and memberships,
 * roles and permissions, API keys, tokens, sessions, credentials, invitations, access lists.
 */
const GRANTING_TABLE = /user|member|role|permission|grant|admin|owner|collaborat|api_?key|token|session|credential|secret|password|access|acl|invit|account|auth/i;
/** A row that names who it acts for or which tenant it lands in: set from the request, that is the caller speaking for someone. */
const ACTOR_KEY = /^(user|owner|author|creator|created_?by|updated_?by|member|account|actor|admin|org|organi[sz]ation|team|workspace|tenant)(_?id)?$/i;
/** Keys a select may list and still return no more than the row's identity. */
const ID_KEY = /^(id|uid|uuid|\w+Id|\w+_id)$/;

/**
 * DESIGN: "public forms that only add rows". Every write on the route's path adds a plain row (no
 * update, delete or upsert, nothing nested that changes another row) into a table that grants
 * nothing, with literal values that name no user, owner or tenant and carry no role; nothing it reads
 * or creates goes back to the caller (a presence test, a select of ids); it sends nothing out but
 * plain HTTP, and
 * uses no admin client and no customer's payment records (`otherEffects`). Anything else on an anonymous route stays `missing-auth`'s.
 */
export function addsRowsOnly(sem: Semantics, db: readonly ReachedDbOperation[], otherEffects: boolean): boolean {
  const writes = db.filter((d) => d.op.op === "write");
  if (writes.length === 0 || otherEffects) return false;
  return writes.every((w) => plainAdd(sem, w)) && db.every((d) => d.op.op === "write" || resultOnlyTested(d.call) || selectsIdsOnly(d.call));
}

function plainAdd(sem: Semantics, w: ReachedDbOperation): boolean {
  const table = tableName(w.op);
  if (!ADD_METHOD.test(w.op.method) || !table || GRANTING_TABLE.test(table)) return false;
  if (CHANGES_EXISTING.test(queryExpression(w.call).getText())) return false;
  const values = objectLiteralOf(sem, w.file, w.op.values);
  // Values the review cannot list (`data: req.body`, a spread) may set any column, a role among them.
  if (!values || values.properties.some((p) => ts.isSpreadAssignment(p))) return false;
  const keys = objectKeys(values);
  if (keys.some((k) => ROLE_FIELD_PATTERN.test(k) || ACTOR_KEY.test(k))) return false;
  if (NESTED_CHANGE.test(values.getText())) return false;
  return resultOnlyTested(w.call);
}

/** `select: { id: true }` (and other ids), no `include`: the row's identity and nothing of its content. */
function selectsIdsOnly(call: CallFact): boolean {
  const first = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
  if (!first || !isObjectLiteralExpression(first)) return false;
  const keys = objectKeys(first);
  if (keys.includes("include")) return false;
  const select = propertyValue(first, "select");
  const selected = select ? skipOuterExpressions(select) : undefined;
  if (!selected || !isObjectLiteralExpression(selected) || selected.properties.some((p) => ts.isSpreadAssignment(p))) return false;
  const picked = objectKeys(selected);
  return picked.length > 0 && picked.every((k) => ID_KEY.test(k));
}

/**
 * The value a call produces goes nowhere but a presence test: dropped (`await db.x.create(…);`), or
 * kept in a variable whose every use is `!x`, `if (x)`, `x === null`. A value returned, passed on,
 * or read from (`x.email`) may reach the response.
 */
export function resultOnlyTested(call: CallFact): boolean {
  let node: ts.Node = call.node;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isExpressionStatement(parent)) return true;
  if (!ts.isVariableDeclaration(parent) || parent.initializer !== node || !isIdentifier(parent.name)) return false;
  const declared = parent.name;
  const scope = call.fn?.node;
  if (!scope) return false;
  let onlyTested = true;
  walk(scope, (n) => {
    if (!onlyTested) return "stop";
    if (!isIdentifier(n) || n === declared || n.text !== declared.text) return undefined;
    // `other.reaction`, `{ reaction: 1 }`: a property's name, not the variable.
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return undefined;
    if (isPropertyAssignment(n.parent) && n.parent.name === n) return undefined;
    if (!presenceTest(n)) onlyTested = false;
    return undefined;
  });
  return onlyTested;
}

/** `!x`, `if (x)`, `x ? … : …`, `x == null`, and `&&`/`||` chains of them in a condition. */
function presenceTest(name: ts.Identifier): boolean {
  let node: ts.Node = name;
  let tested = false;
  for (let i = 0; i < 16 && node.parent; i++) {
    const parent: ts.Node = node.parent;
    if (ts.isParenthesizedExpression(parent)) node = parent;
    else if (ts.isPrefixUnaryExpression(parent) && parent.operator === SyntaxKind.ExclamationToken) [node, tested] = [parent, true];
    else if (isBinaryExpression(parent) && (parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken || parent.operatorToken.kind === SyntaxKind.BarBarToken) && parent.left === node) node = parent;
    else if (isBinaryExpression(parent) && isEquality(parent.operatorToken.kind) && [parent.left, parent.right].some((side) => side !== node && /^(null|undefined)$/.test(skipOuterExpressions(side).getText()))) [node, tested] = [parent, true];
    else break;
  }
  const parent = node.parent;
  if (parent && isIfStatement(parent) && parent.expression === node) return true;
  if (parent && ts.isConditionalExpression(parent) && parent.condition === node) return true;
  // `const missing = !x`, `return !!x`: one bit, whether the row exists.
  return tested && !(parent && isBinaryExpression(parent));
}

function isEquality(kind: ts.SyntaxKind): boolean {
  return kind === SyntaxKind.EqualsEqualsToken || kind === SyntaxKind.EqualsEqualsEqualsToken || kind === SyntaxKind.ExclamationEqualsToken || kind === SyntaxKind.ExclamationEqualsEqualsToken;
}

/** `isMonitorPublic(id)`, `isPublished(post)`, `checkIsPublic(x)`, or a predicate whose body tests publication. */
const PREDICATE_NAME = /^(is|has|check|can)[A-Z_]\w*$/;
const PUBLICATION = /public|published/i;

/**
 * DESIGN: "read-only GETs of published content". A GET that writes nothing and whose every read is
 * either a publication predicate's own (`isMonitorPublic(id)`, named or written to test that the
 * record is public or published) or runs only once that predicate passed: inside `if (published)`,
 * in the `else` of `if (!published)`, or after `if (!published) return …`.
 */
export function publicationGatedRead(sem: Semantics, route: RouteFact, handlerFile: AnalysedFile, handler: FunctionFact, db: readonly ReachedDbOperation[]): boolean {
  if (route.method !== "GET" && route.method !== "HEAD") return false;
  if (db.length === 0 || db.some((d) => d.op.op !== "read")) return false;
  const calls = sem.callsWithin(handler);
  const predicates = new Map<CallFact, FunctionFact | undefined>();
  for (const call of calls) {
    if (!PREDICATE_NAME.test(call.name)) continue;
    const resolved = sem.callee(handlerFile, call);
    const fn = resolved.kind === "function" ? resolved.fn : undefined;
    if (PUBLICATION.test(call.name) || (fn !== undefined && PUBLICATION.test(fn.node.getText()))) predicates.set(call, fn);
  }
  if (predicates.size === 0) return false;
  const own = new Set([...predicates.values()].filter((fn): fn is FunctionFact => fn !== undefined));
  const gate = gateOf([...predicates.keys()]);
  return db.every((d) => {
    if (d.call.fn && own.has(d.call.fn)) return true;
    const sites = sitesInHandler(sem, handlerFile, calls, d);
    return sites.length > 0 && sites.every((site) => gatedAt(site.node, handler.node, gate));
  });
}

interface Gate {
  /** Variables holding a predicate's answer. */
  names: Set<string>;
  calls: Set<ts.Node>;
}

function gateOf(predicates: CallFact[]): Gate {
  const gate: Gate = { names: new Set(), calls: new Set(predicates.map((p) => p.node)) };
  for (const p of predicates) {
    let node: ts.Node = p.node;
    while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent))) node = node.parent;
    if (ts.isVariableDeclaration(node.parent) && isIdentifier(node.parent.name)) gate.names.add(node.parent.name.text);
  }
  return gate;
}

/** Whether a condition is the gate (true when the record is published) or its negation: 1, -1, or 0 for neither. */
function gateSign(expression: ts.Expression, gate: Gate): 1 | -1 | 0 {
  let expr = skipOuterExpressions(expression);
  let sign: 1 | -1 = 1;
  while (ts.isPrefixUnaryExpression(expr) && expr.operator === SyntaxKind.ExclamationToken) {
    sign = sign === 1 ? -1 : 1;
    expr = skipOuterExpressions(expr.operand);
  }
  if (ts.isAwaitExpression(expr)) expr = skipOuterExpressions(expr.expression);
  if (isIdentifier(expr) && gate.names.has(expr.text)) return sign;
  if (gate.calls.has(expr)) return sign;
  return 0;
}

/** The terms of an `a && b && c` condition. */
function andTerms(expression: ts.Expression): ts.Expression[] {
  const expr = skipOuterExpressions(expression);
  if (isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) return [...andTerms(expr.left), ...andTerms(expr.right)];
  return [expr];
}

/** Whether code at `node` runs only when the gate passed, looking up to the handler's body. */
function gatedAt(node: ts.Node, root: ts.Node, gate: Gate): boolean {
  let current: ts.Node = node;
  while (current.parent && current !== root) {
    const parent: ts.Node = current.parent;
    if (isIfStatement(parent) && parent.expression !== current) {
      if (parent.thenStatement === current && andTerms(parent.expression).some((t) => gateSign(t, gate) === 1)) return true;
      if (parent.elseStatement === current && orTerms(parent.expression).some((t) => gateSign(t, gate) === -1)) return true;
    }
    if (ts.isConditionalExpression(parent)) {
      if (parent.whenTrue === current && gateSign(parent.condition, gate) === 1) return true;
      if (parent.whenFalse === current && gateSign(parent.condition, gate) === -1) return true;
    }
    if (isBlock(parent) && earlierExit(parent, current, (condition) => orTerms(condition).some((t) => gateSign(t, gate) === -1))) return true;
    current = parent;
  }
  return false;
}

/** Whether a statement of `block` before `current` is an `if (…) return/throw` whose condition passes `test`. */
function earlierExit(block: ts.Block, current: ts.Node, test: (condition: ts.Expression) => boolean): boolean {
  for (const statement of block.statements) {
    if (statement === current) return false;
    if (isIfStatement(statement) && returnsOrThrows(statement.thenStatement) && test(statement.expression)) return true;
  }
  return false;
}

/** The handler's calls through which a reached DB call runs: the call itself, or a call of the helper (one or two levels down) that makes it. */
function sitesInHandler(sem: Semantics, handlerFile: AnalysedFile, calls: readonly CallFact[], d: ReachedDbOperation): CallFact[] {
  if (calls.includes(d.call)) return [d.call];
  const target = d.call.fn;
  if (!target) return [];
  const sites: CallFact[] = [];
  for (const call of calls) {
    const resolved = sem.callee(handlerFile, call);
    if (resolved.kind !== "function" || !resolved.fn) continue;
    if (resolved.fn === target) {
      sites.push(call);
      continue;
    }
    const inner = sem.callsWithin(resolved.fn).some((c) => {
      const next = sem.callee(resolved.file, c);
      return next.kind === "function" && next.fn === target;
    });
    if (inner) sites.push(call);
  }
  return sites;
}

/** Updates that change rows in place: a state row moved along, nothing added or removed. */
const UPDATE_METHOD = /^(update|updateMany|updateOne|set)$/;
/** How far a condition's value is followed back through the locals it was computed from. */
const STATE_TRACE_DEPTH = 3;

/**
 * An anonymous route that only moves the instance's own state along, the way a first-run setup or
 * onboarding step does: every write updates a table the code reads as a single row (an
 * instance-wide singleton), with listed values that take nothing from the function's parameters,
 * name no user or tenant and carry no role; every read is of such a table; and each write runs
 * only past an exit taken on that same row's stored value (`if (state.step !== "start") return;`).
 * Whether the write happens is decided by the stored state, by a rule the review cannot judge:
 * asked about, not claimed (`otherEffects`: egress, an admin client, payment records, a launch).
 */
export function stateGatedTransition(sem: Semantics, db: readonly ReachedDbOperation[], otherEffects: boolean): boolean {
  const writes = db.filter((d) => d.op.op === "write");
  if (writes.length === 0 || otherEffects) return false;
  const tables = new Set<string>();
  for (const w of writes) {
    const table = w.op.table;
    if (!table || !UPDATE_METHOD.test(w.op.method) || !singletonTable(sem, table) || !stateValues(sem, w)) return false;
    tables.add(table);
  }
  if (db.some((d) => d.op.op === "read" && (!d.op.table || !tables.has(d.op.table)))) return false;
  return writes.every((w) => gatedOnState(sem, w));
}

/** The values written are listed, take nothing from the writing function's parameters, and name no user, tenant or role. */
function stateValues(sem: Semantics, w: ReachedDbOperation): boolean {
  const values = objectLiteralOf(sem, w.file, w.op.values);
  if (!values || values.properties.some((p) => ts.isSpreadAssignment(p))) return false;
  if (objectKeys(values).some((k) => ROLE_FIELD_PATTERN.test(k) || ACTOR_KEY.test(k))) return false;
  const fn = w.call.fn;
  if (!fn) return false;
  const params = new Set<string>();
  for (const p of fn.node.parameters) boundNames(p.name, params);
  return !mentionsName(values, params);
}

/** Whether the write runs only past an `if (…) return/throw` before it whose condition reads the written table's stored state. */
function gatedOnState(sem: Semantics, w: ReachedDbOperation): boolean {
  const root = w.call.fn?.node;
  const table = w.op.table;
  if (!root || !table) return false;
  let current: ts.Node = w.call.node;
  while (current.parent && current !== root) {
    const parent: ts.Node = current.parent;
    if (isBlock(parent) && earlierExit(parent, current, (condition) => readsState(sem, w.file, condition, table, STATE_TRACE_DEPTH))) return true;
    current = parent;
  }
  return false;
}

/** Whether an expression's value comes from a read of `table`: directly, through a helper that makes the read, or through the locals it was computed from. */
function readsState(sem: Semantics, file: AnalysedFile, expr: ts.Expression, table: string, depth: number): boolean {
  let found = false;
  walk(expr, (n) => {
    if (found) return "stop";
    if (ts.isCallExpression(n)) {
      const call = sem.project.callOf(n);
      if (call && readsTable(sem, file, call, table)) found = true;
      return undefined;
    }
    if (depth > 0 && isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const traced = initialiserOf(sem.project, file, n);
      if (traced && traced.expr !== expr && readsState(sem, traced.file, traced.expr, table, depth - 1)) found = true;
    }
    return undefined;
  });
  return found;
}

/** A read of `table` made by this call, or by the project function it calls (one level down). */
function readsTable(sem: Semantics, file: AnalysedFile, call: CallFact, table: string): boolean {
  const isRead = (at: AnalysedFile, c: CallFact) => {
    const op = sem.dbOperation(at, c);
    return op?.op === "read" && op.table === table;
  };
  if (isRead(file, call)) return true;
  const callee = sem.callee(file, call);
  return callee.kind === "function" && callee.fn !== undefined && sem.callsWithin(callee.fn).some((c) => isRead(callee.file, c));
}
