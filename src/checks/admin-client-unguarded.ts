import { adminClientCreations, callersOf, hasAdminCheckBefore, isAdminClientFactory } from "../review/analysis/admin-clients.js";
import { startLineOf, statementOf } from "../review/analysis/value-trace.js";
import type { FunctionFact } from "../review/analysis/facts.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { defineCheck } from "./define-check.js";
import { insertBefore } from "./fixes.js";

/**
 * A service-role (admin) client created inside a function that never checked the caller is an
 * admin: whoever reaches the function gets queries that bypass row-level security.
 */

type MessageId = "unguarded";

function placeOf(sem: Semantics, fn: FunctionFact): string {
  for (let current: FunctionFact | undefined = fn; current; current = current.parent) {
    const route = sem.routesHandledBy(current)[0];
    if (route) return `${route.method === "ACTION" ? "" : `${route.method} `}${route.urlPath}`;
  }
  let named: FunctionFact | undefined = fn;
  while (named && !named.name) named = named.parent;
  return named?.name ? `\`${named.name}\`` : "this function";
}

/** Every call of the function (or an enclosing one) in the PR is itself behind an admin check. */
function guardedByEveryCaller(sem: Semantics, fn: FunctionFact): boolean {
  for (let current: FunctionFact | undefined = fn; current; current = current.parent) {
    const callers = callersOf(sem, current);
    if (callers.length > 0) return callers.every((c) => hasAdminCheckBefore(sem, c.file, c.call));
  }
  return false;
}

export default defineCheck<MessageId>({
  id: "authz/admin-client-unguarded",
  title: "Admin client created without a prior admin check",
  section: "5 (admin clients behind an admin check)",
  severity: "critical",
  docs: "Flags a service-role / admin SDK client created (or an admin-client factory called) inside a function with no admin check before it; the fix calls `await requireAdmin()` (or `requireRole(\"admin\")`) first, or runs the code inside `withAdmin(fn)`.",
  messages: {
    unguarded:
      "`{{call}}` creates an admin client in {{place}} with no admin check before it: any caller who reaches this code runs queries that bypass row-level security.",
  },
  run({ project, sem, report }) {
    for (const file of project.files) {
      for (const creation of adminClientCreations(sem, file)) {
        const { call } = creation;
        const fn = call.fn;
        if (!fn) continue;
        // A factory's callers are checked, not the factory.
        if (isAdminClientFactory(sem, file, fn)) continue;
        if (hasAdminCheckBefore(sem, file, call)) continue;
        if (guardedByEveryCaller(sem, fn)) continue;
        const statement = statementOf(call.node);
        const statementLine = statement ? startLineOf(statement) : call.line;
        const inFunctionBody = statement !== undefined && statement.parent !== undefined && !statement.parent.getSourceFile().statements.includes(statement);
        const replacement = fn.isAsync && inFunctionBody ? insertBefore(file, statementLine, ["await requireAdmin();"]) : undefined;
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "unguarded",
          data: { call: creation.label, place: placeOf(sem, fn) },
          fix:
            "Check the caller is an admin before creating the client: `await requireAdmin()` (or `await requireRole(session, \"admin\")`) as the first statement, or move the privileged work into `withAdmin(async (admin) => …)` so the client only exists after the check. Use the user-scoped client for everything else.",
          ...(replacement ? { replacement } : {}),
        });
      }
    }
  },
});
