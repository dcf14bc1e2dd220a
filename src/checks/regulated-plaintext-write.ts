import { ts } from "ts-morph";
import { dataflowOf, isLiteral, ownerContextAt, type Dataflow } from "../review/analysis/dataflow.js";
import { chainOf, skipOuterExpressions } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { DbOperation, Semantics } from "../review/analysis/semantics.js";
import { normaliseName } from "../review/classification/normalise.js";
import type { LineReplacement } from "../review/types.js";
import { objectLiteralOf } from "../review/analysis/nodes.js";
import { defineCheck } from "./define-check.js";
import { replaceNodes } from "./fixes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isArrayLiteralExpression, isIdentifier, isNumericLiteral, isObjectLiteralExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isStringLiteralLike, isTaggedTemplateExpression, isTemplateExpression } = ts;

/** Regulated data (PHI, SSNs, card and bank numbers) must be KMS-encrypted before it reaches a table. */

type MessageId = "plaintextWrite";

interface PlaintextField {
  /** The column written (`ssn`, `notes`). */
  column: string;
  /** What makes it regulated (`ssn`, `diagnosis`, `free text on a patient record`). */
  reason: string;
  category?: string;
  property?: ts.ObjectLiteralElementLike;
  value?: ts.Expression;
}

/** Column names that say they hold ciphertext or a one-way digest. */
function isCiphertextColumn(name: string): boolean {
  const tokens = normaliseName(name);
  const last = tokens[tokens.length - 1] ?? "";
  return /^(ciphertext|cipher|encrypted|enc|sealed|hash|hashed|digest|hmac|fingerprint|blob)$/.test(last) || tokens[0] === "encrypted";
}

function propertyName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (isIdentifier(name) || isStringLiteralLike(name) || isNumericLiteral(name)) return name.text;
  return undefined;
}


/** The values objects a write stores: Prisma `data` / `create` / `update`, `.insert(x)`, `.set(x)`, arrays of rows. */
function valuesOf(sem: Semantics, file: AnalysedFile, op: DbOperation): ts.Expression[] {
  const out: ts.Expression[] = [];
  if (op.library === "prisma") {
    const arg = objectLiteralOf(sem, file, op.call.args[0]);
    for (const property of arg?.properties ?? []) {
      if (isPropertyAssignment(property) && /^(data|create|update)$/.test(propertyName(property.name) ?? "")) out.push(property.initializer);
    }
  } else if (op.library === "mongo" && /^insert/.test(op.method)) {
    if (op.call.args[0]) out.push(op.call.args[0]);
  } else if (op.values) out.push(op.values);
  return out.flatMap((v) => {
    const inner = skipOuterExpressions(v);
    return isArrayLiteralExpression(inner) ? [...inner.elements] : [v];
  });
}

function plaintextFields(flow: Dataflow, file: AnalysedFile, values: ts.Expression, owner: string, depth = 0): PlaintextField[] {
  const out: PlaintextField[] = [];
  const object = objectLiteralOf(flow.sem, file, values);
  if (!object) {
    // A whole validated payload or record stored as is (`data: parsed.data`).
    const value = flow.valueOf(file, values);
    if (value.encrypted) return out;
    for (const payload of value.payloads) {
      for (const key of payload.keys) {
        const c = flow.classify(key, owner);
        if (c?.tier === "regulated") out.push({ column: key, reason: c.reason, category: c.category });
      }
    }
    for (const field of flow.personalFields(value)) {
      if (field.tier === "regulated" && !isCiphertextColumn(field.name)) out.push({ column: field.name, reason: field.reason, category: field.category });
    }
    return out;
  }
  for (const property of object.properties) {
    if (isSpreadAssignment(property)) {
      out.push(...plaintextFields(flow, file, property.expression, owner, depth + 1).map((f) => ({ ...f, property })));
      continue;
    }
    if (!isPropertyAssignment(property) && !isShorthandPropertyAssignment(property)) continue;
    const column = propertyName(property.name);
    if (!column) continue;
    const valueExpr = isPropertyAssignment(property) ? property.initializer : property.name;
    if (isLiteral(valueExpr)) continue;
    const inner = skipOuterExpressions(valueExpr);
    // Nested writes: `profile: { create: { ssn } }`.
    if (isObjectLiteralExpression(inner) && depth < 3) {
      const nestedOwner = /^(create|update|upsert|set|connectOrCreate|data|\$set|\$setOnInsert|\$push|\$addToSet)$/.test(column) ? owner : column;
      out.push(...plaintextFields(flow, file, inner, nestedOwner, depth + 1));
      continue;
    }
    const value = flow.valueOf(file, valueExpr);
    if (value.encrypted || value.sanitised) continue;
    if (isCiphertextColumn(column)) {
      // A ciphertext column is fine unless a regulated field goes into it as is.
      const leaked = flow.personalFields(value).find((f) => f.tier === "regulated" && !isCiphertextColumn(f.name));
      if (leaked) out.push({ column, reason: `\`${leaked.name}\` stored as is in a ciphertext column`, property, value: valueExpr });
      continue;
    }
    const c = flow.classify(column, owner);
    if (c?.tier === "regulated") {
      out.push({ column, reason: c.reason, category: c.category, property, value: valueExpr });
      continue;
    }
    // A value carries regulated data when its field is regulated on the destination too: a user's
    // display name stays a display name on the `users` table, even in a PR that handles PHI elsewhere.
    const carried = flow.personalFields(value).find((f) => f.tier === "regulated" && !isCiphertextColumn(f.name) && flow.classify(f.name, owner)?.tier === "regulated");
    if (carried) out.push({ column, reason: `it holds \`${carried.name}\` (${carried.reason})`, category: carried.category, property, value: valueExpr });
  }
  return out;
}

