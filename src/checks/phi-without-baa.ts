import { ts } from "ts-morph";
import { dataflowOf, union, type ClassifiedFlowField, type Dataflow, type FlowValue } from "../review/analysis/dataflow.js";
import type { CallFact, FunctionFact } from "../review/analysis/facts.js";
import { skipOuterExpressions } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { enclosingStatement, lineOf, objectLiteralOf, walk } from "../review/analysis/nodes.js";
import { defineCheck } from "./define-check.js";
import { insertBefore } from "./fixes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isClassLike, isFunctionLike, isIdentifier, isIfStatement, isNewExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isStringLiteralLike } = ts;

/**
 * An email or SMS provider that receives PHI is a HIPAA business associate: without a signed BAA
 * the send is a disclosure. The code must refuse to send unless the BAA is asserted at runtime.
 */

type MessageId = "phiWithoutBaa";

/** Envelope fields: who the message goes to is not its content. */
const ADDRESS_KEYS = /^(to|from|cc|bcc|replyTo|reply_to|sender|recipient|recipients|destination|source|Destination|Source|To|From|ReplyToAddresses|messagingServiceSid|phoneNumber|PhoneNumber|TopicArn|TargetArn|headers|tags|attachments)$/;
const BAA_TEXT = /baa|business.?associate/i;


/** What the message says: every argument, without the envelope's addresses. */
function contentOf(flow: Dataflow, file: AnalysedFile, call: CallFact, depth = 0): FlowValue {
  const parts: FlowValue[] = [];
  const visitObject = (object: ts.ObjectLiteralExpression, level: number) => {
    for (const property of object.properties) {
      if (isSpreadAssignment(property)) {
        parts.push(flow.valueOf(file, property.expression));
        continue;
      }
      const key = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
      if (key && ADDRESS_KEYS.test(key)) continue;
      if (isPropertyAssignment(property)) {
        const nested = objectLiteralOf(flow.sem, file, property.initializer);
        if (nested && level < 4) visitObject(nested, level + 1);
        else parts.push(flow.valueOf(file, property.initializer));
      } else if (isShorthandPropertyAssignment(property)) parts.push(flow.valueOf(file, property.name));
    }
  };
  const args = call.args;
  for (const arg of args) {
    const object = objectLiteralOf(flow.sem, file, arg);
    // SDK v3 commands: `new SendEmailCommand({ … })` passed to `client.send(…)`.
    const inner = skipOuterExpressions(arg);
    if (!object && isNewExpression(inner) && depth === 0) {
      const command = flow.sem.project.callOf(inner);
      if (command) parts.push(contentOf(flow, file, command, depth + 1));
      continue;
    }
    if (object) visitObject(object, 0);
    else parts.push(flow.valueOf(file, arg));
  }
  return union(...parts);
}

/** `new SendEmailCommand(…)`, inline or through a variable: the command is where the content is judged. */
function isEgressCommand(sem: Semantics, file: AnalysedFile, arg: ts.Expression): boolean {
  let expr = skipOuterExpressions(arg);
  if (isIdentifier(expr)) {
    const binding = sem.project.lookup(file, expr.text, expr);
    if (binding?.kind !== "var" || !binding.init || binding.path.length > 0) return false;
    expr = skipOuterExpressions(binding.init);
  }
  if (!isNewExpression(expr)) return false;
  const command = sem.project.callOf(expr);
  return command !== undefined && sem.egressOf(file, command) !== undefined;
}

function phiIn(flow: Dataflow, value: FlowValue): string[] {
  const out: string[] = [];
  const fields = flow.personalFields(value).filter((f: ClassifiedFlowField) => flow.isPhi(f));
  for (const f of fields) out.push(`\`${f.name}\``);
  for (const object of value.objects) if (flow.personObject(object).health) out.push(`the whole \`${object.name}\` record`);
  return [...new Set(out)];
}

/** A BAA assertion in a function: a `*baa*` call, or a guard that throws (or returns) unless a BAA flag is set. */
function assertsBaa(sem: Semantics, file: AnalysedFile, scope: ts.Node, fn: FunctionFact | undefined): boolean {
  const calls = fn ? sem.callsWithin(fn) : (file.facts?.calls ?? []).filter((c) => !c.fn);
  if (calls.some((c) => sem.isBaaAssertion(file, c) || (/^(assert|invariant|ensure|require)/i.test(c.name) && c.args.some((a) => BAA_TEXT.test(a.getText()))))) return true;
  let found = false;
  walk(scope, (node) => {
    if (fn === undefined && node !== scope && (isFunctionLike(node) || isClassLike(node))) return "skip";
    if (isIfStatement(node) && BAA_TEXT.test(node.expression.getText())) {
      const branch = node.thenStatement.getText();
      if (/\bthrow\b|\breturn\b|process\.exit/.test(branch)) found = true;
    }
    return found ? "stop" : undefined;
  });
  return found;
}

