import type { CallFact } from "../review/analysis/facts.js";
import { isAdminPath, queryExpression, routeProfiles } from "../review/analysis/route-profile.js";
import { normTable, ownedTables } from "../review/analysis/ownership.js";
import { isOneOffPath, unfilteredWrite, type UnfilteredWrite } from "../review/analysis/writes.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import type { LineReplacement } from "../review/types.js";
import { replaceNode } from "./fixes.js";
import { defineCheck } from "./define-check.js";

/**
 * An update or delete with no filter: one request changes or removes every row of the table
 * (every user's notifications, every account's settings). Migrations and seeds do this by design.
 */

type MessageId = "unfilteredWrite";

const INTENDED = /all|clear|reset|purge|truncate|wipe|flush|prune|cleanup/i;

const FIX_BY_LIBRARY: Record<string, string> = {
  drizzle: "add `.where(…)` with the rows meant (`.where(eq(table.userId, session.user.id))`)",
  prisma: "give it a `where` naming the rows meant (`{ where: { userId: session.user.id } }`)",
  knex: "add `.where({ … })` with the rows meant before `{{verb}}`",
  kysely: "add `.where(…)` with the rows meant before `.execute()`",
  typeorm: "add `.where(…)` with the rows meant before `.execute()`",
  mongo: "pass a filter naming the documents meant (`{ userId }`), never `{}`",
  sequelize: "give `where` the rows meant, never `{}` or `truncate: true`",
  sql: "add a `WHERE` clause with the rows meant (`WHERE user_id = $1`)",
};

/** `db.delete(t)` → `db.delete(t).where(<the caller filter used on t elsewhere>)`, where every name in it exists at the call. */
function filterReplacement(sem: Semantics, file: AnalysedFile, call: CallFact, write: UnfilteredWrite): LineReplacement | undefined {
  if (!write.table || (write.library !== "drizzle" && write.library !== "prisma")) return undefined;
  const snippet = ownedTables(sem).get(normTable(write.table))?.snippet;
  if (!snippet) return undefined;
  const drizzleForm = /^\w+\(/.test(snippet);
  if ((write.library === "drizzle") !== drizzleForm) return undefined;
  // Every root name the filter uses must be bound where the write is (`session`, `eq`, the table).
  const roots = [...snippet.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)(?=\s*[.(])/g)].map((m) => m[1]!);
  if (roots.some((root) => !sem.project.lookup(file, root, call.node))) return undefined;
  const query = queryExpression(call);
  if (query !== call.node) return undefined;
  if (write.library === "drizzle") return replaceNode(file, call.node, `${call.node.getText()}.where(${snippet})`);
  if (call.args.length > 0) return undefined;
  return replaceNode(file, call.node, `${call.node.getText().replace(/\(\s*\)$/, "")}({ where: { ${snippet} } })`);
}

export default defineCheck<MessageId>({
  id: "mutation/unfiltered-write",
  title: "Update or delete with no filter",
  section: "2, 7 (scoping, mutation safety)",
  severity: "high",
  docs: "Flags an update or delete with no filter — a change to every row — in production code: Drizzle `db.delete(t)`/`db.update(t).set(…)` without `.where`, Prisma `deleteMany()`/`updateMany()` with no or an empty `where`, Knex `del()`/`update()` and Kysely `deleteFrom`/`updateTable` without `where`, TypeORM query-builder deletes, MongoDB `deleteMany({})`, Sequelize `where: {}`, SQL `DELETE`/`UPDATE` without `WHERE` (migrations and seeds exempt); critical in an entry point. The fix adds the filter the change was meant to have.",
  messages: {
    unfilteredWrite: "`{{call}}` {{verb}}s every row of `{{table}}`: it has no filter{{where}}.",
  },
  run({ project, sem, report }) {
    // The routes that reach each call; a table-wide change only role-gated routes reach is an admin's job by design.
    const inRoute = new Map<CallFact, string>();
    const adminOnly = new Map<CallFact, boolean>();
    for (const profile of routeProfiles(sem)) {
      const admin = profile.roleGated || isAdminPath(profile.route);
      for (const r of profile.reached) {
        if (!inRoute.has(r.call) || !admin) inRoute.set(r.call, profile.label);
        adminOnly.set(r.call, (adminOnly.get(r.call) ?? true) && admin);
      }
    }
    for (const file of project.files) {
      if (file.context || !file.facts || isOneOffPath(file)) continue;
      for (const call of file.facts.calls) {
        const write = unfilteredWrite(sem, file, call);
        if (!write || adminOnly.get(call) === true) continue;
        // A function named for clearing everything (`clearAllStatistics`) means it, unless the table holds per-user rows.
        if (INTENDED.test(call.fn?.name ?? "") && !(write.table && ownedTables(sem).get(normTable(write.table))?.private)) continue;
        const route = inRoute.get(call);
        const replacement = filterReplacement(sem, file, call, write);
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "unfilteredWrite",
          data: { call: write.text, verb: write.verb, table: write.table ?? "the table", where: route ? `, and \`${route}\` runs it on every request` : "" },
          fix: `Limit the ${write.verb} to the rows meant: ${(FIX_BY_LIBRARY[write.library] ?? FIX_BY_LIBRARY.sql!).replace("{{verb}}", write.verb === "delete" ? "`.del()`" : "`.update()`")}. If clearing the whole table is intended, do it in a migration or an admin-only job, not in request-serving code.`,
          ...(replacement ? { replacement } : {}),
          severity: route ? "critical" : "high",
          ...(sem.restsOnNamesAlone(file, call) && write.library !== "sql" ? { confidence: "likely" as const } : {}),
        });
      }
    }
  },
});
