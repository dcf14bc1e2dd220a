import { ts } from "ts-morph";
import { skipOuterExpressions } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import { defineCheck } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isIdentifier, isObjectLiteralExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment } = ts;

/**
 * A model call with no token cap and no per-customer budget: one caller can run up the bill (and
 * the latency) without bound.
 */

type MessageId = "unbounded";

const TOKEN_CAP = /^(max_tokens|maxTokens|max_completion_tokens|max_output_tokens|maxOutputTokens|maxCompletionTokens|max_new_tokens|maxNewTokens|num_predict|max_tokens_to_sample)$/;
const BUDGET_CALL = /budget|quota|credit|spend|allowance|tokenLimit|usageLimit|checkUsage|assertUsage|enforceUsage|meter/i;

/** Finds a token cap in an options object, following identifiers to their object literal. Unknown spreads count as capped. */
function optionsCapTokens(file: AnalysedFile, lookup: (name: string, at: ts.Node) => ts.Expression | undefined, expr: ts.Expression | undefined, depth = 0): boolean | "unknown" {
  if (!expr || depth > 4) return "unknown";
  const inner = skipOuterExpressions(expr);
  if (isIdentifier(inner)) {
    const init = lookup(inner.text, inner);
    return init ? optionsCapTokens(file, lookup, init, depth + 1) : "unknown";
  }
  if (!isObjectLiteralExpression(inner)) return "unknown";
  let unknown = false;
  for (const property of inner.properties) {
    if (isPropertyAssignment(property) || isShorthandPropertyAssignment(property)) {
      const name = property.name.getText().replace(/['"]/g, "");
      if (TOKEN_CAP.test(name)) return true;
      // Nested generation settings: `generationConfig: { maxOutputTokens }`, `providerOptions`.
      if (isPropertyAssignment(property) && /config|options|settings|params/i.test(name)) {
        const nested = optionsCapTokens(file, lookup, property.initializer, depth + 1);
        if (nested === true) return true;
      }
    } else if (isSpreadAssignment(property)) {
      const nested = optionsCapTokens(file, lookup, property.expression, depth + 1);
      if (nested === true) return true;
      if (nested === "unknown") unknown = true;
    }
  }
  return unknown ? "unknown" : false;
}

function capFixFor(provider: string, method: string): string {
  if (provider === "AI SDK") return "maxOutputTokens: 1024";
  if (provider === "Anthropic") return "max_tokens: 1024";
  if (provider === "Google Gemini") return "maxOutputTokens: 1024";
  if (method === "create" || method === "parse") return "max_tokens: 1024";
  return "maxTokens: 1024";
}

export default defineCheck<MessageId>({
  id: "ai/unbounded-llm-call",
  title: "Model call without a token cap or budget",
  section: "7 (extra gates for AI-generated code)",
  severity: "medium",
  docs: "Flags OpenAI, Anthropic and AI SDK calls with neither a token cap (`max_tokens`, `maxOutputTokens`) nor a per-customer budget check on the path; the fix adds the cap and a budget check keyed by the customer.",
  messages: {
    unbounded:
      "`{{call}}` to {{provider}} has no output token cap and no per-customer budget check: one caller can drive unbounded cost and latency (input-size limits and timeouts do not cap tokens).",
  },
  run({ project, sem, report }) {
    for (const file of project.files) {
      for (const call of file.facts?.calls ?? []) {
        const egress = sem.egressOf(file, call);
        if (egress?.kind !== "model") continue;
        const lookup = (name: string, at: ts.Node) => {
          const binding = project.lookup(file, name, at);
          return binding?.kind === "var" && binding.path.length === 0 ? binding.init : undefined;
        };
        const capped = call.args.some((arg) => optionsCapTokens(file, lookup, arg) !== false);
        if (capped) continue;
        // A per-customer budget check anywhere in the enclosing functions counts.
        let budgeted = false;
        for (let fn = call.fn; fn && !budgeted; fn = fn.parent) {
          budgeted = project.callsWithin(fn).some((c) => c !== call && BUDGET_CALL.test(c.name));
        }
        if (budgeted) continue;

        const calleeText = call.callee.getText().replace(/\s+/g, "");
        const cap = capFixFor(egress.provider, call.name);
        const options = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
        let replacement;
        if (options && isObjectLiteralExpression(options) && options.properties.length > 0) {
          const sf = options.getSourceFile();
          const openLine = sf.getLineAndCharacterOfPosition(options.getStart(sf)).line;
          const firstProp = options.properties[0]!;
          const propLine = sf.getLineAndCharacterOfPosition(firstProp.getStart(sf)).line;
          if (propLine > openLine) {
            const indent = /^\s*/.exec(file.lines[propLine] ?? "")?.[0] ?? "  ";
            replacement = { startLine: openLine + 1, endLine: openLine + 1, text: `${file.lines[openLine]}\n${indent}${cap},` };
          }
        }
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "unbounded",
          data: { call: calleeText, provider: egress.provider },
          fix: `Cap the output with \`${cap}\` (sized to the feature) and check a per-customer budget before the call, e.g. \`await assertWithinBudget(session.orgId, estimatedTokens)\` backed by a shared counter, recording \`usage\` after it.`,
          ...(replacement ? { replacement } : {}),
        });
      }
    }
  },
});
