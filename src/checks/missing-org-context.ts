import { ts } from "ts-morph";
import type { AnalysedProject } from "../review/analysis/project.js";
import { adminClientUse, filtersByCaller, filterText, isAdminPath, queryExpression, routeProfiles, tableName, type ReachedDbOperation, type RouteProfile } from "../review/analysis/route-profile.js";
import type { Semantics } from "../review/analysis/semantics.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck, lostGuardSite } from "./define-check.js";
import { walk } from "../review/analysis/nodes.js";
import { skipOuterExpressions, type CallFact } from "../review/analysis/facts.js";
import { unfilteredWrite } from "../review/analysis/writes.js";
import { afterOrgCheck, checkedAfterFetch, existenceProbe, namesOrgScope, ORG_FILTER, orgCheckAfterFetch, orgCheckedOrigins, scopedOrigins, scopedQuery, traceContext, usesScopedOrigin } from "../review/analysis/ownership.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isArrayLiteralExpression, isCallExpression, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isStringLiteralLike, isVariableDeclaration } = ts;

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
      const bad = profile.db.find((d) => {
        const table = tableName(d.op);
        if (!table || !model.tables.has(norm(table))) return false;
        if (/^(create|insert|createMany|insertOne|insertMany)$/.test(d.op.method)) return false;
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
        // A user-scoped Supabase client whose RLS policies filter by org membership is org context.
        if (d.op.library === "supabase" && model.rlsScoped.has(norm(table)) && !adminClientUse(sem, [d])) return false;
        return true;
      });
      if (!bad) continue;
      const { route } = profile;
      const replacement = orgReplacement(profile, bad, model);
      report({
        file: route.file,
        line: route.line,
        column: route.column,
        messageId: "missingOrgContext",
        data: { route: profile.label, table: tableName(bad.op) ?? "?", method: `${bad.op.library} ${bad.op.method}` },
        fix: `Scope the query to the caller's organisation: add \`${model.column} = ${orgExpression(profile)}\` to its filter (or run it inside \`withOrgContext()\`), and answer 404 when the row belongs to another org.`,
        ...(replacement ? { replacement } : {}),
      });
    }
  },
});
