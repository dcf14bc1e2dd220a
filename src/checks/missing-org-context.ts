import { ts } from "ts-morph";
import type { AnalysedProject } from "../review/analysis/project.js";
import { adminClientUse, filtersByCaller, filterText, isAdminPath, queryExpression, routeProfiles, tableName, type ReachedDbOperation, type RouteProfile } from "../review/analysis/route-profile.js";
import type { Semantics } from "../review/analysis/semantics.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck, lostGuardSite, routeSite } from "./define-check.js";
import { endsInExit, mentionsName, walk } from "../review/analysis/nodes.js";
import { skipOuterExpressions, type CallFact } from "../review/analysis/facts.js";
import { unfilteredWrite } from "../review/analysis/writes.js";
import { afterOrgCheck, checkedAfterFetch, existenceProbe, filterSources, handlerCallOf, recordCall, namesOrgScope, ORG_FILTER, orgCheckAfterFetch, orgCheckedOrigins, PRINCIPAL_TEXT, scopedOrigins, scopedQuery, scopedSource, traceContext, usesScopedOrigin, type Source, type TraceContext } from "../review/analysis/ownership.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isArrayLiteralExpression, isBinaryExpression, isBlock, isCallExpression, isIdentifier, isIfStatement, isObjectLiteralExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isSourceFile, isStringLiteralLike, isVariableDeclaration, isVariableStatement } = ts;

/**
 * In a multi-tenant code base, a query on a tenant table that is not scoped to the caller's
 * organisation: one customer can read or change another's rows by guessing an id.
 */

type MessageId = "missingOrgContext" | "removedOrgScope";

const TENANT_COLUMN = /\b(org_?id|organi[sz]ation_?id|tenant_?id|workspace_?id)\b/i;
/** Every spelling {@link TENANT_COLUMN} matches contains one of these. */
const TENANT_WORD = /org|tenant|workspace/i;

/** Drizzle's (and knex-like) table definitions: `pgTable("name", { … })`. */
const TABLE_BUILDERS: ReadonlySet<string> = new Set(["pgTable", "mysqlTable", "sqliteTable", "table"]);

