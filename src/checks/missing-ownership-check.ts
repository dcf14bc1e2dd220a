import { ACCESS_HELPER, addToFilter, ownedTables, normTable, ownershipGap, principalText, type OwnershipGap } from "../review/analysis/ownership.js";
import { isAdminPath, routeProfiles, tableName, touchesSensitiveData, type RouteProfile } from "../review/analysis/route-profile.js";
import { walk } from "../review/analysis/nodes.js";
import { ts } from "ts-morph";
import { defineCheck, routeSite } from "./define-check.js";
import { tenantModel } from "./missing-org-context.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isCallExpression } = ts;

/**
 * Broken object-level authorization (IDOR): a signed-in user's route that reads or changes a record
 * by an id from the request, with nothing tying the record to that user: no owner or org filter
 * from the caller in the query, no comparison with the caller after the fetch, no permission helper
 * given the record or its id. Also the child record fetched by a second id after only its parent
 * was checked.
 */

type MessageId = "unowned" | "child";

const ORG_KEY = /org|tenant|workspace|team/i;
/** A chain step named as an access check (`projectProcedure`, `requireProjectAccess`, `withWorkspace`): it scopes the route's ids. */
const SCOPING_STEP = /Member|Membership|Access|Permission|Owner|Ownership|Org|Organi[sz]ation|Team|Workspace|Tenant|Project|Scope|Authori[sz]|Abilit/;

/** The names along a chain step (`authActionClient.use(spaceAbilityMiddleware).action`): its members and the names passed to it, not the handler's code. */
function stepNames(expression: ts.Expression): string[] {
  const names: string[] = [];
  walk(expression, (node) => {
    if (ts.isFunctionLike(node)) return "skip";
    if (ts.isIdentifier(node)) names.push(node.text);
    return undefined;
  });
  return names;
}

function scopedByChain(profile: RouteProfile): boolean {
  const { route } = profile;
  if (route.procedure && SCOPING_STEP.test(route.procedure)) return true;
  const names = [...route.middleware, ...route.wrappers.map((w) => (isCallExpression(w.node) ? w.node.expression : (w.node as ts.Expression)))].flatMap(stepNames);
  return names.some((n) => SCOPING_STEP.test(n) || ACCESS_HELPER.test(n));
}

function verbOf(gap: OwnershipGap): string {
  if (gap.op.op.op === "read") return "reads";
  return /delete|del|destroy|remove/i.test(gap.op.op.method) ? "deletes" : "changes";
}

function camel(name: string): string {
  const base = name.replace(/[_-](\w)/g, (_, c: string) => c.toUpperCase());
  return base.charAt(0).toLowerCase() + base.slice(1);
}

