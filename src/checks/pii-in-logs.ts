import { ts } from "ts-morph";
import { dataflowOf, isPersonName, type Dataflow, type FlowValue } from "../review/analysis/dataflow.js";
import type { CallFact } from "../review/analysis/facts.js";
import { skipOuterExpressions } from "../review/analysis/facts.js";
import type { AnalysedFile, AnalysedProject } from "../review/analysis/project.js";
import type { Classification, LineReplacement } from "../review/types.js";
import { defineCheck } from "./define-check.js";
import { replaceNode } from "./fixes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isIdentifier, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isTemplateExpression } = ts;

/** Logs are copied to vendors, kept for months and read by many people: personal data must not reach them. */

type MessageId = "personalData";

interface Leak {
  /** What is logged, for the message: `email`, `the whole patient record`, `req.body`. */
  what: string[];
  regulated: boolean;
}

function idName(name: string): string {
  const base = name.replace(/^(current|session|auth)(?=[A-Z])/, "");
  return `${base.charAt(0).toLowerCase()}${base.slice(1)}Id`;
}

function describe(flow: Dataflow, file: AnalysedFile, value: FlowValue, classification: Classification): Leak {
  const what: string[] = [];
  let regulated = false;
  for (const field of flow.personalFields(value)) {
    what.push(`\`${field.name}\` (${field.dataType.replace(/-/g, " ")})`);
    if (field.tier === "regulated") regulated = true;
  }
  for (const object of value.objects) {
    const person = flow.personObject(object);
    if (!person.person && !person.health) continue;
    what.push(`the whole \`${object.name}\` record`);
    if (person.health) regulated = true;
  }
  for (const payload of value.payloads) {
    what.push(payload.label.startsWith("the ") ? `${payload.label} (a raw payload)` : `the raw payload \`${payload.label}\``);
    if (payload.keys.some((k) => flow.classify(k, payload.owner)?.tier === "regulated")) regulated = true;
    else if (classification.evidence.some((e) => e.path === file.path && e.tier === "regulated")) regulated = true;
  }
  return { what: [...new Set(what)], regulated };
}

const WHOLE_REQUEST = /^(req|request)$/;

/**
 * The handler's request object logged whole, as an argument or a property of one (`console.log(req)`,
 * `logger.info({ req, msg })`): its body, and its headers with the caller's cookies and bearer
 * token. A member of it (`req.method`, `req.get("x-request-id")`) is not the whole.
 */
function wholeRequestIn(project: AnalysedProject, file: AnalysedFile, arg: ts.Expression): string | undefined {
  const expr = skipOuterExpressions(arg);
  const candidates = isObjectLiteralExpression(expr)
    ? expr.properties.map((p) => (isShorthandPropertyAssignment(p) ? p.name : isPropertyAssignment(p) ? skipOuterExpressions(p.initializer) : undefined))
    : [expr];
  for (const candidate of candidates) {
    if (!candidate || !isIdentifier(candidate) || !WHOLE_REQUEST.test(candidate.text)) continue;
    const binding = project.lookup(file, candidate.text, candidate);
    if (binding?.kind === "param" && binding.path.length === 0) return candidate.text;
  }
  return undefined;
}

function isLeak(leak: Leak): boolean {
  return leak.what.length > 0;
}