export function norm(name: string): string {
  return name.replace(/^.*\./, "").replace(/["'`]/g, "").replace(/[_-]/g, "").toLowerCase().replace(/s$/, "");
}

export interface TenantModel {
  multiTenant: boolean;
  /** Normalised table, model and variable names that carry an org / tenant column. */
  tables: Set<string>;
  /** Tables whose row-level-security policies in the PR filter by org membership. */
  rlsScoped: Set<string>;
  /** The tenant column as written (`orgId`, `org_id`). */
  column: string;
}

/** The model of a review, worked out once: two checks ask for it, and it reads every call of the PR. */
const tenantModels = new WeakMap<Semantics, TenantModel>();

export function tenantModel(sem: Semantics): TenantModel {
  let model = tenantModels.get(sem);
  if (!model) {
    model = buildTenantModel(sem.project, sem);
    tenantModels.set(sem, model);
  }
  return model;
}

function buildTenantModel(project: AnalysedProject, sem: Semantics): TenantModel {
  const tables = new Set<string>();
  const rlsScoped = new Set<string>();
  let column: string | undefined;
  let mentioned = false;
  for (const file of project.files) {
    // The first file that names a tenant column sets both; later files need no scan for them.
    if (column === undefined) {
      const named = TENANT_COLUMN.exec(file.text);
      if (named) {
        mentioned = true;
        column = named[1];
      }
    }
    // A filter's text is pieces of the file's text joined by spaces: without these words in the file, no filter names a tenant column.
    const mayFilterByTenant = TENANT_WORD.test(file.text);
    if (file.language === "sql") {
      for (const m of file.text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?([\w."]+)\s*\(([\s\S]*?)\);/gi)) {
        if (TENANT_COLUMN.test(m[2] ?? "")) tables.add(norm(m[1]!));
      }
      for (const m of file.text.matchAll(/alter\s+table\s+(?:if\s+exists\s+)?([\w."]+)([^;]*);/gi)) {
        if (/add\s+column/i.test(m[2] ?? "") && TENANT_COLUMN.test(m[2] ?? "")) tables.add(norm(m[1]!));
      }
      for (const m of file.text.matchAll(/create\s+policy\s[^;]*?\bon\s+([\w."]+)([^;]*);/gi)) {
        if (ORG_FILTER.test(m[2] ?? "")) rlsScoped.add(norm(m[1]!));
      }
    }
    if (file.language === "prisma") {
      for (const m of file.text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)) {
        if (TENANT_COLUMN.test(m[2] ?? "")) tables.add(norm(m[1]!));
      }
    }
    for (const call of file.facts?.calls ?? []) {
      if (TABLE_BUILDERS.has(call.name) && call.args.length >= 2 && TENANT_COLUMN.test(call.args[1]!.getText())) {
        const literal = call.args[0]!;
        if (isStringLiteralLike(literal)) tables.add(norm(literal.text));
        const parent = call.node.parent;
        if (isVariableDeclaration(parent)) tables.add(norm(parent.name.getText()));
      }
      // A query elsewhere that filters by org marks its table as tenant data.
      if (!mayFilterByTenant) continue;
      const op = sem.dbOperation(file, call);
      const table = op ? tableName(op) : undefined;
      if (op && table && TENANT_COLUMN.test(ownColumnsText(call) ?? withoutSubqueries(filterText(call, table)))) tables.add(norm(table));
    }
  }
  const configured = project.config.multiTenant;
  return { multiTenant: configured ?? (mentioned || tables.size > 0), tables, rlsScoped, column: column ?? "orgId" };
}

/**
 * The columns a Prisma-style `where` object compares on the queried table itself: its top-level keys
 * (and those under `AND` / `OR` / `NOT`), not keys inside a relation filter (`orgMemberships: { some: {
 * organizationId } }` says the user belongs to orgs, not that the user table has an org column).
 * Undefined when the filter is not such an object literal.
 */
function ownColumnsText(call: CallFact): string | undefined {
  const first = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
  if (!first || !isObjectLiteralExpression(first)) return undefined;
  const where = first.properties.find((p) => isPropertyAssignment(p) && p.name.getText() === "where");
  const value = where && isPropertyAssignment(where) ? skipOuterExpressions(where.initializer) : undefined;
  if (!value || !isObjectLiteralExpression(value)) return undefined;
  const keys: string[] = [];
  const collect = (obj: ts.ObjectLiteralExpression, depth: number) => {
    for (const p of obj.properties) {
      const key = p.name?.getText().replace(/['"]/g, "") ?? "";
      if (/^(AND|OR|NOT)$/.test(key) && isPropertyAssignment(p) && depth < 3) {
        const inner = skipOuterExpressions(p.initializer);
        const items = isArrayLiteralExpression(inner) ? inner.elements : [inner];
        for (const item of items) if (isObjectLiteralExpression(item)) collect(item, depth + 1);
      } else if (key) keys.push(key);
    }
  };
  collect(value, 0);
  return keys.join(" ");
}

/** SQL with its sub-selects left out: `WHERE id IN (SELECT "userId" FROM "OrgMember" WHERE "organizationId" = …)` filters the members, not this table. */
function withoutSubqueries(text: string): string {
  let out = text;
  for (let i = 0; i < 4 && /\(\s*select\b/i.test(out); i++) out = out.replace(/\(\s*select\b[^()]*\)/gi, " ");
  return out;
}

function orgExpression(profile: RouteProfile): string {
  const text = profile.route.handler?.node.getText() ?? "";
  if (/\bconst\s*\{[^}]*\borgId\b[^}]*\}\s*=/.test(text) || /\bconst\s+orgId\b/.test(text)) return "orgId";
  const session = /\b(session|user|ctx\.session|auth)\.(orgId|organizationId|tenantId)\b/.exec(text)?.[0];
  return session ?? "session.orgId";
}

function orgReplacement(profile: RouteProfile, bad: ReachedDbOperation, model: TenantModel): LineReplacement | undefined {
  if (bad.file !== profile.route.file) return undefined;
  const file = bad.file;
  const org = orgExpression(profile);
  const query = queryExpression(bad.call);
  const sf = query.getSourceFile();
  // Drizzle: `.where(cond)` on one line becomes `.where(and(cond, eq(table.orgId, orgId)))`.
  if (bad.op.library === "drizzle") {
    let where: ts.CallExpression | undefined;
    walk(query, (node) => {
      if (isCallExpression(node) && isPropertyAccessExpression(node.expression) && node.expression.name.text === "where" && node.arguments.length === 1) where = node;
    });
    if (!where) return undefined;
    const cond = where.arguments[0]!;
    const line = sf.getLineAndCharacterOfPosition(cond.getStart(sf)).line + 1;
    if (line !== sf.getLineAndCharacterOfPosition(cond.getEnd()).line + 1) return undefined;
    const text = file.lines[line - 1] ?? "";
    const table = bad.op.table ?? "table";
    const column = /_/.test(model.column) ? model.column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()) : model.column;
    return { startLine: line, endLine: line, text: text.replace(cond.getText(), `and(${cond.getText()}, eq(${table}.${column}, ${org}))`) };
  }
  // Prisma: `where: { id }` on one line gains the org filter.
  if (bad.op.library === "prisma") {
    const line = bad.call.line;
    for (let l = line; l < line + 4 && l <= file.lines.length; l++) {
      const text = file.lines[l - 1] ?? "";
      const m = /where:\s*\{([^{}]*)\}/.exec(text);
      if (m) return { startLine: l, endLine: l, text: text.replace(m[0], `where: {${m[1]!.trimEnd()}, ${model.column}: ${org} }`) };
    }
  }
  return undefined;
}

// ---- membership gates: a record tied to the caller by a later query whose empty result ends the request ----

/** The variable a call's result is kept in (`const run = await findRun(…)`, `let run = …`). */
function heldVariable(node: ts.Node): ts.VariableDeclaration | undefined {
  let at: ts.Node = node;
  for (let i = 0; i < 12 && at.parent; i++) {
    const parent: ts.Node = at.parent;
    if (isVariableDeclaration(parent)) return parent.initializer === at && isIdentifier(parent.name) ? parent : undefined;
    if (ts.isStatement(parent) || ts.isFunctionLike(parent)) return undefined;
    at = parent;
  }
  return undefined;
}


/** `!x`, `!x?.id`, `x === null`, `x == undefined`, or one of them among `||` operands. */
function testsEmpty(condition: ts.Expression, name: string): boolean {
  const e = skipOuterExpressions(condition);
  if (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.BarBarToken) return testsEmpty(e.left, name) || testsEmpty(e.right, name);
  const rooted = (x: ts.Expression): boolean => {
    let r = skipOuterExpressions(x);
    while (isPropertyAccessExpression(r)) r = skipOuterExpressions(r.expression);
    return isIdentifier(r) && r.text === name;
  };
  if (isPrefixUnaryExpression(e) && e.operator === SyntaxKind.ExclamationToken) return rooted(e.operand);
  if (isBinaryExpression(e) && [SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.EqualsEqualsToken].includes(e.operatorToken.kind)) {
    const empty = (x: ts.Expression) => x.kind === SyntaxKind.NullKeyword || (isIdentifier(x) && x.text === "undefined");
    return (rooted(e.left) && empty(e.right)) || (rooted(e.right) && empty(e.left));
  }
  return false;
}

/** The statements of the block a declaration's statement stands in, and its index there. */
function blockOf(decl: ts.VariableDeclaration): { statements: readonly ts.Statement[]; index: number } | undefined {
  const statement = decl.parent?.parent;
  const block = statement?.parent;
  if (!statement || !isVariableStatement(statement) || !block || !(isBlock(block) || isSourceFile(block))) return undefined;
  return { statements: block.statements, index: block.statements.indexOf(statement) };
}

/** The `if (!x) return/throw` after a declaration, in its block, before any other use of `x`. */
function refusedWhenEmpty(decl: ts.VariableDeclaration): ts.IfStatement | undefined {
  const block = blockOf(decl);
  if (!block || !isIdentifier(decl.name)) return undefined;
  const name = decl.name.text;
  for (let i = block.index + 1; i < block.statements.length; i++) {
    const next = block.statements[i]!;
    if (isIfStatement(next) && endsInExit(next.thenStatement) && testsEmpty(next.expression, name)) return next;
    if (mentionsName(next, new Set([name]))) return undefined;
  }
  return undefined;
}

const isPrincipalSource = (s: Source) => s.kind === "principal" || (s.kind === "unknown" && PRINCIPAL_TEXT.test(s.expr.getText()));

/**
 * The call a result wrapper outside the review was given (`const [error, project] = await
 * tryCatch(createProject(…))`): what it hands back is that call's result, so it is read as that call's record.
 */
function wrappedCall(ctx: TraceContext, source: Source): Source | undefined {
  if (source.kind !== "record") return undefined;
  const read = recordCall(ctx, source);
  if (!read || read.op || read.call.arguments.length !== 1 || ctx.sem.callee(read.file, read.fact).kind === "function") return undefined;
  const inner = skipOuterExpressions(read.call.arguments[0]!);
  return isCallExpression(inner) ? { kind: "record", expr: inner } : undefined;
}

/** A query whose filter compares with a record a result wrapper hands back from a call that is itself scoped (the caller's new project). */
function wrappedScopedFilter(ctx: TraceContext, reached: ReachedDbOperation): boolean {
  const sources = filterSources(ctx, reached).filter((s) => s.kind !== "constant");
  let wrapped = false;
  const scoped = sources.every((s) => {
    if (isPrincipalSource(s)) return true;
    const inner = wrappedCall(ctx, s);
    if (!inner) return false;
    wrapped = true;
    return scopedSource(ctx, inner);
  });
  return wrapped && scoped;
}

/**
 * A read that selects nothing but the row's id (`findFirst({ where: { slug }, select: { id: true } })`):
 * it hands over no tenant data, only which row a key names; what is then done with that id (a
 * write by it, a read of its rows) is judged where the id is used.
 */
function idOnlyRead(reached: ReachedDbOperation): boolean {
  if (reached.op.op !== "read" || !/^(findFirst|findUnique|findFirstOrThrow|findUniqueOrThrow)$/.test(reached.op.method)) return false;
  const first = reached.call.args[0] ? skipOuterExpressions(reached.call.args[0]) : undefined;
  if (!first || !isObjectLiteralExpression(first)) return false;
  const select = first.properties.find((p) => isPropertyAssignment(p) && p.name.getText() === "select");
  const value = select && isPropertyAssignment(select) ? skipOuterExpressions(select.initializer) : undefined;
  if (!value || !isObjectLiteralExpression(value) || value.properties.length === 0) return false;
  return value.properties.every((p) => isPropertyAssignment(p) && p.name.getText() === "id" && p.initializer.kind === SyntaxKind.TrueKeyword);
}

interface Gate {
  /** The query that ties the record to the caller. */
  query: ReachedDbOperation;
  /** The `if` that ends the request when it finds nothing. */
  refusal: ts.IfStatement;
}

/**
 * A membership gate on a record: a later query in the record's block whose filter reads the record
 * (`where: { id: run.projectId, organization: { members: { some: { userId } } } }`) and compares
 * with the caller, and whose empty result ends the request (`if (!project) return 404`). The record
 * then belongs to an organisation the caller is a member of.
 */
function membershipGate(ctx: TraceContext, profile: RouteProfile, record: ts.VariableDeclaration): Gate | undefined {
  const init = record.initializer && skipOuterExpressions(record.initializer);
  if (!init) return undefined;
  const block = blockOf(record);
  if (!block) return undefined;
  for (const q of profile.db) {
    const node = q.call.node;
    if (node.getSourceFile() !== record.getSourceFile() || node.pos < record.end) continue;
    const held = heldVariable(node);
    if (!held || blockOf(held)?.statements !== block.statements) continue;
    const sources = filterSources(ctx, q);
    if (!sources.some((s) => s.kind === "record" && skipOuterExpressions(s.expr) === init)) continue;
    if (!sources.some(isPrincipalSource)) continue;
    const refusal = refusedWhenEmpty(held);
    if (refusal) return { query: q, refusal };
  }
  return undefined;
}

/**
 * Between the record's declaration and its gate, the record is only tested by `if`s that leave and
 * read by the gate's query: nothing uses it before the caller is tied to it.
 */
function untouchedBeforeGate(record: ts.VariableDeclaration, gate: Gate): boolean {
  const block = blockOf(record);
  if (!block || !isIdentifier(record.name)) return false;
  const names = new Set([record.name.text]);
  const gateStatement = heldVariable(gate.query.call.node)?.parent?.parent;
  for (let i = block.index + 1; i < block.statements.length; i++) {
    const next = block.statements[i]!;
    if (next === gate.refusal) return true;
    if (next === gateStatement || (isIfStatement(next) && endsInExit(next.thenStatement))) continue;
    if (mentionsName(next, names)) return false;
  }
  return false;
}

/** A reached call runs after a statement: in the same file past it, or under a handler call that is. */
function runsAfter(ctx: TraceContext, reached: ReachedDbOperation, statement: ts.Statement): boolean {
  const node = reached.call.node;
  if (node.getSourceFile() === statement.getSourceFile() && node.pos >= statement.end) return true;
  const at = handlerCallOf(ctx, reached);
  return at !== undefined && at.getSourceFile() === statement.getSourceFile() && at.pos >= statement.end;
}

/**
 * A query the caller's membership vouches for: its own result is gated (fetched by id, then its
 * organisation looked up with the caller's membership and the request refused when none is found),
 * or every value its filter compares with is read from such a gated record, after the gate.
 */
function membershipGated(ctx: TraceContext, profile: RouteProfile, reached: ReachedDbOperation, depth = 0): Gate | undefined {
  const own = heldVariable(reached.call.node);
  if (own) {
    const gate = membershipGate(ctx, profile, own);
    if (gate && untouchedBeforeGate(own, gate)) return gate;
  }
  const sources = filterSources(ctx, reached).filter((s) => s.kind !== "constant");
  const records = sources.filter((s) => s.kind === "record");
  if (records.length === 0 || !sources.every((s) => s.kind === "record" || isPrincipalSource(s))) return undefined;
  let found: Gate | undefined;
  for (const s of records) {
    const record = heldVariable(s.expr);
    let gate = record && membershipGate(ctx, profile, record);
    if (gate && !runsAfter(ctx, reached, gate.refusal)) return undefined;
    // A row found by a gated record's field (`environment` read by `run.environmentId`): gated through it.
    if (!gate && depth < 2) {
      const read = recordCall(ctx, s);
      gate = read?.op ? membershipGated(ctx, profile, { file: read.file, call: read.fact, op: read.op }, depth + 1) : undefined;
    }
    if (!gate) return undefined;
    found ??= gate;
  }
  return found;
}

/** Request values of queries whose own record is membership-gated, with the gate: a later query by the same value is covered. */
function gatedOrigins(ctx: TraceContext, profile: RouteProfile): Array<{ origin: string; gate: Gate }> {
  const out: Array<{ origin: string; gate: Gate }> = [];
  for (const d of profile.db) {
    const own = heldVariable(d.call.node);
    const gate = own && membershipGate(ctx, profile, own);
    if (!gate || !untouchedBeforeGate(own!, gate)) continue;
    for (const s of filterSources(ctx, d)) if (s.kind === "request" && s.origin) out.push({ origin: s.origin, gate });
  }
  return out;
}

function afterGate(ctx: TraceContext, reached: ReachedDbOperation, gated: ReadonlyArray<{ origin: string; gate: Gate }>): boolean {
  if (gated.length === 0) return false;
  const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  return filterSources(ctx, reached).some((s) => s.kind === "request" && s.origin !== undefined && gated.some(({ origin, gate }) => related(origin, s.origin!) && runsAfter(ctx, reached, gate.refusal)));
}

export default defineCheck<MessageId>({
  id: "authz/missing-org-context",
  title: "Tenant query without org scoping",
  section: "2, 5 (role and tenant scoping)",
  severity: "high",
  docs: "In a multi-tenant code base (org/tenant columns or filters in the PR, or `multiTenant: true`), flags a route's query on a tenant table that neither filters by the caller's organisation nor runs in `withOrgContext()` / an org-scoped RLS client; the fix adds the org filter (`eq(table.orgId, session.orgId)`, `where: { id, orgId }`).",
  messages: {
    missingOrgContext: "`{{route}}` queries tenant table `{{table}}` ({{method}}) without an org filter or org context: a user of one organisation can reach another organisation's rows.",
    removedOrgScope: "`{{route}}` no longer scopes `{{call}}` to the organisation: {{change}}. A user of one organisation can reach another organisation's records by their ids.",
  },
  regressed({ routes, report }) {
    for (const compared of routes) {
      const lost = compared.lost.orgScope;
      if (!lost) continue;
      report({
        ...lostGuardSite(compared.route, lost),
        messageId: "removedOrgScope",
        data: { route: compared.label, call: lost.call, change: lost.change },
        fix: "Pass the organisation the caller acts in (as the base did), so the call only reaches that organisation's records, or check the record's organisation before acting.",
      });
    }
  },
  run({ sem, report }) {
    const profiles = routeProfiles(sem);
    if (profiles.length === 0) return;
    const model = tenantModel(sem);
    if (!model.multiTenant || model.tables.size === 0) return;
    for (const profile of profiles) {
      // Platform admin consoles (admin path, admin role) span tenants by design.
      if (profile.orgContext || profile.webhookOnly || (profile.roleGated && isAdminPath(profile.route))) continue;
      // Tenant scoping is asked of a signed-in user's requests: an anonymous route is `missing-auth`'s, a capability link's secret is its scope.
      if (!profile.authenticated || profile.capability) continue;
      // A call into code the review could not read may scope the caller to the org: asked about, not claimed.
      if (sem.unreadGuardCalls(profile.route).some((call) => call.settles !== "auth")) continue;
      const ctx = traceContext(sem, profile);
      let origins: string[] | undefined;
      let orgChecked: ReturnType<typeof orgCheckedOrigins> | undefined;
      let gated: ReturnType<typeof gatedOrigins> | undefined;
      const bad = profile.db.find((d) => {
        const table = tableName(d.op);
        if (!table || !model.tables.has(norm(table))) return false;
        if (/^(create|insert|createMany|insertOne|insertMany)$/.test(d.op.method)) return false;
        // Only the id of the row a key names: no tenant data handed over (its later use is judged on its own).
        if (idOnlyRead(d)) return false;
        // A write with no filter at all is `mutation/unfiltered-write`'s finding alone.
        if (d.op.op === "write" && unfilteredWrite(sem, d.file, d.call)) return false;
        // Scoped by its filter: the org or a membership named in it, the caller, or a row found by such a filter (`projectId: project.id`).
        if (filtersByCaller(sem, d)) return false;
        if (!ctx) {
          const text = filterText(d.call, table);
          return !namesOrgScope(text);
        }
        if (scopedQuery(ctx, d) || usesScopedOrigin(ctx, d, (origins ??= scopedOrigins(ctx, profile)))) return false;
        // The row compared with the caller's org after the fetch, or a lookup that only answers whether a row exists.
        if (checkedAfterFetch(ctx, d) || existenceProbe(ctx, d) || orgCheckAfterFetch(ctx, d)) return false;
        // A later query by an id whose record that check tied to the caller's org.
        if (afterOrgCheck(ctx, d, (orgChecked ??= orgCheckedOrigins(ctx, profile)))) return false;
        // A record tied to the caller by a membership query that ends the request when it finds nothing, and what is read by it or its fields after.
        if (wrappedScopedFilter(ctx, d) || membershipGated(ctx, profile, d) || afterGate(ctx, d, (gated ??= gatedOrigins(ctx, profile)))) return false;
        // A user-scoped Supabase client whose RLS policies filter by org membership is org context.
        if (d.op.library === "supabase" && model.rlsScoped.has(norm(table)) && !adminClientUse(sem, [d])) return false;
        return true;
      });
      if (!bad) continue;
      const { route } = profile;
      const replacement = orgReplacement(profile, bad, model);
      report({
        ...routeSite(route),
        messageId: "missingOrgContext",
        data: { route: profile.label, table: tableName(bad.op) ?? "?", method: `${bad.op.library} ${bad.op.method}` },
        fix: `Scope the query to the caller's organisation: add \`${model.column} = ${orgExpression(profile)}\` to its filter (or run it inside \`withOrgContext()\`), and answer 404 when the row belongs to another org.`,
        ...(replacement ? { replacement } : {}),
      });
    }
  },
});
