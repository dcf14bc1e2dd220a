import { ts } from "ts-morph";
import { dataflowOf, EMPTY, isPersonName, type Dataflow, type FlowPayload, type FlowValue } from "../review/analysis/dataflow.js";
import type { CallFact, FunctionFact } from "../review/analysis/facts.js";
import { chainOf, isFunctionNode, skipOuterExpressions } from "../review/analysis/facts.js";
import { walk } from "../review/analysis/nodes.js";
import { LOGGER_MODULE_PATTERN, LOGGER_PACKAGES, LOGGER_RECEIVER_PATTERN } from "../review/catalogue/loggers.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { ownerKind } from "../review/classification/owners.js";
import type { AnalysedFile, AnalysedProject } from "../review/analysis/project.js";
import type { Classification, LineReplacement } from "../review/types.js";
import { defineCheck } from "./define-check.js";
import { replaceNode } from "./fixes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isBinaryExpression, isBindingElement, isCallExpression, isElementAccessExpression, isIdentifier, isIfStatement, isObjectBindingPattern, isVariableDeclaration, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isStringLiteralLike, isTemplateExpression } = ts;

/** Logs are copied to vendors, kept for months and read by many people: personal data must not reach them. */

type MessageId = "personalData" | "accountInSecurityEvent";

interface Leak {
  /** What is logged, for the message: `email`, `the whole patient record`, `req.body`. */
  what: string[];
  regulated: boolean;
  /** A password, secret, API key, token or one-time code. */
  credential: boolean;
  /** Everything found names the account (its email, name or username): what a security event log records. */
  accountOnly: boolean;
}

/** The client IP: what access and security logs are for; not reported in a log line. */
const EXPECTED_IN_LOGS = new Set(["ip-address"]);
/** Data that names the account acting: a security event log records it by design. */
const ACCOUNT_IDENTITY = new Set(["email", "username", "person-name", "full-name", "first-name", "last-name", "preferred-name"]);

function idName(name: string): string {
  const base = name.replace(/^(current|session|auth)(?=[A-Z])/, "");
  return `${base.charAt(0).toLowerCase()}${base.slice(1)}Id`;
}

/**
 * What a logged value leaks. In a security event log (a sign-in, a denied request), the account's
 * username is the record's subject and is not reported; its email or name is, at lower severity.
 */
/**
 * The keys of the schema a function (or one enclosing it) validates a raw payload with
 * (`Schema.safeParse(raw)`, `parseWithZod(formData, { schema: Schema })`), when they are known:
 * the fields the payload is declared to hold, logged before or after the check. Undefined when the
 * payload is never validated or the schema's keys are not known.
 */
function declaredShape(flow: Dataflow, file: AnalysedFile, fn: FunctionFact | undefined, payload: FlowPayload): { keys: string[]; owner?: string } | undefined {
  for (let scope = fn; scope; scope = scope.parent) {
    for (const call of flow.sem.project.callsWithin(scope)) {
      const input = call.args[0];
      if (!input || call.isNew) continue;
      const callee = skipOuterExpressions(call.callee);
      let schema: ts.Expression | undefined;
      if (/^(parse|safeParse|parseAsync|safeParseAsync)$/.test(call.name) && isPropertyAccessExpression(callee)) schema = callee.expression;
      else {
        for (const option of call.args.slice(1)) {
          const o = skipOuterExpressions(option);
          if (!isObjectLiteralExpression(o)) continue;
          for (const p of o.properties) {
            if (isPropertyAssignment(p) && p.name.getText() === "schema") schema = p.initializer;
            else if (isShorthandPropertyAssignment(p) && p.name.text === "schema") schema = p.name;
          }
        }
      }
      if (!schema || !flow.valueOf(file, input).payloads.some((p) => p.node === payload.node)) continue;
      const keys = flow.schemaKeysOf(file, schema);
      if (keys.length === 0) continue;
      const named = skipOuterExpressions(schema);
      return { keys, ...(isIdentifier(named) ? { owner: named.text.replace(/(Schema|Validator|Input|Body|Dto|DTO)$/, "") || named.text } : {}) };
    }
  }
  return undefined;
}

