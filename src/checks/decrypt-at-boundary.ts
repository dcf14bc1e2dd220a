import { ts } from "ts-morph";
import { dataflowOf, type Dataflow } from "../review/analysis/dataflow.js";
import type { CallFact, FunctionFact } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { defineCheck } from "./define-check.js";
import { returnedExpressions } from "../review/analysis/nodes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isAsExpression, isAwaitExpression, isBindingElement, isCallExpression, isExpressionStatement, isIdentifier, isNonNullExpression, isParenthesizedExpression, isVariableDeclaration } = ts;

/**
 * Plaintext should exist only in the handler that sends it to the person allowed to see it.
 * Decrypting in middleware or a shared loader hands it to every caller (jobs, webhooks, logs).
 */

type MessageId = "sharedLoader" | "middleware" | "logged" | "unused";

const DECRYPT_HELPER_NAME = /^(decrypt|unseal|open|reveal)\w*$/i;

/** A decryption: KMS `DecryptCommand` / `kms.decrypt`, or a call of a decrypt helper. */
function isDecryption(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  return sem.isDecryptCall(file, call);
}

/** The function whose job the decryption serves: callbacks (`.map(async (row) => …)`) belong to their caller. */
function ownerFunction(fn: FunctionFact, handlers: Set<FunctionFact>): FunctionFact {
  let current = fn;
  while (current.argumentOf && current.parent && !handlers.has(current)) current = current.parent;
  return current;
}

function isPage(file: AnalysedFile, fn: FunctionFact): boolean {
  if (/(^|\/)app\/(.*\/)?(page|layout)\.(tsx|jsx|ts|js)$/.test(file.path) && fn.exported) return true;
  if (/(^|\/)pages\/(?!api\/).*\.(tsx|jsx|ts|js)$/.test(file.path) && fn.exported) return true;
  // Remix / React Router loaders and actions, Next `getServerSideProps`.
  return fn.exported && /^(getServerSideProps|loader|action|generateMetadata)$/.test(fn.name ?? "") && /(^|\/)(app|pages|routes)\//.test(file.path);
}

function isMiddleware(file: AnalysedFile, fn: FunctionFact): boolean {
  if (/(^|\/)middleware\.(ts|js|mjs)$/.test(file.path)) return true;
  if (/middleware/i.test(fn.name ?? "")) return true;
  const params = fn.node.parameters;
  const last = params[params.length - 1];
  return params.length === 3 && last !== undefined && isIdentifier(last.name) && last.name.text === "next";
}

function returnsDecrypted(flow: Dataflow, file: AnalysedFile, fn: FunctionFact, decryption: CallFact): boolean {
  const body = fn.node.body;
  if (!body) return false;
  // A returned callback's returns are the function's own (`rows.map((r) => decrypt(r))`).
  return returnedExpressions(body, true).some((r) => flow.valueOf(file, r).decrypted.includes(decryption));
}

function loggedWith(flow: Dataflow, sem: Semantics, file: AnalysedFile, fn: FunctionFact, decryption: CallFact): CallFact | undefined {
  return sem.callsWithin(fn).find((c) => sem.isLoggerCall(file, c) && c.args.some((a) => flow.valueOf(file, a).decrypted.includes(decryption)));
}