export default defineCheck<MessageId>({
  id: "authz/missing-ownership-check",
  title: "Record found by a request id without an ownership check",
  section: "2, 5 (role and tenant scoping)",
  severity: "high",
  docs: "Flags a signed-in user's route that reads or changes a record by an id from the request (route param, query, body, tRPC or action input) with no owner/org filter from the caller, no ownership comparison after the fetch and no permission helper given the record or its id, including a child record found by a second id after only its parent was checked; the fix names the filter (`where: { id, userId: session.user.id }`) or the comparison.",
  messages: {
    unowned: "`{{route}}` {{verb}} `{{table}}` by `{{id}}` from the request without tying the record to the caller: any signed-in user can {{action}} another user's `{{table}}` by changing the id.",
    child: "`{{route}}` checks that the `{{parent}}` belongs to the caller, then {{verb}} `{{table}}` by a second id, `{{id}}`, without tying it to that `{{parent}}`: any signed-in user can {{action}} another user's `{{table}}` through their own `{{parent}}`.",
  },
  run({ sem, classification, report }) {
    const profiles = routeProfiles(sem);
    if (profiles.length === 0) return;
    let tenants: ReturnType<typeof tenantModel> | undefined;
    const skipTable = (table: string) => {
      tenants ??= tenantModel(sem);
      // In a multi-tenant code base a tenant table's scoping is `missing-org-context`'s question.
      return tenants.multiTenant && tenants.tables.has(normTable(table));
    };
    for (const profile of profiles) {
      // Users only: anonymous routes are `missing-auth`'s, verified machines act for their provider, platform admins span users by design.
      if (!profile.authenticated || profile.webhookOnly || profile.roleGated || isAdminPath(profile.route)) continue;
      // A capability link's secret is its scope; public-by-design and auth endpoints serve anyone.
      if (profile.publicByDesign || profile.authEndpoint || profile.orgContext || profile.capability) continue;
      if (scopedByChain(profile)) continue;
      // A call into code the review could not read may check access to the record: asked about, not claimed.
      if (sem.unreadGuardCalls(profile.route).some((call) => call.settles !== "auth")) continue;
      const gap = ownershipGap(sem, profile, skipTable);
      if (!gap) continue;
      // An org filter taken from the request is the tenant rule's finding, not this one's.
      if (ORG_KEY.test(gap.idText)) continue;
      const { route } = profile;
      const table = tableName(gap.op.op) ?? "record";
      const verb = verbOf(gap);
      const action = verb === "reads" ? "read" : verb === "deletes" ? "delete" : "change";
      const principal = principalText(profile);
      const owner = ownedTables(sem).get(normTable(table));
      const column = owner?.column ?? "userId";
      const drizzle = gap.op.op.library === "drizzle";
      let fix: string;
      let replacement: ReturnType<typeof addToFilter>;
      if (gap.shape === "child" && gap.parent) {
        const parentTable = gap.parent.table ?? "parent";
        const parentColumn = `${camel(parentTable)}Id`;
        const parentValue = gap.parent.variable ? `${gap.parent.variable}.id` : gap.parent.idText;
        fix = drizzle
          ? `Find the \`${table}\` row through the checked \`${parentTable}\`: \`.where(and(eq(${gap.op.op.table ?? table}.id, ${gap.idText}), eq(${gap.op.op.table ?? table}.${parentColumn}, ${parentValue})))\`, and answer 404 when nothing matches.`
          : `Find the \`${table}\` through the checked \`${parentTable}\`: \`where: { id: ${gap.idText}, ${parentColumn}: ${parentValue} }\` (with \`deleteMany\`/\`updateMany\` or \`findFirst\`), and answer 404 when nothing matches.`;
        replacement = gap.parent.variable && !drizzle ? addToFilter(route.file, gap.op, `${parentColumn}: ${parentValue}`, undefined) : undefined;
      } else {
        fix = drizzle
          ? `Tie the query to the caller: \`.where(and(eq(${gap.op.op.table ?? table}.id, ${gap.idText}), eq(${gap.op.op.table ?? table}.${column}, ${principal})))\`, or load the row and answer 404 unless \`row.${column} === ${principal}\`.`
          : `Tie the query to the caller: \`where: { id: ${gap.idText}, ${column}: ${principal} }\` (use \`findFirst\`, or \`updateMany\`/\`deleteMany\` and check the count), or load the record and answer 404 unless \`record.${column} === ${principal}\`.`;
        const root = /^[\w$]+/.exec(principal)?.[0] ?? "";
        const bound = root !== "" && new RegExp(`\\b${root.replace(/\$/g, "\\$")}\\b`).test(route.handler?.node.getText() ?? "");
        replacement = bound ? addToFilter(route.file, gap.op, `${column}: ${principal}`, `eq(${gap.op.op.table ?? table}.${column}, ${principal})`) : undefined;
      }
      const critical = gap.op.op.op === "write" || touchesSensitiveData(profile, classification.evidence);
      report({
        ...routeSite(route),
        messageId: gap.shape,
        data: { route: profile.label, verb, action, table, id: gap.idText, parent: gap.parent?.table ?? "parent" },
        fix,
        ...(replacement ? { replacement } : {}),
        severity: critical ? "critical" : "high",
        ...(sem.restsOnNamesAlone(gap.op.file, gap.op.call) ? { confidence: "likely" as const } : {}),
      });
    }
  },
});