/** The send sits inside `if (process.env.X_BAA_SIGNED === "true") { … }`. */
function insideBaaBranch(call: CallFact): boolean {
  let node: ts.Node = call.node;
  while (node.parent) {
    const parent: ts.Node = node.parent;
    if (isIfStatement(parent) && parent.thenStatement === node && BAA_TEXT.test(parent.expression.getText()) && !/!\s*\w|!==|!=/.test(parent.expression.getText())) return true;
    node = parent;
  }
  return false;
}

function outermost(fn: FunctionFact): FunctionFact {
  let current = fn;
  while (current.parent) current = current.parent;
  return current;
}

function chainAsserts(sem: Semantics, file: AnalysedFile, fn: FunctionFact | undefined): boolean {
  for (let f = fn; f; f = f.parent) if (assertsBaa(sem, file, f.node, f)) return true;
  return false;
}

function envFlag(provider: string): string {
  return `${provider.replace(/^Amazon\s+/, "").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}_BAA_SIGNED`;
}

export default defineCheck<MessageId>({
  id: "egress/phi-without-baa",
  title: "PHI sent to an email or SMS provider without a BAA assertion",
  section: "4 (BAA before PHI leaves)",
  severity: "critical",
  docs: "Flags email/SMS sends (Resend, SendGrid, Postmark, Twilio, nodemailer, SES) whose content carries PHI, followed one level through the PR's helpers, with no runtime BAA assertion on the path; the fix throws unless the BAA flag is set (`if (process.env.TWILIO_BAA_SIGNED !== \"true\") throw …`) or sends a portal link instead of the data.",
  messages: {
    phiWithoutBaa:
      "`{{call}}` sends {{fields}} through {{provider}} with no BAA assertion on the path: without a signed business associate agreement this is an unauthorised disclosure of PHI.",
  },
  run({ project, sem, classification, report }) {
    const flow = dataflowOf(sem, classification);
    for (const file of project.files) {
      for (const call of file.facts?.calls ?? []) {
        const egress = sem.egressOf(file, call);
        if (!egress || (egress.kind !== "email" && egress.kind !== "sms")) continue;
        // A `send(new SendEmailCommand(…))` is judged at the command.
        if (!call.isNew && call.args.some((a) => isEgressCommand(sem, file, a))) continue;
        const content = contentOf(flow, file, call);
        const local = phiIn(flow, content);
        // Values that come from the sending function's parameters: what its callers in the PR pass.
        const viaCallers: Array<{ file: AnalysedFile; call: CallFact; phi: string[] }> = [];
        const sender = call.fn ? outermost(call.fn) : undefined;
        if (sender && content.params.some((p) => p.fn === sender)) {
          const onlyParams: FlowValue = { ...content, fields: [], objects: [], payloads: [], params: content.params.filter((p) => p.fn === sender) };
          for (const caller of flow.callersOf(sender)) {
            const args = caller.call.args.map((a) => flow.valueOf(caller.file, a));
            const phi = phiIn(flow, flow.substitute(onlyParams, sender, args));
            if (phi.length > 0) viaCallers.push({ ...caller, phi });
          }
        }
        const fields = [...new Set([...local, ...viaCallers.flatMap((c) => c.phi)])];
        if (fields.length === 0) continue;

        if (insideBaaBranch(call) || chainAsserts(sem, file, call.fn) || assertsBaa(sem, file, file.facts!.sourceFile, undefined)) continue;
        const callers = sender ? flow.callersOf(sender) : [];
        const relevant = local.length > 0 ? callers : viaCallers;
        if (relevant.length > 0 && relevant.every((c) => chainAsserts(sem, c.file, c.call.fn))) continue;

        const callText = call.isNew ? `new ${call.name}(…)` : `${call.chain.join(".").replace(/\.\(\)/g, "()")}(…)`;
        const flag = envFlag(egress.provider);
        const statement = enclosingStatement(call.node);
        const inFunction = statement !== undefined && call.fn !== undefined && !file.facts!.sourceFile.statements.includes(statement);
        const list = fields.length > 1 ? `${fields.slice(0, -1).join(", ")} and ${fields[fields.length - 1]}` : fields[0]!;
        const through = viaCallers.length > 0 && local.length === 0 ? ` (passed in from ${viaCallers.map((c) => `\`${c.file.path}:${c.call.line}\``).slice(0, 2).join(", ")})` : "";
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "phiWithoutBaa",
          data: { call: callText, fields: `${list}${through}`, provider: egress.provider },
          fix: `Confirm a BAA is signed with ${egress.provider} and assert it before sending: \`if (process.env.${flag} !== "true") throw new Error("No BAA with ${egress.provider}: refusing to send PHI")\`. Without one, send only a notice with a link to the authenticated portal, never the health data itself.`,
          ...(inFunction ? { replacement: insertBefore(file, lineOf(statement), [`if (process.env.${flag} !== "true") throw new Error("No BAA with ${egress.provider}: refusing to send PHI");`]) } : {}),
        });
      }
    }
  },
});