/** A replacement for one argument: whole records become their id, personal fields are dropped. */
function safeArgument(flow: Dataflow, file: AnalysedFile, arg: ts.Expression, classification: Classification): string | undefined | null {
  const expr = skipOuterExpressions(arg);
  if (isIdentifier(expr)) {
    const value = flow.valueOf(file, expr);
    if (value.payloads.length > 0) return undefined;
    if (value.objects.length > 0 && isPersonName(expr.text)) return `{ ${idName(expr.text)}: ${expr.text}.id }`;
    return undefined;
  }
  if (isObjectLiteralExpression(expr)) {
    const kept: string[] = [];
    for (const property of expr.properties) {
      let valueExpr: ts.Expression | undefined;
      let key: string | undefined;
      if (isShorthandPropertyAssignment(property)) {
        valueExpr = property.name;
        key = property.name.text;
      } else if (isPropertyAssignment(property)) {
        valueExpr = property.initializer;
        key = property.name.getText();
      } else if (isSpreadAssignment(property)) valueExpr = property.expression;
      if (!valueExpr) {
        kept.push(property.getText());
        continue;
      }
      const leak = describe(flow, file, flow.valueOf(file, valueExpr), classification);
      if (!isLeak(leak)) {
        kept.push(property.getText());
        continue;
      }
      const inner = skipOuterExpressions(valueExpr);
      if (key && isIdentifier(inner) && flow.valueOf(file, inner).objects.length > 0 && isPersonName(inner.text)) kept.push(`${idName(key)}: ${inner.text}.id`);
      else if (isSpreadAssignment(property)) return undefined;
    }
    return kept.length === 0 ? null : `{ ${kept.join(", ")} }`;
  }
  if (isTemplateExpression(expr)) {
    // Head and literals keep their own `${` / `}` delimiters: only the span expressions change.
    let out = expr.head.getText();
    for (const span of expr.templateSpans) {
      const leak = describe(flow, file, flow.valueOf(file, span.expression), classification);
      const inner = skipOuterExpressions(span.expression);
      if (!isLeak(leak)) out += span.expression.getText();
      else if (isPropertyAccessExpression(inner) && isIdentifier(inner.expression)) out += `${inner.expression.text}.id`;
      else if (isIdentifier(inner) && isPersonName(inner.text)) out += `${inner.text}.id`;
      else return undefined;
      out += span.literal.getText();
    }
    return out;
  }
  return undefined;
}

function replacementFor(flow: Dataflow, file: AnalysedFile, call: CallFact, leaking: Set<ts.Expression>, classification: Classification): LineReplacement | undefined {
  const args: string[] = [];
  for (const arg of call.args) {
    if (!leaking.has(arg)) {
      args.push(arg.getText());
      continue;
    }
    const safe = safeArgument(flow, file, arg, classification);
    if (safe === undefined) return undefined;
    if (safe !== null) args.push(safe);
  }
  if (args.length === 0) return undefined;
  const node = call.node as ts.CallExpression;
  return replaceNode(file, node, `${node.expression.getText()}(${args.join(", ")})`);
}

export default defineCheck<MessageId>({
  id: "logging/pii-in-logs",
  title: "Personal data written to logs",
  section: "8 (no PII in logs)",
  severity: "high",
  docs: "Flags logger calls (console, pino, winston, any `log*`) given PII/PHI fields, whole user or patient records, or raw payloads (`req.body`, `await request.json()`, the whole request object with its headers and cookies); the fix logs ids and action names instead (`{ patientId: patient.id }`).",
  messages: {
    personalData: "`{{call}}` writes {{what}} to the logs, where anyone with log access (and every log vendor) can read it.",
  },
  run({ project, sem, classification, report }) {
    const flow = dataflowOf(sem, classification);
    for (const file of project.files) {
      for (const call of file.facts?.calls ?? []) {
        if (!sem.isLoggerCall(file, call)) continue;
        const leaking = new Set<ts.Expression>();
        const what: string[] = [];
        let regulated = false;
        for (const arg of call.args) {
          const leak = describe(flow, file, flow.valueOf(file, arg), classification);
          const request = wholeRequestIn(project, file, arg);
          if (request) leak.what.push(`the whole request \`${request}\`, its headers and cookies included`);
          if (!isLeak(leak)) continue;
          leaking.add(arg);
          what.push(...leak.what);
          regulated ||= leak.regulated;
        }
        if (leaking.size === 0) continue;
        const unique = [...new Set(what)];
        const list = unique.length > 1 ? `${unique.slice(0, -1).join(", ")} and ${unique[unique.length - 1]}` : unique[0]!;
        const replacement = replacementFor(flow, file, call, leaking, classification);
        const callee = call.chain.join(".").replace(/\.\(\)/g, "()");
        const objects = [...leaking].flatMap((a) => flow.valueOf(file, a).objects.map((o) => o.name));
        const idHint = objects.length > 0 ? objects.map((o) => `\`${idName(o)}: ${o}.id\``).join(", ") : "the record's id (`userId`, `patientId`)";
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "personalData",
          data: { call: `${callee}(…)`, what: list },
          fix: `Log only identifiers and action names: ${idHint} and what happened, never the personal fields themselves${regulated ? " (regulated data in logs is a reportable breach)" : ""}. If support needs to find the person, log their id and look them up with access control.`,
          ...(replacement ? { replacement } : {}),
          ...(regulated ? { severity: "critical" as const } : {}),
        });
      }
    }
  },
});