function describe(flow: Dataflow, file: AnalysedFile, value: FlowValue, classification: Classification, securityEvent = false, fn?: FunctionFact): Leak {
  const what: string[] = [];
  let regulated = false;
  let credential = false;
  let accountOnly = true;
  const judgeFields = (carrier: FlowValue) => {
    for (const field of flow.credentialFields(carrier)) {
      what.push(`\`${field.name}\` (${field.dataType.replace(/-/g, " ")}, a credential)`);
      credential = true;
      accountOnly = false;
    }
    for (const field of flow.personalFields(carrier)) {
      if (EXPECTED_IN_LOGS.has(field.dataType)) continue;
      // Free text (a reason, a message) is personal only on a person's or a health record, not because health data is elsewhere in the code.
      if (field.category === "free-text" && !ownerKind(field.owner)?.health && !ownerKind(field.owner)?.person) continue;
      if (field.dataType === "username" && securityEvent) continue;
      what.push(`\`${field.name}\` (${field.dataType.replace(/-/g, " ")})`);
      if (!ACCOUNT_IDENTITY.has(field.dataType) || field.tier === "regulated") accountOnly = false;
      if (field.tier === "regulated") regulated = true;
    }
  };
  judgeFields(value);
  for (const object of value.objects) {
    const person = flow.personObject(object);
    if (!person.person && !person.health) continue;
    what.push(`the whole \`${object.name}\` record`);
    accountOnly = false;
    if (person.health) regulated = true;
  }
  // A payload validated by a schema whose keys are known holds those fields: each is judged as a field.
  const validated = value.payloads.filter((p) => p.validated).flatMap((p) => p.keys.map((name) => ({ name, ...(p.owner ? { owner: p.owner } : {}), node: p.node })));
  if (validated.length > 0) judgeFields({ ...EMPTY, fields: validated });
  for (const payload of value.payloads) {
    if (payload.validated) continue;
    // A raw form or body the handler validates against a schema whose keys are known holds those fields: each is judged as a field.
    const shape = payload.headers ? undefined : declaredShape(flow, file, fn, payload);
    if (shape) {
      judgeFields({ ...EMPTY, fields: shape.keys.map((name) => ({ name, ...(shape.owner ? { owner: shape.owner } : {}), node: payload.node })) });
      continue;
    }
    accountOnly = false;
    if (payload.headers) {
      what.push(`the request headers \`${payload.label}\` (cookies and the authorization header with them)`);
      credential = true;
      continue;
    }
    what.push(payload.label.startsWith("the ") ? `${payload.label} (a raw payload)` : `the raw payload \`${payload.label}\``);
    if (payload.keys.some((k) => flow.classify(k, payload.owner)?.tier === "regulated")) regulated = true;
    else if (classification.evidence.some((e) => e.path === file.path && e.tier === "regulated")) regulated = true;
  }
  return { what: [...new Set(what)], regulated, credential, accountOnly: accountOnly && what.length > 0 };
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

/** The request object a handler is given: its full URL carries the query string. */
const REQUEST_OBJECT = /^(req|request|ctx\.req|c\.req|ctx\.request|context\.req|context\.request|event)$/;

/**
 * A request's full URL, query string included, in a logged argument: `req.url`, `request.url`,
 * `req.originalUrl`, `request.nextUrl.href` (also through a variable holding one). The request must
 * be a function's parameter, which names the function that handles it. Its path alone
 * (`req.path`, `nextUrl.pathname`) is not the full URL.
 */
function fullRequestUrlIn(project: AnalysedProject, file: AnalysedFile, arg: ts.Expression, depth = 0): { text: string; handler: FunctionFact } | undefined {
  let found: { text: string; handler: FunctionFact } | undefined;
  walk(arg, (node) => {
    if (found) return "skip";
    if (node !== arg && isFunctionNode(node)) return "skip";
    if (isIdentifier(node) && depth === 0 && !(node.parent && isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const binding = project.lookup(file, node.text, node);
      if (binding?.kind === "var" && binding.path.length === 0 && binding.init) found = fullRequestUrlIn(project, file, binding.init, depth + 1);
      return undefined;
    }
    if (!isPropertyAccessExpression(node)) return undefined;
    const member = node.name.text;
    const base = chainOf(node.expression);
    const full = member === "href" ? base[0] === "nextUrl" || base[base.length - 1] === "nextUrl" : (member === "url" || member === "originalUrl") && REQUEST_OBJECT.test(base.slice().reverse().join("."));
    if (!full) return undefined;
    // The chain's root: the request itself, or the context holding it (`c.req.url`), as a parameter.
    let root: ts.Expression = node.expression;
    while (isPropertyAccessExpression(root)) root = root.expression;
    if (!isIdentifier(root)) return undefined;
    const binding = project.lookup(file, root.text, root);
    if (binding?.kind === "param") found = { text: node.getText(), handler: binding.fn };
    return "skip";
  });
  return found;
}

/** Query keys that carry a credential in a URL: a token, an OAuth authorization code, a signature, a key. */
const URL_CREDENTIAL_KEY = /^(code|token|otp|sig|signature|key|secret|password|jwt|(access|refresh|id|auth|api|session|reset|invite|magic)[_-]?(token|key|code)|apikey)$/i;

/**
 * Where a function (or a project function it calls, a few levels down) reads a credential from
 * the request's query: `searchParams.get("token")`, `req.query.code`, `const { token } = req.query`.
 */
function queryCredentialRead(sem: Semantics, flow: Dataflow, fn: FunctionFact, seen: Set<FunctionFact>, depth = 0): string | undefined {
  if (seen.has(fn) || depth > 3) return undefined;
  seen.add(fn);
  const credential = (key: string) => URL_CREDENTIAL_KEY.test(key) || flow.classify(key)?.category === "credentials";
  let found: string | undefined;
  walk(fn.node, (node) => {
    if (found) return "skip";
    if (isCallExpression(node) && node.arguments[0] && isStringLiteralLike(node.arguments[0])) {
      const chain = chainOf(node.expression);
      const key = node.arguments[0].text;
      if (/^(get|getAll)$/.test(chain[chain.length - 1] ?? "") && /^(searchParams|query)$/.test(chain[chain.length - 2] ?? "") && credential(key)) found = node.getText();
    } else if ((isPropertyAccessExpression(node) || isElementAccessExpression(node)) && !(node.parent && (isPropertyAccessExpression(node.parent) || isElementAccessExpression(node.parent)) && node.parent.expression === node)) {
      const chain = chainOf(node);
      const key = chain[chain.length - 1] ?? "";
      if (chain[chain.length - 2] === "query" && chain.length >= 3 && credential(key)) found = node.getText();
    } else if (isVariableDeclaration(node) && isObjectBindingPattern(node.name) && node.initializer) {
      const chain = chainOf(node.initializer);
      if (/^(query|searchParams)$/.test(chain[chain.length - 1] ?? "")) {
        for (const element of node.name.elements) {
          const key = element.propertyName && isIdentifier(element.propertyName) ? element.propertyName.text : isBindingElement(element) && isIdentifier(element.name) ? element.name.text : "";
          if (credential(key)) found = `{ ${key} } = ${node.initializer.getText()}`;
        }
      }
    }
    return undefined;
  });
  if (found) return found;
  const file = sem.project.fileOf(fn.node);
  if (!file) return undefined;
  for (const call of sem.project.callsWithin(fn)) {
    if (call.isNew) continue;
    const r = sem.callee(file, call);
    if (r.kind !== "function" || !r.fn || r.path.length !== 0) continue;
    found = queryCredentialRead(sem, flow, r.fn, seen, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether the request whose URL is logged can carry a credential in its query: the function
 * given the request reads one, or, when that function is a shared wrapper's inner handler
 * (`withMiddleware(handler)` returning `async (req) => …`), a handler that a route passes to the
 * wrapper (through wrappers of the wrapper) reads one.
 */
function urlCarriesCredential(sem: Semantics, flow: Dataflow, handler: FunctionFact): string | undefined {
  const seen = new Set<FunctionFact>();
  const direct = queryCredentialRead(sem, flow, handler, seen);
  if (direct) return direct;
  const wrappers: Array<{ fn: FunctionFact; depth: number }> = [];
  for (let fn: FunctionFact | undefined = handler; fn; fn = fn.parent) wrappers.push({ fn, depth: 0 });
  const visited = new Set<FunctionFact>();
  while (wrappers.length > 0) {
    const { fn, depth } = wrappers.shift()!;
    if (visited.has(fn) || depth > 3) continue;
    visited.add(fn);
    for (const { file, call } of flow.callersOf(fn)) {
      for (const arg of call.args) {
        const inner = skipOuterExpressions(arg);
        if (isFunctionNode(inner)) {
          const given = sem.project.functionOf(inner);
          const read = given ? queryCredentialRead(sem, flow, given, seen) : undefined;
          if (read) return read;
        } else if (isIdentifier(inner)) {
          const binding = sem.project.lookup(file, inner.text, inner);
          if (binding?.kind === "param" && binding.path.length === 0) wrappers.push({ fn: binding.fn, depth: depth + 1 });
          else if (binding?.kind === "function") {
            const read = queryCredentialRead(sem, flow, binding.fn, seen);
            if (read) return read;
          }
        }
      }
    }
  }
  return undefined;
}

/**
 * A logger's child bound to fields (`logger.child({ url })`, `log.with({ url })`): every line the
 * child writes carries them. Only the request URL is judged there (see `fullRequestUrlIn`).
 */
function isLoggerBinding(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  if (!/^(child|with)$/.test(call.name) || call.chain.length < 2 || call.args.length === 0) return false;
  const receiver = call.chain[call.chain.length - 2] ?? "";
  if (receiver !== "()" && LOGGER_RECEIVER_PATTERN.test(receiver)) return true;
  const loggerModule = (module: string | undefined) => module !== undefined && (LOGGER_PACKAGES.has(module) || LOGGER_MODULE_PATTERN.test(module));
  const r = sem.callee(file, call);
  if (r.kind === "module" && loggerModule(r.module)) return true;
  // `createScopedLogger(scope).with(…)`: the chain starts at a name imported from the project's logger module.
  let root: ts.Expression = skipOuterExpressions(call.callee);
  while (isPropertyAccessExpression(root) || isCallExpression(root)) root = skipOuterExpressions(root.expression);
  const binding = isIdentifier(root) ? sem.project.lookup(file, root.text, root) : undefined;
  return binding?.kind === "import" && loggerModule(binding.imp.module);
}

/** What a security event is about: signing in, credentials, sessions, access control. */
const SECURITY_SUBJECT =
  /\b(security|log(?:ged)?[\s_-]?in|log(?:ged)?[\s_-]?out|sign(?:ed)?[\s_-]?(?:in|up|out)|auth(?:entic\w*|ori[sz]\w*|ed|n|z)?|unauthori[sz]ed|password|passkey|2fa|two[\s-]factor|mfa|otp|totp|jwt|token|session|credentials?|rate[\s-]?limit\w*|permission|access|impersonat\w*|sso|saml|oauth|magic[\s-]?link|verification)\b/i;
/** What happened to it: a denial, a failure, an anomaly, or the outcome of a sign-in. */
const SECURITY_OUTCOME =
  /\b(fail(?:s|ed|ure)?|fail-open|denied|deny|blocked|block|invalid|unauthori[sz]ed|forbidden|reject(?:ed)?|exceeded|too many|lock(?:ed)?(?:[\s-]?out)?|banned|suspicious|mismatch|conflict|expired|revoked|missing|attempts?|succe(?:ss|ssful|ssfully|eded)|authenticated|authori[sz]ed|logged[\s-]?in|signed[\s-]?in|overrid\w*|changed)\b/i;
/** A log's channel or category (`log.info("auth", …)`): the logger files the line under security. */
const SECURITY_CHANNEL = /^(auth\w*|security|audit\w*|login|session|access)$/i;

/** The literal text of a log call's message: string arguments, template text, and `msg`/`message`/`event` properties. */
function messageText(args: readonly ts.Expression[]): string {
  const parts: string[] = [];
  const literal = (e: ts.Expression) => {
    const x = skipOuterExpressions(e);
    if (isStringLiteralLike(x)) parts.push(x.text);
    else if (isTemplateExpression(x)) parts.push(x.head.text, ...x.templateSpans.map((span) => span.literal.text));
    else if (isBinaryExpression(x) && x.operatorToken.kind === SyntaxKind.PlusToken) {
      literal(x.left);
      literal(x.right);
    }
  };
  for (const arg of args) {
    const expr = skipOuterExpressions(arg);
    if (isObjectLiteralExpression(expr)) {
      for (const p of expr.properties) if (isPropertyAssignment(p) && /^(msg|message|event|action|type|label|category|reason)$/.test(p.name.getText())) literal(p.initializer);
    } else literal(expr);
  }
  return parts.join(" ");
}

/**
 * A security event log: an audit or security logger, a line filed under an auth channel, or a
 * message that reports the outcome of signing in or of an access decision ("SSO login rate limit
 * exceeded", "Failed sign-in attempt"). A log of ordinary work that merely mentions a login
 * ("Sending magic link email") is not one.
 */
function isSecurityEvent(call: CallFact, args: readonly ts.Expression[]): boolean {
  if (call.chain.some((part) => /audit|security/i.test(part))) return true;
  const first = args[0] ? skipOuterExpressions(args[0]) : undefined;
  if (first && isStringLiteralLike(first) && SECURITY_CHANNEL.test(first.text)) return true;
  const text = messageText(args);
  return SECURITY_SUBJECT.test(text) && SECURITY_OUTCOME.test(text);
}

/** `isDev`, `__DEV__`, `import.meta.env.DEV`, `process.env.NODE_ENV === "development"`, `NODE_ENV !== "production"`. */
function isDevCondition(condition: ts.Expression): boolean {
  const e = skipOuterExpressions(condition);
  if (isIdentifier(e) || isPropertyAccessExpression(e)) {
    const name = isIdentifier(e) ? e.text : e.name.text;
    return /^(__DEV__|DEV|(is|in)_?(dev|development|local|debug)(mode|env|environment)?|(dev|debug)(mode)?)$/i.test(name);
  }
  if (!isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op === SyntaxKind.AmpersandAmpersandToken) return isDevCondition(e.left) || isDevCondition(e.right);
  const sides = [skipOuterExpressions(e.left), skipOuterExpressions(e.right)];
  const env = sides.find((x) => /(^|\.)(NODE_ENV|APP_ENV|ENV|ENVIRONMENT|env)$/.test(x.getText()));
  const value = sides.find((x): x is ts.StringLiteralLike => isStringLiteralLike(x));
  if (!env || !value) return false;
  if (op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken) return /^(dev|development|local|test)$/.test(value.text);
  if (op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken) return /^(prod|production)$/.test(value.text);
  return false;
}

/** Inside the then-branch of a development-only `if` (at any depth, callbacks included): never runs in production. */
function inDevOnlyCode(node: ts.Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isIfStatement(parent) && parent.thenStatement === child && isDevCondition(parent.expression)) return true;
    if (isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken && parent.right === child && isDevCondition(parent.left)) return true;
  }
  return false;
}

/**
 * Code that runs in the browser: a `"use client"` module, or a React hook (`useX`, which only runs
 * in a component). Its console is the user's own, not a log store.
 */
function inBrowserCode(file: AnalysedFile, call: CallFact): boolean {
  if (file.facts?.directives.includes("use client")) return true;
  for (let fn = call.fn; fn; fn = fn.parent) if (/^use[A-Z]\w*$/.test(fn.name ?? "")) return true;
  return false;
}

function isLeak(leak: Leak): boolean {
  return leak.what.length > 0;
}

/** A replacement for one argument: whole records become their id, personal fields are dropped. */
function safeArgument(flow: Dataflow, file: AnalysedFile, arg: ts.Expression, classification: Classification, securityEvent: boolean): string | undefined | null {
  const expr = skipOuterExpressions(arg);
  if (isIdentifier(expr)) {
    const value = flow.valueOf(file, expr);
    if (value.payloads.length > 0 || flow.credentialFields(value).length > 0) return undefined;
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
      const leak = describe(flow, file, flow.valueOf(file, valueExpr), classification, securityEvent);
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
      const leak = describe(flow, file, flow.valueOf(file, span.expression), classification, securityEvent);
      const inner = skipOuterExpressions(span.expression);
      if (!isLeak(leak)) out += span.expression.getText();
      else if (leak.credential) return undefined;
      else if (isPropertyAccessExpression(inner) && isIdentifier(inner.expression)) out += `${inner.expression.text}.id`;
      else if (isIdentifier(inner) && isPersonName(inner.text)) out += `${inner.text}.id`;
      else return undefined;
      out += span.literal.getText();
    }
    return out;
  }
  return undefined;
}

function replacementFor(flow: Dataflow, file: AnalysedFile, call: CallFact, leaking: Set<ts.Expression>, classification: Classification, securityEvent: boolean): LineReplacement | undefined {
  const args: string[] = [];
  for (const arg of call.args) {
    if (!leaking.has(arg)) {
      args.push(arg.getText());
      continue;
    }
    const safe = safeArgument(flow, file, arg, classification, securityEvent);
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
  docs: "Flags logger calls (console, pino, winston, bunyan, consola, `debug` instances, their children, and project helpers that forward their arguments to one) given PII/PHI fields, credentials (passwords, secrets, API keys, tokens, one-time codes), whole user or patient records, or raw payloads (`req.body`, `await request.json()`, the request headers, the whole request object); the fix logs ids and action names instead (`{ patientId: patient.id }`). Credentials and regulated data are critical.",
  messages: {
    personalData: "`{{call}}` writes {{what}} to the logs, where anyone with log access (and every log vendor) can read it.",
    accountInSecurityEvent: "`{{call}}` records {{what}} in a security event log: the account is the event's subject, but its email or name is personal data that every reader of the logs sees.",
  },
  run({ project, sem, classification, report }) {
    const flow = dataflowOf(sem, classification);
    for (const file of project.files) {
      for (const call of file.facts?.calls ?? []) {
        // A logger's child bound to fields writes them on every line: judged for the request URL only.
        const bound = !sem.loggedCall(file, call) && isLoggerBinding(sem, file, call);
        const logged = bound ? { args: call.args, via: "logger" as const, all: true, helper: undefined } : sem.loggedCall(file, call);
        if (!logged || inDevOnlyCode(call.node) || inBrowserCode(file, call)) continue;
        const securityEvent = isSecurityEvent(call, logged.args);
        let urlLeak = false;
        const leaking = new Set<ts.Expression>();
        const what: string[] = [];
        let regulated = false;
        let credential = false;
        let accountOnly = true;
        for (const arg of logged.args) {
          const leak: Leak = bound ? { what: [], regulated: false, credential: false, accountOnly: false } : describe(flow, file, flow.valueOf(file, arg), classification, securityEvent, call.fn);
          // The full URL of a request whose query carries a credential (an OAuth code, a link's token).
          const url = fullRequestUrlIn(project, file, arg);
          const read = url ? urlCarriesCredential(sem, flow, url.handler) : undefined;
          if (url && read) {
            leak.what.push(`the full request URL \`${url.text}\`, query string included (the route reads a credential from it: \`${read}\`)`);
            leak.credential = true;
            leak.accountOnly = false;
            urlLeak = true;
          }
          const request = bound ? undefined : wholeRequestIn(project, file, arg);
          if (request) {
            leak.what.push(`the whole request \`${request}\`, its headers and cookies included`);
            leak.accountOnly = false;
          }
          if (!isLeak(leak)) continue;
          leaking.add(arg);
          what.push(...leak.what);
          regulated ||= leak.regulated;
          credential ||= leak.credential;
          accountOnly &&= leak.accountOnly;
        }
        if (leaking.size === 0) continue;
        // The account a sign-in or a denial is about, named in that event's log: the audit trail's subject, still personal data.
        const auditTrail = securityEvent && accountOnly;
        const unique = [...new Set(what)];
        const list = unique.length > 1 ? `${unique.slice(0, -1).join(", ")} and ${unique[unique.length - 1]}` : unique[0]!;
        // A helper that logs only some of its arguments takes the others for other work: no rewrite.
        const replacement = !urlLeak && !bound && (logged.via === "logger" || logged.all) ? replacementFor(flow, file, call, leaking, classification, securityEvent) : undefined;
        const callee = call.chain.join(".").replace(/\.\(\)/g, "()");
        const through = logged.via === "helper" ? ` (through \`${logged.helper}\`, which logs its arguments)` : "";
        const objects = [...leaking].flatMap((a) => flow.valueOf(file, a).objects.map((o) => o.name));
        const idHint = objects.length > 0 ? objects.map((o) => `\`${idName(o)}: ${o}.id\``).join(", ") : "the record's id (`userId`, `patientId`)";
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: auditTrail ? "accountInSecurityEvent" : "personalData",
          data: { call: `${callee}(…)${through}`, what: list },
          fix: auditTrail
            ? `Name the account by its id (${idHint}) in the security event, not by its email or name: the event stays traceable and the log holds no personal data.`
            : urlLeak
            ? `Log the request's path (\`nextUrl.pathname\`, \`req.path\`), not its full URL: the query string carries the credential the route reads. Rotate or expire any value already written to the logs.`
            : credential
            ? `Never log credentials: drop the password, secret, token or code from the log call (log ${idHint} and the action instead), and rotate any value already written to the logs.`
            : `Log only identifiers and action names: ${idHint} and what happened, never the personal fields themselves${regulated ? " (regulated data in logs is a reportable breach)" : ""}. If support needs to find the person, log their id and look them up with access control.`,
          ...(replacement ? { replacement } : {}),
          ...(regulated || credential ? { severity: "critical" as const } : auditTrail ? { severity: "medium" as const } : {}),
        });
      }
    }
  },
});
