import { ts } from "ts-morph";
import { skipOuterExpressions, type CallFact } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import { queryExpression } from "./route-profile.js";
import type { Semantics } from "./semantics.js";
import { objectLiteralOf, walk } from "./nodes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isBinaryExpression, isCallExpression, isIdentifier, isNoSubstitutionTemplateLiteral, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isStringLiteralLike, isTaggedTemplateExpression, isTemplateExpression, isVariableDeclaration, SyntaxKind } = ts;

/**
 * Updates and deletes with no filter: a change to every row of a table. Read per library from the
 * query's own syntax (Prisma's `where`, a `.where()` in Drizzle, Knex or Kysely chains, a Mongo
 * filter, SQL's `WHERE`), so a filter built in a variable or added conditionally counts as a
 * filter, and only a query that certainly has none is reported.
 */

export interface UnfilteredWrite {
  call: CallFact;
  /** `drizzle`, `prisma`, `knex`, `kysely`, `typeorm`, `mongo`, `sequelize`, `sql`. */
  library: string;
  verb: "update" | "delete";
  table?: string;
  /** The call as written, shortened for a message (`db.delete(notifications)`). */
  text: string;
}

/** Chain methods that filter (or may filter: `modify` runs a callback on the builder) a Knex / Kysely / TypeORM query. */
const FILTER_METHOD = /^(where\w*|andWhere\w*|orWhere\w*|modify|whereRef|having)$/;
/** Paths of code that runs once by design: migrations, seeds and fixtures. */
const ONE_OFF_PATH = /(^|\/)(migrations?|migrate|seeds?|seeders?|seeding|fixtures?)(\/|$)|(^|\/|[._-])seed(er)?s?\.[cm]?[jt]sx?$/i;

export function isOneOffPath(file: AnalysedFile): boolean {
  return file.isMigration || ONE_OFF_PATH.test(file.path);
}

