import { ts } from "ts-morph";
import type { FieldEvidence } from "../types.js";
import { extractPrismaFields } from "./extract-prisma.js";
import { extractSqlFields } from "./extract-sql.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { ScriptKind, ScriptTarget, SyntaxKind, createSourceFile, forEachChild, getModifiers, isArrayLiteralExpression, isAsExpression, isAwaitExpression, isBinaryExpression, isCallExpression, isComputedPropertyName, isConstructorDeclaration, isIdentifier, isLiteralTypeNode, isMethodDeclaration, isNoSubstitutionTemplateLiteral, isNonNullExpression, isNumericLiteral, isObjectBindingPattern, isObjectLiteralExpression, isParenthesizedExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isPropertySignature, isSatisfiesExpression, isShorthandPropertyAssignment, isStringLiteral, isStringLiteralLike, isTypeAssertionExpression, isTypeReferenceNode, isUnionTypeNode } = ts;

/**
 * Field evidence from one file: the names of properties and columns that hold data, with their
 * owning object where it is known. TypeScript and JavaScript are read in one walk over the
 * compiler's nodes, iterative (an explicit stack), so a deep or huge file cannot overflow the call
 * stack; nodes nested deeper than {@link MAX_DEPTH} are skipped.
 */

export interface ExtractInput {
  path: string;
  text: string;
  language: "ts" | "js" | "sql" | "prisma";
  /** The parsed file when the caller has one (parsing is the expensive part). */
  sourceFile?: ts.SourceFile;
}

/** Nodes deeper than this are not read: real code never nests this far. */
export const MAX_DEPTH = 1_000;
/** How far an ORM argument object is followed into nested relations. */
const MAX_OBJECT_DEPTH = 8;
/** How many calls down a method chain the table (`from('x')`) is looked for. */
const MAX_CHAIN = 32;

export function extractFieldEvidence(file: ExtractInput): FieldEvidence[] {
  switch (file.language) {
    case "sql":
      return dedupe(extractSqlFields(file.path, file.text));
    case "prisma":
      return dedupe(extractPrismaFields(file.path, file.text));
    default:
      // Already deduplicated as it was collected.
      return extractScriptFields(file);
  }
}