/** Raw SQL: `insert into t (a, b) values ($1, $2)` / `update t set a = $1`, with the parameters array. */
function sqlPlaintextFields(flow: Dataflow, file: AnalysedFile, op: DbOperation, owner: string): PlaintextField[] {
  const first = op.call.args[0] ? skipOuterExpressions(op.call.args[0]) : undefined;
  if (!first) return [];
  // A query string with its parameters array, or a template (tagged `sql\`…\`` or interpolated) whose
  // interpolations are the parameters: each becomes `$1`, `$2`… in the statement's text.
  const template = isTaggedTemplateExpression(first) ? first.template : first;
  let text: string;
  let params: readonly ts.Expression[] | undefined;
  if (isStringLiteralLike(template)) {
    text = template.text;
    const list = op.call.args[1] ? skipOuterExpressions(op.call.args[1]) : undefined;
    params = list && isArrayLiteralExpression(list) ? list.elements : undefined;
  } else if (isTemplateExpression(template)) {
    text = template.head.text + template.templateSpans.map((span, i) => `$${i + 1}${span.literal.text}`).join("");
    params = template.templateSpans.map((span) => span.expression);
  } else return [];
  const paramAt = (placeholder: string, ordinal: number): ts.Expression | undefined => {
    if (!params) return undefined;
    const n = /^\$(\d+)$/.exec(placeholder);
    return params[n ? Number(n[1]) - 1 : ordinal];
  };
  const pairs: Array<{ column: string; placeholder: string }> = [];
  const insert = /insert\s+into\s+[\w."]+\s*\(([^)]*)\)\s*values\s*\(([^)]*)\)/i.exec(text);
  if (insert) {
    const columns = insert[1]!.split(",").map((c) => c.trim().replace(/"/g, ""));
    const values = insert[2]!.split(",").map((v) => v.trim());
    columns.forEach((column, i) => pairs.push({ column, placeholder: values[i] ?? "" }));
  }
  const update = /update\s+[\w."]+\s+set\s+(.*?)(\s+where\b|$)/is.exec(text);
  if (update) {
    for (const assignment of update[1]!.split(",")) {
      const [column, value] = assignment.split("=").map((p) => p.trim().replace(/"/g, ""));
      if (column && value) pairs.push({ column, placeholder: value });
    }
  }
  const out: PlaintextField[] = [];
  let ordinal = 0;
  for (const { column, placeholder } of pairs) {
    const isParam = /^(\$\d+|\?)$/.test(placeholder);
    const value = isParam ? paramAt(placeholder, ordinal++) : undefined;
    if (!isParam || isCiphertextColumn(column)) continue;
    const flowValue = value ? flow.valueOf(file, value) : undefined;
    if (flowValue && (flowValue.encrypted || flowValue.sanitised)) continue;
    if (value && isLiteral(value)) continue;
    const c = flow.classify(column, owner);
    if (c?.tier === "regulated") out.push({ column, reason: c.reason, category: c.category, ...(value ? { value } : {}) });
  }
  return out;
}

/** The project's encrypt helper, when the file imports one: the suggestion must compile. */
function encryptHelper(sem: Semantics, file: AnalysedFile): string | undefined {
  for (const [local, imp] of file.facts?.imports ?? []) {
    if (imp.typeOnly) continue;
    if (sem.project.config.functions.encrypt.includes(local) || /^(encrypt|seal)[A-Z]\w*$/.test(local) || local === "encrypt") return local;
  }
  return undefined;
}

/**
 * The caller's id as the encryption context: a variable in scope (`ownerContextAt`), or the id an
 * Express/Fastify auth middleware put on the request (`req.auth.userId`).
 */
function encryptionContextAt(flow: Dataflow, file: AnalysedFile, node: ts.Node): string | undefined {
  const context = ownerContextAt(flow.sem, file, node);
  if (context) return context;
  let fn: ts.Node | undefined = node;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const param = fn && ts.isFunctionLike(fn) ? fn.parameters[0]?.name : undefined;
  if (!param || !isIdentifier(param)) return undefined;
  const match = new RegExp(`\\b${param.text}\\.(auth|user|session)\\.(userId|id|sub)\\b`).exec(fn!.getText());
  return match ? `{ userId: ${match[0]} }` : undefined;
}

/**
 * Every regulated property of the write stored as ciphertext, in one replacement: `ssn: input.ssn`
 * becomes `ssnCiphertext: await encryptField(input.ssn, { userId })`. The helper is the one the
 * file imports, else the configured or conventional name (the fix gate then names it as missing).
 */
function replacementFor(flow: Dataflow, file: AnalysedFile, fields: readonly PlaintextField[], inAsync: boolean, helper: string): LineReplacement | undefined {
  if (!inAsync || fields.length === 0) return undefined;
  const edits: { node: ts.Node; text: string }[] = [];
  for (const field of fields) {
    if (!field.property || !field.value || isSpreadAssignment(field.property)) return undefined;
    const context = encryptionContextAt(flow, file, field.property);
    if (!context) return undefined;
    edits.push({ node: field.property, text: `${field.column}Ciphertext: await ${helper}(${field.value.getText()}, ${context})` });
  }
  return replaceNodes(file, edits);
}

export default defineCheck<MessageId>({
  id: "crypto/regulated-plaintext-write",
  title: "Regulated field stored in plaintext",
  section: "3 (KMS encryption for regulated fields)",
  severity: "critical",
  docs: "Flags a DB write (Prisma, Supabase, Drizzle, Knex, TypeORM, Mongoose/Sequelize models, MongoDB, raw SQL strings and templates) that stores a regulated field (SSN, diagnosis, medications, insurance member id, card or bank number, notes on a patient record) without a KMS encrypt call; the fix stores `await encryptField(value, { userId })` in a `*Ciphertext` column.",
  messages: {
    plaintextWrite: "`{{call}}` stores {{fields}} in plaintext: a database dump, a replica or a backup exposes regulated data.",
  },
  run({ project, sem, classification, report }) {
    const flow = dataflowOf(sem, classification);
    for (const file of project.files) {
      for (const call of file.facts?.calls ?? []) {
        const op = sem.dbOperation(file, call);
        if (!op || op.op !== "write" || /^(delete|deleteMany|del)$/.test(op.method)) continue;
        const owner = (op.table ?? call.chain[call.chain.length - 2] ?? "").replace(/^["'`]|["'`]$/g, "");
        const fields: PlaintextField[] = [];
        for (const values of valuesOf(sem, file, op)) fields.push(...plaintextFields(flow, file, values, owner));
        if (op.library === "sql") fields.push(...sqlPlaintextFields(flow, file, op, owner));
        // The plainly regulated columns (health, government ids, card and bank numbers) lead the message.
        const rank = (f: PlaintextField) => (f.category && /^(health|genetic|government-id|tax-id|payment-card|bank-account|financial)/.test(f.category) ? 0 : 1);
        const unique = [...new Map(fields.map((f) => [f.column, f])).values()].sort((a, b) => rank(a) - rank(b));
        if (unique.length === 0) continue;
        const names = unique.map((f) => `\`${f.column}\``);
        const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names[0]!;
        const helper = encryptHelper(sem, file) ?? sem.project.config.functions.encrypt[0] ?? "encryptField";
        const replacement = replacementFor(flow, file, unique, call.fn?.isAsync ?? false, helper);
        const callee = chainOf(call.callee).join(".").replace(/\.\(\)/g, "()");
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "plaintextWrite",
          data: { call: call.node.kind === SyntaxKind.TaggedTemplateExpression ? `${callee}\`…\`` : `${callee}(…)`, fields: list, reasons: unique.map((f) => `${f.column}: ${f.reason}`).join("; ") },
          fix: `Encrypt each regulated value with KMS before the write and store the ciphertext: ${unique
            .slice(0, 3)
            .map((f) => `\`${f.column}Ciphertext: await ${helper}(${f.value?.getText().replace(/\s+/g, " ") ?? f.column}, ${ownerContextAt(sem, file, call.node) ?? "{ userId }"})\``)
            .join(", ")}${unique.length > 3 ? ", …" : ""}, with an encryption context that binds it to its owner; decrypt only in the handler that returns it.`,
          ...(replacement ? { replacement } : {}),
        });
      }
    }
  },
});