/** An SQL statement's text (template substitutions marked `${}`), or undefined when it is not literal. */
function sqlText(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const inner = skipOuterExpressions(expr);
  if (isStringLiteralLike(inner) || isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  if (isTemplateExpression(inner)) return inner.head.text + inner.templateSpans.map((s) => `\${}${s.literal.text}`).join("");
  if (isTaggedTemplateExpression(inner)) return sqlText(inner.template);
  return undefined;
}

/** `DELETE FROM t` / `UPDATE t SET …` with no `WHERE` and nothing substituted after the table (a filter may be spliced in). */
export function unfilteredSql(text: string): { verb: "update" | "delete"; table: string } | undefined {
  const statement = text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ").trim().replace(/;\s*$/, "");
  // One statement only: a script of several is a migration's or a tool's work.
  if (statement.includes(";")) return undefined;
  const m = /^(delete\s+from|update)\s+((?:only\s+)?[\w."`[\]]+)([\s\S]*)$/i.exec(statement);
  if (!m) return undefined;
  const rest = m[3] ?? "";
  if (/\bwhere\b/i.test(rest) || rest.includes("${}") || m[2]!.includes("${}")) return undefined;
  const verb = /^delete/i.test(m[1]!) ? "delete" : "update";
  if (verb === "update" && !/^\s+set\b/i.test(rest)) return undefined;
  return { verb, table: m[2]!.replace(/^only\s+/i, "").replace(/["`[\]]/g, "") };
}

/** The methods called along a query's chain (`db.delete(t).where(…).returning()` → `returning`, `where`, `delete`); arguments are not the chain. */
function chainMethods(query: ts.Expression): string[] {
  const methods: string[] = [];
  let node: ts.Expression = query;
  for (let i = 0; i < 64; i++) {
    node = skipOuterExpressions(node);
    if (isCallExpression(node)) node = node.expression;
    else if (isPropertyAccessExpression(node)) {
      methods.push(node.name.text);
      node = node.expression;
    } else break;
  }
  return methods;
}

/**
 * When a query is kept in a variable (`let q = db.delete(t).$dynamic()`), whether the function adds a
 * filter to it later (`q = q.where(…)`, `q.where(…)`): a filter built conditionally is a filter.
 */
function variableGetsFilter(query: ts.Expression): boolean | undefined {
  let node: ts.Node = query;
  while (node.parent && (node.parent.kind === SyntaxKind.AwaitExpression || node.parent.kind === SyntaxKind.ParenthesizedExpression)) node = node.parent;
  const parent = node.parent;
  let name: string | undefined;
  if (parent && isVariableDeclaration(parent) && isIdentifier(parent.name)) name = parent.name.text;
  else if (parent && isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(parent.left)) name = parent.left.text;
  if (name === undefined) return undefined;
  let scope: ts.Node = parent!;
  while (scope.parent && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let filtered = false;
  walk(scope, (n) => {
    if (isPropertyAccessExpression(n) && isIdentifier(n.expression) && n.expression.text === name && FILTER_METHOD.test(n.name.text)) filtered = true;
    return filtered ? "stop" : undefined;
  });
  return filtered;
}

/** Whether an object (Prisma/Sequelize options, a Mongo filter) is certainly empty: `{}` or absent. Unknown shapes are not. */
function certainlyEmpty(sem: Semantics, file: AnalysedFile, expr: ts.Expression | undefined): boolean {
  if (!expr) return true;
  const inner = skipOuterExpressions(expr);
  if (inner.kind === SyntaxKind.UndefinedKeyword || (isIdentifier(inner) && inner.text === "undefined")) return true;
  const object = objectLiteralOf(sem, file, inner);
  return object !== undefined && object.properties.length === 0;
}

/** The `key` of an options object (through a `const` it is kept in); `null` when the object has no such key, undefined when its shape is unknown. */
function optionOf(sem: Semantics, file: AnalysedFile, options: ts.Expression | undefined, key: string): ts.Expression | null | undefined {
  if (!options) return null;
  const object = objectLiteralOf(sem, file, options);
  if (!object) return undefined;
  for (const property of object.properties) {
    if (isSpreadAssignment(property)) return undefined;
    const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
    if (name !== key) continue;
    if (isPropertyAssignment(property)) return property.initializer;
    if (isShorthandPropertyAssignment(property)) return property.name;
    return undefined;
  }
  return null;
}

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, " ");
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * A delete of every row followed, in the same function, by an insert into the same table: the
 * table's contents replaced wholesale (a singleton such as an instance licence, a rebuilt cache).
 */
function replacesContents(sem: Semantics, file: AnalysedFile, call: CallFact, table: string | undefined): boolean {
  if (!table || !call.fn) return false;
  return call.fn.calls.some((other) => {
    if (other === call || other.start < call.start) return false;
    const op = sem.dbOperation(file, other);
    return op !== undefined && op.table === table && /^(create|createMany|insert|insertMany|insertOne)$/.test(op.method);
  });
}

/**
 * A table the code reads as a single row (`db.query.onboarding.findFirst()`, `prisma.settings.findFirst()`
 * with no filter): an instance-wide singleton, whose update without a filter is its only update.
 */
export function singletonTable(sem: Semantics, table: string | undefined): boolean {
  if (!table) return false;
  for (const file of sem.project.files) {
    if (!file.text.includes(table)) continue;
    for (const call of file.facts?.calls ?? []) {
      if (call.name !== "findFirst" && call.name !== "findFirstOrThrow") continue;
      const op = sem.dbOperation(file, call);
      if (!op || op.op !== "read" || op.table !== table) continue;
      const options = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
      if (!options || (ts.isObjectLiteralExpression(options) && !options.properties.some((p) => p.name?.getText() === "where"))) return true;
    }
  }
  return false;
}

/** The update or delete this call makes with no filter, or undefined (a filtered, unknown or non-write call). */
export function unfilteredWrite(sem: Semantics, file: AnalysedFile, call: CallFact): UnfilteredWrite | undefined {
  const name = call.name;
  // Kysely: `db.deleteFrom("t").execute()`, `db.updateTable("t").set(x).execute()`.
  if ((name === "deleteFrom" || name === "updateTable") && call.chain.length >= 2 && call.args.length >= 1 && !call.isNew) {
    const query = queryExpression(call);
    const methods = chainMethods(query);
    if (!methods.some((m) => /^execute/.test(m))) return undefined;
    if (methods.some((m) => FILTER_METHOD.test(m))) return undefined;
    return { call, library: "kysely", verb: name === "deleteFrom" ? "delete" : "update", table: sqlText(call.args[0]) ?? call.args[0]!.getText(), text: shortText(call.node) };
  }
  // TypeORM's query builder: `repo.createQueryBuilder().delete().from(E).execute()`.
  if (/^execute$/.test(name) && call.chain.includes("createQueryBuilder") && (call.chain.includes("delete") || call.chain.includes("update"))) {
    if (call.chain.some((m) => FILTER_METHOD.test(m) || m === "whereInIds")) return undefined;
    const verb = call.chain.includes("delete") ? "delete" : "update";
    return { call, library: "typeorm", verb, text: shortText(call.node) };
  }
  // Raw SQL handed to a query method or written as a tagged template.
  const rawText = call.node.kind === SyntaxKind.TaggedTemplateExpression ? sqlText(call.args[0]) : /^(query|execute|exec|run|none|raw|unsafe|\$executeRaw|\$executeRawUnsafe|\$queryRaw|\$queryRawUnsafe)$/.test(name) ? sqlText(call.args[0]) : undefined;
  if (rawText !== undefined) {
    // A fragment handed to a query method is judged at that method's call.
    const parent = call.node.parent;
    if (call.node.kind === SyntaxKind.TaggedTemplateExpression && parent && isCallExpression(parent) && parent.arguments.includes(call.node as ts.Expression)) return undefined;
    const sql = unfilteredSql(rawText);
    return sql ? { call, library: "sql", verb: sql.verb, table: sql.table, text: shortText(call.node) } : undefined;
  }

  const op = sem.dbOperation(file, call);
  if (!op || op.op !== "write") return undefined;
  const table = op.table;
  if (op.library === "drizzle" && (op.method === "update" || op.method === "delete")) {
    const query = queryExpression(call);
    const methods = chainMethods(query);
    if (methods.some((m) => FILTER_METHOD.test(m) || m === "$dynamic")) {
      // `$dynamic()` makes a builder to add filters to: judged by what the function adds to it.
      if (!methods.includes("$dynamic") || methods.some((m) => FILTER_METHOD.test(m))) return undefined;
    }
    const kept = variableGetsFilter(query);
    if (kept === true) return undefined;
    if (op.method === "delete" && replacesContents(sem, file, call, table)) return undefined;
    if (op.method === "update" && singletonTable(sem, table)) return undefined;
    return { call, library: "drizzle", verb: op.method, table, text: shortText(call.node) };
  }
  if (op.library === "prisma" && /^(updateMany|deleteMany|updateManyAndReturn)$/.test(op.method)) {
    const options = call.args[0];
    const where = optionOf(sem, file, options, "where");
    if (where === undefined) return undefined;
    if (where !== null && !certainlyEmpty(sem, file, where)) return undefined;
    if (op.method === "deleteMany" && replacesContents(sem, file, call, table)) return undefined;
    if (op.method.startsWith("update") && singletonTable(sem, table)) return undefined;
    return { call, library: "prisma", verb: op.method.startsWith("delete") ? "delete" : "update", table, text: shortText(call.node) };
  }
  if (op.library === "knex" && /^(update|del|delete)$/.test(op.method)) {
    const query = queryExpression(call);
    if (chainMethods(query).some((m) => FILTER_METHOD.test(m)) || call.chain.some((m) => FILTER_METHOD.test(m))) return undefined;
    if (variableGetsFilter(query) === true) return undefined;
    return { call, library: "knex", verb: op.method === "update" ? "update" : "delete", table, text: shortText(call.node) };
  }
  if (op.library === "mongo" && /^(deleteMany|updateMany)$/.test(op.method)) {
    if (!certainlyEmpty(sem, file, call.args[0])) return undefined;
    // `updateMany()` with no argument at all is not a call any driver accepts; `deleteMany()` is.
    if (op.method === "updateMany" && call.args.length < 2) return undefined;
    return { call, library: "mongo", verb: op.method === "deleteMany" ? "delete" : "update", table, text: shortText(call.node) };
  }
  // Sequelize refuses a `destroy` or `update` without `where` unless told otherwise: `where: {}` and `truncate: true` are that.
  if (op.library === "model" && (op.method === "destroy" || op.method === "update")) {
    const options = op.method === "destroy" ? call.args[0] : call.args[1];
    const truncate = optionOf(sem, file, options, "truncate");
    const where = optionOf(sem, file, options, "where");
    const truncates = truncate !== null && truncate !== undefined && skipOuterExpressions(truncate).kind === SyntaxKind.TrueKeyword;
    if (!truncates && !(where !== null && where !== undefined && certainlyEmpty(sem, file, where))) return undefined;
    return { call, library: "sequelize", verb: op.method === "destroy" ? "delete" : "update", table, text: shortText(call.node) };
  }
  return undefined;
}