/** The decrypted value is thrown away: the result is not kept, or kept in a variable nobody reads. */
function unused(file: AnalysedFile, fn: FunctionFact, decryption: CallFact, sem: Semantics): boolean {
  let node: ts.Node = decryption.node;
  // Climb out of `await`, parentheses and a wrapping `kms.send(…)` whose only argument is the command.
  for (;;) {
    const parent: ts.Node = node.parent;
    if (isAwaitExpression(parent) || isParenthesizedExpression(parent) || isAsExpression(parent) || isNonNullExpression(parent)) node = parent;
    else if (isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === node) node = parent;
    else break;
  }
  const parent = node.parent;
  if (isExpressionStatement(parent)) return true;
  if (isVariableDeclaration(parent)) {
    const names: string[] = [];
    const collect = (name: ts.BindingName) => {
      if (isIdentifier(name)) names.push(name.text);
      else for (const element of name.elements) if (isBindingElement(element)) collect(element.name);
    };
    collect(parent.name);
    const text = fn.node.getText();
    return names.every((name) => {
      const refs = text.match(new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`, "g"))?.length ?? 0;
      return refs <= 1 && sem.project.lookup(file, name, parent) !== undefined;
    });
  }
  return false;
}

/** Names of credentials a service holds for itself. */
const SERVICE_SECRET = /secret|token|api_?key|credential|password|passphrase|private_?key|signing|access_?key|webhook/i;
/** Names of regulated or personal data, which keep the rule whatever else the name says. */
const REGULATED_NAME = /ssn|social_?security|tax_?id|medical|diagnos|health|patient|birth|dob|card|iban|account_?number|passport|licen[cs]e|phi\b|pii\b/i;

/** The decrypted value is a service credential, by what the call decrypts and where it puts the plaintext. */
function decryptsServiceSecret(call: CallFact): boolean {
  let holder = "";
  for (let node: ts.Node = call.node; node.parent && !holder; node = node.parent) {
    const parent: ts.Node = node.parent;
    if (isVariableDeclaration(parent)) holder = parent.name.getText();
    else if (ts.isPropertyAssignment(parent) || ts.isBinaryExpression(parent)) holder = ts.isPropertyAssignment(parent) ? parent.name.getText() : parent.left.getText();
    else if (!(isAwaitExpression(parent) || isParenthesizedExpression(parent) || isAsExpression(parent) || isNonNullExpression(parent))) break;
  }
  const text = `${call.args.map((a) => a.getText()).join(" ")} ${holder}`;
  return SERVICE_SECRET.test(text) && !REGULATED_NAME.test(text);
}

export default defineCheck<MessageId>({
  id: "crypto/decrypt-at-boundary",
  title: "Decryption away from the handler that returns the plaintext",
  section: "3 (KMS encryption for regulated fields)",
  severity: "high",
  docs: "Flags decryption (KMS `DecryptCommand`, a decrypt helper) in middleware, in shared loaders or helpers that hand plaintext back to their callers, or where the plaintext is logged or never used; the fix returns ciphertext from the loader and decrypts in the route handler, server action or page that returns it.",
  messages: {
    sharedLoader:
      "`{{fn}}` decrypts with `{{call}}` and returns the plaintext to {{callers}}: every caller (jobs, webhooks, exports) now holds regulated data it may not need.",
    middleware: "`{{call}}` decrypts in middleware `{{fn}}`: the plaintext is handed to every request that passes through it, before any handler decides who may see it.",
    logged: "The plaintext decrypted by `{{call}}` in `{{fn}}` is written to the logs by `{{logger}}`.",
    unused: "`{{call}}` in `{{fn}}` decrypts a value that is never returned or used: the plaintext sits in memory for nothing.",
  },
  run({ project, sem, classification, report }) {
    const flow = dataflowOf(sem, classification);
    const handlers = new Set<FunctionFact>(sem.allRoutes().flatMap((r) => (r.handler ? [r.handler] : [])));
    const decryptNames = new Set(sem.project.config.functions.decrypt.map((n) => n.toLowerCase()));
    for (const file of project.files) {
      for (const call of file.facts?.calls ?? []) {
        if (!call.fn || !isDecryption(sem, file, call)) continue;
        const fn = ownerFunction(call.fn, handlers);
        // The decrypt helper itself is the primitive: its callers are checked, not it.
        // A private method (`#decrypt`, `_decrypt`) is named by what follows its marker.
        const ownName = (fn.name ?? "").replace(/^[#_]+/, "");
        if (DECRYPT_HELPER_NAME.test(ownName) || decryptNames.has(ownName.toLowerCase())) continue;
        // Secrets from the environment (an API key sealed in config) are not records.
        if (call.args.every((a) => /process\.env|import\.meta\.env/.test(a.getText()))) continue;
        const callText = call.isNew ? `new ${call.name}(…)` : `${call.chain.join(".").replace(/\.\(\)/g, "()")}(…)`;
        const fnName = fn.name ?? "(anonymous function)";
        const base = { file, line: call.line, column: call.column };
        const logger = loggedWith(flow, sem, file, fn, call);
        if (logger) {
          report({
            ...base,
            messageId: "logged",
            data: { call: callText, fn: fnName, logger: `${logger.chain.join(".")}(…)` },
            fix: `Never log decrypted values: log the record's id instead and keep the plaintext only in the response of the handler that needs it.`,
          });
          continue;
        }
        // A service's own secret (an integration's API key, a webhook signing secret, an OAuth token) is
        // decrypted to be used, not shown: where it is decrypted is not a regulated-data boundary. Logging it still is a finding.
        if (decryptsServiceSecret(call)) continue;
        const boundary = handlers.has(fn) || isPage(file, fn);
        if (!boundary && isMiddleware(file, fn)) {
          report({
            ...base,
            messageId: "middleware",
            data: { call: callText, fn: fnName },
            fix: "Pass the ciphertext (or the record id) along and decrypt in the route handler that returns the value to the caller, after its auth and ownership checks.",
          });
          continue;
        }
        if (boundary) {
          if (unused(file, fn, call, sem)) {
            report({
              ...base,
              messageId: "unused",
              data: { call: callText, fn: fnName },
              fix: "Remove the decryption, or decrypt only the fields this handler returns.",
            });
          }
          continue;
        }
        if (!returnsDecrypted(flow, file, fn, call)) continue;
        const callers = flow.callersOf(fn);
        const callerFiles = [...new Set(callers.map((c) => c.file.path))];
        const callersText =
          callers.length === 0 ? "its callers" : `${callers.length} caller${callers.length === 1 ? "" : "s"} (${callerFiles.slice(0, 3).map((p) => `\`${p}\``).join(", ")})`;
        report({
          ...base,
          messageId: "sharedLoader",
          data: { call: callText, fn: fnName, callers: callersText },
          fix: `Return the ciphertext from \`${fnName}\` (the stored \`…Ciphertext\` column) and decrypt in the route handler or page that shows the value, after its auth check, with the same encryption context it was encrypted with.`,
        });
      }
    }
  },
});