function dedupe(fields: readonly FieldEvidence[]): FieldEvidence[] {
  const seen = new Set<string>();
  const out: FieldEvidence[] = [];
  for (const field of fields) {
    const key = `${field.name}\0${field.owner ?? ""}\0${field.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(field);
  }
  return out;
}

function scriptKind(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ScriptKind.TSX;
  if (/\.(?:jsx|js|mjs|cjs)$/i.test(path)) return ScriptKind.JSX;
  return ScriptKind.TS;
}

function parse(file: ExtractInput): ts.SourceFile | undefined {
  if (file.sourceFile) return file.sourceFile;
  try {
    return createSourceFile(file.path, file.text, ScriptTarget.Latest, true, scriptKind(file.path));
  } catch {
    // The parser recurses: a pathologically nested file yields no evidence rather than a crash.
    return undefined;
  }
}

/**
 * 1-based lines of positions asked for in ascending order, as the compiler's line map gives them,
 * without building that map: most files never need one otherwise, and only a few positions are
 * asked for. Up to the first `\r`, U+2028 or U+2029 a line is one more than the `\n`s before the
 * position, counted with `indexOf`; past one, the compiler's own lookup answers.
 */
class LineCounter {
  private readonly text: string;
  /** The first line break other than `\n`; positions up to it are counted here. */
  private readonly simpleEnd: number;
  /** The last position asked for, its line, and where the next `\n` is (-1: none). */
  private position = 0;
  private line = 1;
  private nextNewline: number;

  constructor(private readonly sourceFile: ts.SourceFile) {
    const text = sourceFile.text;
    this.text = text;
    this.nextNewline = text.indexOf("\n");
    let simpleEnd = text.length;
    for (const breakChar of ["\r", "\u2028", "\u2029"]) {
      const at = text.indexOf(breakChar);
      if (at !== -1 && at < simpleEnd) simpleEnd = at;
    }
    this.simpleEnd = simpleEnd;
  }

  lineOf(position: number): number {
    if (position > this.simpleEnd) return this.sourceFile.getLineAndCharacterOfPosition(position).line + 1;
    if (position < this.position) {
      // Not ascending after all: count again from the top.
      this.position = 0;
      this.line = 1;
      this.nextNewline = this.text.indexOf("\n");
    }
    while (this.nextNewline !== -1 && this.nextNewline < position) {
      this.line++;
      this.nextNewline = this.text.indexOf("\n", this.nextNewline + 1);
    }
    this.position = position;
    return this.line;
  }
}

// ── Small node helpers ─────────────────────────────────────────────────────────────────────

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (let i = 0; i < 16; i++) {
    if (
      isParenthesizedExpression(current) ||
      isAsExpression(current) ||
      isNonNullExpression(current) ||
      isSatisfiesExpression(current) ||
      isTypeAssertionExpression(current) ||
      isAwaitExpression(current)
    ) {
      current = current.expression;
    } else if (
      isBinaryExpression(current) &&
      (current.operatorToken.kind === SyntaxKind.QuestionQuestionToken || current.operatorToken.kind === SyntaxKind.BarBarToken)
    ) {
      current = current.left;
    } else {
      break;
    }
  }
  return current;
}

function nameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (isIdentifier(name) || isPrivateIdentifier(name) || isStringLiteral(name) || isNoSubstitutionTemplateLiteral(name)) {
    return name.text;
  }
  if (isNumericLiteral(name)) return undefined;
  if (isComputedPropertyName(name) && isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function stringArgument(node: ts.Node | undefined): string | undefined {
  return node && isStringLiteralLike(node) ? node.text : undefined;
}

/** The last name of `a.b.c` or `c`, for receivers and callees. */
function lastName(expression: ts.Expression): string | undefined {
  if (isIdentifier(expression)) return expression.text;
  if (isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

/** The identifier a `a.b.c(...)` chain starts from. */
function chainRoot(expression: ts.Expression): string | undefined {
  let current = expression;
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (isIdentifier(current)) return current.text;
    if (isPropertyAccessExpression(current) || isCallExpression(current)) current = current.expression;
    else return undefined;
  }
  return undefined;
}

/** `intakeSchema` → `intake`, `patientUpdateSchema` → `patientUpdate`. */
function ownerFromVariable(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const stripped = name.replace(/(?:Schema|Validator|Shape|Zod|Model|Table)$/, "");
  return stripped.length > 0 ? stripped : name;
}

const PRISMA_METHODS = new Set([
  "create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "findUnique",
  "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "delete", "deleteMany", "count", "aggregate", "groupBy",
]);
const PRISMA_WRITE_KEYS = new Set(["data", "create", "update"]);
const PRISMA_READ_KEYS = new Set(["select", "include", "omit"]);
/** Keys inside a Prisma argument that wrap fields rather than name them. */
const PRISMA_NESTED_KEYS = new Set([
  "data", "create", "update", "upsert", "connect", "connectOrCreate", "set", "select", "include", "omit", "where",
  "AND", "OR", "NOT", "some", "every", "none", "is", "isNot", "createMany", "updateMany", "deleteMany", "delete",
  "disconnect", "orderBy", "_count",
]);
/** Filter operators: `{ email: { contains: q } }` filters on `email`. */
const FILTER_OPERATORS = new Set([
  "equals", "not", "in", "notIn", "lt", "lte", "gt", "gte", "contains", "startsWith", "endsWith", "mode", "has",
  "hasSome", "hasEvery", "isEmpty", "search", "path", "array_contains", "string_contains",
]);
const WRITE_METHODS = new Set([
  "insert", "update", "upsert", "values", "set", "insertOne", "insertMany", "updateOne", "updateMany", "replaceOne",
  "findOneAndUpdate", "bulkCreate",
]);
/** Calls that name the table a query-builder chain works on. */
const TABLE_CALLS = new Set(["from", "table", "into", "collection", "insertInto", "updateTable", "insert", "update", "model", "getRepository"]);
const MODEL_CREATE_METHODS = new Set(["create", "bulkCreate", "build", "insertMany", "insertOne"]);
const DRIZZLE_TABLES = new Set(["pgTable", "mysqlTable", "sqliteTable", "singlestoreTable", "table"]);
const ZOD_OBJECTS = new Set(["object", "strictObject", "looseObject"]);
/** Variable names that hold a projection: `patientSelect` lists fields read from `patient` (no suffix ends another). */
const PROJECTION_SUFFIXES = ["Select", "Selection", "Projection", "Fields", "Columns", "Attributes", "Include"];
/**
 * Every callee name a rule in {@link visitCall} reads (the last name of `a.b.method(...)` or a bare
 * `pgTable(...)`): a call named anything else yields nothing, and one lookup skips it.
 */
const CALL_NAMES: ReadonlySet<string> = new Set([
  ...ZOD_OBJECTS, "extend", "merge", "safeExtend", ...DRIZZLE_TABLES, ...PRISMA_METHODS, ...MODEL_CREATE_METHODS,
  ...WRITE_METHODS, "select", "returning", "pluck", "columns", "get", "getAll",
]);

// ── The walk ───────────────────────────────────────────────────────────────────────────────

interface Frame {
  node: ts.Node;
  depth: number;
  /** The nearest enclosing declared name (variable, type alias, property): a default owner. */
  hint: string | undefined;
}

/** A field as the walk finds it; its line is looked up only if it survives deduplication. */
interface Found {
  name: string;
  owner: string | undefined;
  source: string;
  node: ts.Node;
  /** `node.pos`: orders fields as their start positions do (see {@link FieldCollector.add}). */
  pos: number;
  /** The order of the `add` call, which breaks ties between fields at one position. */
  order: number;
  /** The next entry filed under the same name and owner (another source). */
  next: Found | undefined;
}

/** Source order: by position, then by the order they were added in. */
function compareFound(a: Found, b: Found): number {
  return a.pos - b.pos || a.order - b.order;
}

class FieldCollector {
  /** One entry per name, owner and source: the first in source order (the one dedupe keeps). */
  private readonly found: Found[] = [];
  /**
   * The entries by owner, then name; one name and owner seen from several sources are chained
   * (there are a handful of sources).
   */
  private readonly byOwner = new Map<string, Map<string, Found>>();
  private count = 0;

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly path: string,
  ) {}

  /**
   * Records a field, deduplicated as it goes: a name, owner and source seen before keeps whichever
   * of the two comes first in the file. Fields are ordered by `node.pos` rather than the start
   * `getStart()` finds by skipping trivia: a node's full start is the end of the token before it,
   * so two nodes' starts are ordered as their full starts are (and equal when those are equal),
   * and the trivia scan and line lookup are left to the few fields that survive.
   */
  add(name: string | undefined, node: ts.Node, source: string, owner: string | undefined): void {
    if (!name || name.length === 0) return;
    const order = this.count++;
    const ownerKey = owner ?? "";
    let byName = this.byOwner.get(ownerKey);
    if (!byName) {
      byName = new Map();
      this.byOwner.set(ownerKey, byName);
    }
    const head = byName.get(name);
    for (let entry = head; entry; entry = entry.next) {
      if (entry.source !== source) continue;
      if (node.pos < entry.pos) {
        // An outer call is visited before the calls it chains on, which come earlier in the file.
        entry.name = name;
        entry.owner = owner;
        entry.node = node;
        entry.pos = node.pos;
        entry.order = order;
      }
      return;
    }
    const entry: Found = { name, owner, source, node, pos: node.pos, order, next: head };
    byName.set(name, entry);
    this.found.push(entry);
  }

  /** The fields in source order, deduplicated (the walk meets an outer call before the calls it chains on). */
  fields(): FieldEvidence[] {
    const found = this.found;
    if (found.length === 0) return [];
    // Mostly in order already (fields of a chained call are the exception): sort only when not.
    for (let i = 1; i < found.length; i++) {
      if (compareFound(found[i - 1] as Found, found[i] as Found) > 0) {
        found.sort(compareFound);
        break;
      }
    }
    const lines = new LineCounter(this.sourceFile);
    return found.map(({ name, owner, source, node }) => {
      const line = lines.lineOf(node.getStart(this.sourceFile));
      return owner ? { name, path: this.path, line, source, owner } : { name, path: this.path, line, source };
    });
  }

  /** Property signatures of an interface or type literal. */
  members(members: ts.NodeArray<ts.TypeElement>, owner: string | undefined): void {
    for (const member of members) {
      if (isPropertySignature(member)) this.add(nameText(member.name), member.name, "type", owner);
    }
  }

  /** Keys of an object literal, each as a field. */
  objectKeys(object: ts.ObjectLiteralExpression, source: string, owner: string | undefined): void {
    for (const property of object.properties) {
      if (isPropertyAssignment(property) || isShorthandPropertyAssignment(property) || isMethodDeclaration(property)) {
        this.add(nameText(property.name), property.name, source, owner);
      }
    }
  }

  /** Fields of a Prisma argument object, following nested relations (`patient: { select: {...} }`). */
  prismaObject(value: ts.Expression, source: string, owner: string | undefined, depth: number): void {
    if (depth > MAX_OBJECT_DEPTH) return;
    const expression = unwrap(value);
    if (isArrayLiteralExpression(expression)) {
      for (const element of expression.elements) this.prismaObject(element, source, owner, depth + 1);
      return;
    }
    if (!isObjectLiteralExpression(expression)) return;
    for (const property of expression.properties) {
      if (!isPropertyAssignment(property) && !isShorthandPropertyAssignment(property)) continue;
      const key = nameText(property.name);
      if (!key) continue;
      const inner = isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
      if (PRISMA_NESTED_KEYS.has(key)) {
        if (inner) this.prismaObject(inner, source, owner, depth + 1);
        continue;
      }
      if (inner && isObjectLiteralExpression(inner)) {
        const keys = inner.properties.map((p) => nameText(p.name)).filter((k): k is string => k !== undefined);
        if (keys.length > 0 && keys.every((k) => FILTER_OPERATORS.has(k))) {
          this.add(key, property.name, source, owner);
        } else {
          // A relation: its fields belong to the related model.
          this.prismaObject(inner, source, key, depth + 1);
        }
        continue;
      }
      this.add(key, property.name, source, owner);
    }
  }

  /** Write payloads: an object, an array of objects, or Mongo's `{ $set: {...} }`. */
  writePayload(value: ts.Expression | undefined, owner: string | undefined, depth = 0): void {
    if (!value || depth > 2) return;
    const expression = unwrap(value);
    if (isArrayLiteralExpression(expression)) {
      for (const element of expression.elements) {
        const item = unwrap(element);
        if (isObjectLiteralExpression(item)) this.objectKeys(item, "storage-write", owner);
      }
    } else if (isObjectLiteralExpression(expression)) {
      const operators = expression.properties.filter((p) => nameText(p.name)?.startsWith("$"));
      if (operators.length > 0) {
        for (const operator of operators) {
          if (isPropertyAssignment(operator)) this.writePayload(operator.initializer, owner, depth + 1);
        }
      } else {
        this.objectKeys(expression, "storage-write", owner);
      }
    }
  }

  /** Columns of a select string: `'id, role, profile:profiles(full_name, email)'`. */
  selectString(columns: string, node: ts.Node, owner: string | undefined): void {
    let depth = 0;
    let start = 0;
    const owners: (string | undefined)[] = [owner];
    const flush = (end: number) => {
      const item = columns.slice(start, end).trim();
      start = end + 1;
      if (item.length === 0 || item === "*" || /\(\s*\)$/.test(item)) return;
      const column = item.split(":").pop()?.split("::")[0]?.split(/->>?/)[0]?.trim().replace(/^"|"$/g, "");
      if (column && /^[A-Za-z_][\w$]*$/.test(column)) this.add(column, node, "storage-read", owners[owners.length - 1]);
    };
    for (let i = 0; i < columns.length && i < 10_000; i++) {
      const ch = columns[i];
      if (ch === "(") {
        const relation = columns.slice(start, i).trim().split(":").pop()?.split("!")[0]?.trim();
        if (depth < 16) owners.push(relation && relation.length > 0 ? relation : owners[owners.length - 1]);
        depth++;
        start = i + 1;
      } else if (ch === ")") {
        flush(i);
        if (owners.length > 1) owners.pop();
        depth = Math.max(0, depth - 1);
        start = i + 1;
      } else if (ch === ",") {
        flush(i);
      }
    }
    flush(columns.length);
  }
}

/**
 * The table a query-builder chain works on: `supabase.from('t')`, `knex('t')`, `db.insert(users)`.
 * A string table name anywhere down the chain wins over an identifier (`insert(row)` is a payload
 * in Supabase, a table in Drizzle).
 */
function tableFromChain(expression: ts.Expression): string | undefined {
  let current: ts.Expression = expression;
  let identifierTable: string | undefined;
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (isCallExpression(current)) {
      const callee = current.expression;
      const first = current.arguments[0];
      if (isPropertyAccessExpression(callee) && TABLE_CALLS.has(callee.name.text) && first) {
        const literal = stringArgument(first);
        if (literal) return literal;
        if (isIdentifier(first)) identifierTable ??= first.text;
      }
      if (isIdentifier(callee) && first) {
        const literal = stringArgument(first);
        if (literal) return literal;
      }
      current = callee;
    } else if (isPropertyAccessExpression(current)) {
      current = current.expression;
    } else if (isIdentifier(current)) {
      // A model class (`User.update({...})`), never a client (`supabase`, `db`).
      return identifierTable ?? (/^[A-Z][a-z]/.test(current.text) ? current.text : undefined);
    } else {
      return identifierTable;
    }
  }
  return identifierTable;
}

/** Whether an initializer is a request's parsed body (or query): what a destructuring reads. */
function requestSource(initializer: ts.Expression): string | undefined {
  const expression = unwrap(initializer);
  if (isPropertyAccessExpression(expression)) {
    const name = expression.name.text;
    const receiver = lastName(expression.expression) ?? "";
    if (name === "body") return "request-body";
    if (name === "query" && /^(?:req|request|ctx|context|c)$/i.test(receiver)) return "request-query";
    if (name === "data" && /pars|valid|result|input|payload|body|form|submission/i.test(receiver)) return "request-body";
    return undefined;
  }
  if (isCallExpression(expression) && isPropertyAccessExpression(expression.expression)) {
    const method = expression.expression.name.text;
    const receiver = expression.expression.expression;
    const receiverName = lastName(receiver) ?? "";
    if ((method === "json" || method === "formData") && /^(?:req|request|ctx|context|c|r)$/i.test(receiverName)) return "request-body";
    if (method === "valid" && receiverName === "req") return "request-body";
    if ((method === "parse" || method === "parseAsync") && /(?:schema|validator|body|input)$/i.test(receiverName)) return "request-body";
  }
  return undefined;
}

function isZodRoot(name: string | undefined): boolean {
  return name === "z" || name === "zod";
}

function isZodObjectCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (ZOD_OBJECTS.has(method)) {
    return isZodRoot(chainRoot(callee.expression));
  }
  if (method === "extend" || method === "merge" || method === "safeExtend") {
    const shape = call.arguments[0];
    if (!shape || !isObjectLiteralExpression(shape)) return false;
    return shape.properties.some(
      (p) => isPropertyAssignment(p) && isCallExpression(unwrap(p.initializer)) && isZodRoot(chainRoot(unwrap(p.initializer))),
    );
  }
  return false;
}

function visitCall(call: ts.CallExpression, hint: string | undefined, out: FieldCollector): void {
  const callee = call.expression;
  const calleeName = lastName(callee);
  if (calleeName === undefined || !CALL_NAMES.has(calleeName)) return;
  const first = call.arguments[0];

  // zod: z.object({...}) and schema.extend({...})
  if (first && isObjectLiteralExpression(first) && isZodObjectCall(call)) {
    out.objectKeys(first, "zod", ownerFromVariable(hint));
    return;
  }

  // Drizzle tables: pgTable('support_tickets', { customerEmail: text('customer_email') })
  if (DRIZZLE_TABLES.has(calleeName)) {
    const table = stringArgument(first);
    const columns = call.arguments[1];
    if (table && columns && isObjectLiteralExpression(columns)) out.objectKeys(columns, "drizzle", table);
    return;
  }

  if (!isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const receiver = callee.expression;

  // Prisma: prisma.patient.create({ data: {...}, select: {...}, where: {...} })
  if (PRISMA_METHODS.has(method) && isPropertyAccessExpression(receiver) && first && isObjectLiteralExpression(first)) {
    const owner = receiver.name.text;
    for (const property of first.properties) {
      if (!isPropertyAssignment(property)) continue;
      const key = nameText(property.name) ?? "";
      if (PRISMA_WRITE_KEYS.has(key)) out.prismaObject(property.initializer, "storage-write", owner, 0);
      else if (PRISMA_READ_KEYS.has(key)) out.prismaObject(property.initializer, "storage-read", owner, 0);
      else if (key === "where") out.prismaObject(property.initializer, "query", owner, 0);
    }
    return;
  }

  // Model classes: User.create({ email }) (Sequelize, Mongoose)
  if (MODEL_CREATE_METHODS.has(method) && isIdentifier(receiver) && /^[A-Z][a-z]/.test(receiver.text)) {
    out.writePayload(first, receiver.text);
    return;
  }

  // Query builders: .from('t').insert({...}), knex('t').update({...}), db.insert(t).values({...}), .set({...})
  if (WRITE_METHODS.has(method)) {
    const payloadIndex = /^(?:update(?:One|Many)|replaceOne|findOneAndUpdate)$/.test(method) ? 1 : 0;
    const payload = call.arguments[payloadIndex] ?? first;
    const table = tableFromChain(receiver);
    if (table && payload) {
      const object = unwrap(payload);
      // Prisma-shaped arguments are read above; never count `data`/`where` as columns.
      const prismaShaped =
        isObjectLiteralExpression(object) &&
        object.properties.some((p) => ["data", "where", "select"].includes(nameText(p.name) ?? ""));
      if (!prismaShaped) out.writePayload(payload, table);
    }
    return;
  }

  // Column lists: supabase .select('id, email'), knex .select('id', 'email'), drizzle db.select({ id: t.id })
  if (method === "select" || method === "returning" || method === "pluck" || method === "columns") {
    const table = tableFromChain(receiver);
    for (const argument of call.arguments) {
      const text = stringArgument(argument);
      if (text !== undefined) out.selectString(text, argument, table);
    }
    if (method === "select" && first && isObjectLiteralExpression(first)) {
      const sample = first.properties.find(isPropertyAssignment);
      const owner = sample && isPropertyAccessExpression(unwrap(sample.initializer)) ? chainRoot(unwrap(sample.initializer)) : table;
      out.objectKeys(first, "storage-read", owner);
    }
    return;
  }

  // Form and query parameters: formData.get('email'), searchParams.get('next')
  if ((method === "get" || method === "getAll") && first) {
    const field = stringArgument(first);
    const receiverName = lastName(receiver) ?? "";
    if (field && /form/i.test(receiverName)) out.add(field, first, "request-body", undefined);
    else if (field && /searchParams|query/i.test(receiverName)) out.add(field, first, "request-query", undefined);
  }
}

/** `const { email, password } = req.body`, nested patterns included (owner: the nested key). */
function visitBinding(pattern: ts.ObjectBindingPattern, source: string, owner: string | undefined, out: FieldCollector, depth = 0): void {
  if (depth > MAX_OBJECT_DEPTH) return;
  for (const element of pattern.elements) {
    if (element.dotDotDotToken) continue;
    const key = nameText(element.propertyName) ?? nameText(element.name);
    if (isObjectBindingPattern(element.name)) {
      visitBinding(element.name, source, key, out, depth + 1);
    } else {
      out.add(key, element.propertyName ?? element.name, source, owner);
    }
  }
}

function visitVariable(declaration: ts.VariableDeclaration, out: FieldCollector): void {
  const initializer = declaration.initializer;
  if (!initializer) return;
  if (isObjectBindingPattern(declaration.name)) {
    const source = requestSource(initializer);
    if (source) visitBinding(declaration.name, source, undefined, out);
    return;
  }
  if (!isIdentifier(declaration.name)) return;
  // const patientSelect = { dob: true, notes: true } → fields read from `patient`
  const owner = projectionOwner(declaration.name.text);
  if (!owner) return;
  const value = unwrap(initializer);
  if (isObjectLiteralExpression(value)) out.prismaObject(value, "storage-read", owner, 0);
  else if (isArrayLiteralExpression(value)) {
    for (const element of value.elements) out.add(stringArgument(element), element, "storage-read", owner);
  }
}

/** `patientSelect` → `patient`; undefined when the name is no projection (or only a suffix). */
function projectionOwner(name: string): string | undefined {
  for (const suffix of PROJECTION_SUFFIXES) {
    if (name.length > suffix.length && name.endsWith(suffix)) return name.slice(0, name.length - suffix.length);
  }
  return undefined;
}

/** The hint a node passes to its children. */
function childHint(node: ts.Node, hint: string | undefined): string | undefined {
  switch (node.kind) {
    case SyntaxKind.VariableDeclaration:
    case SyntaxKind.PropertyAssignment:
    case SyntaxKind.PropertySignature:
    case SyntaxKind.PropertyDeclaration:
    case SyntaxKind.TypeAliasDeclaration:
    case SyntaxKind.InterfaceDeclaration:
    case SyntaxKind.ClassDeclaration:
      return nameText((node as ts.NamedDeclaration).name as ts.PropertyName | undefined) ?? hint;
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.Block:
    case SyntaxKind.ExpressionStatement:
    case SyntaxKind.Parameter:
      return undefined;
    default:
      return hint;
  }
}

function visit(node: ts.Node, hint: string | undefined, out: FieldCollector): void {
  switch (node.kind) {
    case SyntaxKind.InterfaceDeclaration: {
      const declaration = node as ts.InterfaceDeclaration;
      out.members(declaration.members, declaration.name.text);
      return;
    }
    case SyntaxKind.TypeLiteral:
      out.members((node as ts.TypeLiteralNode).members, hint);
      return;
    case SyntaxKind.ClassDeclaration:
    case SyntaxKind.ClassExpression: {
      const declaration = node as ts.ClassLikeDeclaration;
      const owner = declaration.name?.text ?? hint;
      for (const member of declaration.members) {
        if (isPropertyDeclaration(member)) out.add(nameText(member.name), member.name, "type", owner);
        else if (isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) {
            if (getModifiers(parameter)?.length) out.add(nameText(parameter.name), parameter.name, "type", owner);
          }
        }
      }
      return;
    }
    case SyntaxKind.TypeReference: {
      // Pick<Patient, 'firstName' | 'phone'> → fields of Patient
      // (Most references have no type arguments: that is read off the node before its name is.)
      const reference = node as ts.TypeReferenceNode;
      const target = reference.typeArguments?.[0];
      const keys = reference.typeArguments?.[1];
      if (!target || !keys) return;
      const typeName = isIdentifier(reference.typeName) ? reference.typeName.text : reference.typeName.right.text;
      if (typeName !== "Pick") return;
      const owner = isTypeReferenceNode(target)
        ? isIdentifier(target.typeName)
          ? target.typeName.text
          : target.typeName.right.text
        : undefined;
      const literals = isUnionTypeNode(keys) ? keys.types : [keys];
      for (const literal of literals) {
        if (isLiteralTypeNode(literal) && isStringLiteral(literal.literal)) out.add(literal.literal.text, literal, "type", owner);
      }
      return;
    }
    case SyntaxKind.CallExpression:
      visitCall(node as ts.CallExpression, hint, out);
      return;
    case SyntaxKind.NewExpression: {
      // Mongoose: new Schema({ email: String }) → owner from the variable (`userSchema` → user)
      const expression = node as ts.NewExpression;
      const first = expression.arguments?.[0];
      if (lastName(expression.expression) === "Schema" && first && isObjectLiteralExpression(first)) {
        out.objectKeys(first, "schema", ownerFromVariable(hint));
      }
      return;
    }
    case SyntaxKind.VariableDeclaration:
      visitVariable(node as ts.VariableDeclaration, out);
      return;
    case SyntaxKind.PropertyAccessExpression: {
      // req.body.email
      const access = node as ts.PropertyAccessExpression;
      const inner = access.expression;
      if (
        isPropertyAccessExpression(inner) &&
        inner.name.text === "body" &&
        /^(?:req|request|ctx)$/.test(lastName(inner.expression) ?? "")
      ) {
        out.add(access.name.text, access.name, "request-body", undefined);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Field extraction driven by someone else's walk: the analysis's one walk of each tree calls
 * {@link ScriptFieldWalker.visit} for every node at depth ≤ {@link MAX_DEPTH} (in source order) and
 * passes {@link ScriptFieldWalker.childHint} down, so classification never walks a tree a second time.
 */
/** Node kinds {@link visit} reads (a lookup table, so a driving walk skips the call for every other node). */
export const FIELD_VISIT_KINDS: Uint8Array = kindTable([
  SyntaxKind.InterfaceDeclaration,
  SyntaxKind.TypeLiteral,
  SyntaxKind.ClassDeclaration,
  SyntaxKind.ClassExpression,
  SyntaxKind.TypeReference,
  SyntaxKind.CallExpression,
  SyntaxKind.NewExpression,
  SyntaxKind.VariableDeclaration,
  SyntaxKind.PropertyAccessExpression,
]);

/** Node kinds whose children get a hint other than their own ({@link childHint}'s non-default cases). */
export const FIELD_HINT_KINDS: Uint8Array = kindTable([
  SyntaxKind.VariableDeclaration,
  SyntaxKind.PropertyAssignment,
  SyntaxKind.PropertySignature,
  SyntaxKind.PropertyDeclaration,
  SyntaxKind.TypeAliasDeclaration,
  SyntaxKind.InterfaceDeclaration,
  SyntaxKind.ClassDeclaration,
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Block,
  SyntaxKind.ExpressionStatement,
  SyntaxKind.Parameter,
]);

function kindTable(kinds: readonly ts.SyntaxKind[]): Uint8Array {
  const table = new Uint8Array(SyntaxKind.Count + 1);
  for (const kind of kinds) table[kind] = 1;
  return table;
}

export interface ScriptFieldWalker {
  visit(node: ts.Node, hint: string | undefined): void;
  childHint(node: ts.Node, hint: string | undefined): string | undefined;
  /** The evidence, in source order, deduplicated (what {@link extractFieldEvidence} returns for the file). */
  finish(): FieldEvidence[];
}

export function scriptFieldWalker(sourceFile: ts.SourceFile, path: string): ScriptFieldWalker {
  const out = new FieldCollector(sourceFile, path);
  return {
    visit: (node, hint) => visit(node, hint, out),
    childHint,
    finish: () => out.fields(),
  };
}

function extractScriptFields(file: ExtractInput): FieldEvidence[] {
  const sourceFile = parse(file);
  if (!sourceFile) return [];
  const out = new FieldCollector(sourceFile, file.path);
  const stack: Frame[] = [{ node: sourceFile, depth: 0, hint: undefined }];
  const children: ts.Node[] = [];
  while (stack.length > 0) {
    const frame = stack.pop();
    if (!frame) break;
    const { node, depth, hint } = frame;
    visit(node, hint, out);
    if (depth >= MAX_DEPTH) continue;
    const next = childHint(node, hint);
    children.length = 0;
    forEachChild(node, (child) => {
      children.push(child);
    });
    // Reversed, so the stack pops children in source order.
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push({ node: child, depth: depth + 1, hint: next });
    }
  }
  return out.fields();
}
