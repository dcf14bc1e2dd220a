import { ts } from "ts-morph";
import { REDIRECT_SANITISER_NAME } from "../review/analysis/names.js";
import { chainOf, skipOuterExpressions, type CallFact, type FunctionFact } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { bindingOf, stringValue } from "../review/analysis/value-trace.js";
import { defineCheck } from "./define-check.js";
import { replaceNode } from "./fixes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, forEachChild, isArrowFunction, isBinaryExpression, isCallExpression, isConditionalExpression, isElementAccessExpression, isFunctionDeclaration, isFunctionExpression, isIdentifier, isMethodDeclaration, isNewExpression, isNumericLiteral, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isTemplateExpression } = ts;

/**
 * A redirect to a destination the user chose (`?next=`, a form's `redirectTo`, a body's
 * `callbackUrl`) without checking it is a same-origin path: a link to the app can bounce its users
 * to any site, typically a look-alike login page.
 */

type MessageId = "openRedirect" | "removedRedirectCheck";

/** Parameter and field names that carry a post-action destination. */
const REDIRECT_KEY =
  /^(next|nexturl|nextpath|redirect|redirectto|redirecturl|redirecturi|redirectpath|redirectafter|redirectafterlogin|returnto|returnurl|returnpath|callbackurl|callback|continue|continueurl|continueto|url|dest|destination|goto|target|targeturl|successurl|cancelurl|backurl|backto|from|baseurl)$/;
/** Expressions that read what the request carries. */
const REQUEST_TEXT =
  /^(req|request|query|body|searchParams|formData|input|payload)$|\b(req|request)\.(query|body|params|cookies|headers|nextUrl|url|json|formData|text)\b|\bsearchParams\b|\.(query|body)\b(?!\s*\()|formData|\bc\.req\b|\bctx\.(query|request)\b|\brouter\.query\b|\blocation\.(search|hash|href)\b|useSearchParams|URLSearchParams|\bcookies\(\)|\bevent\.(url|request)\b/;
/** Receivers of `.get(key)` that are stores, not request input. */
const STORE_RECEIVER = /cache|redis|kv\b|store|config|env|settings|flags|localStorage|sessionStorage|map\b/i;
const PASS_THROUGH = /^(String|decodeURIComponent|decodeURI|encodeURI|trim|toString|toLowerCase|trimStart|trimEnd|parse|valueOf|at)$/;
const SANITISER_NAME = REDIRECT_SANITISER_NAME;

function normaliseKey(key: string): string {
  return key.replace(/[_-]/g, "").toLowerCase();
}

function isRedirectKey(key: string | undefined): key is string {
  return key !== undefined && REDIRECT_KEY.test(normaliseKey(key));
}

/** Code that checks a value is a same-origin path: starts with "/" and not "//" (or compares URL origins / hosts). */
function checksSameOrigin(text: string, name?: string, prefixed = false): boolean {
  const startsSlash = /startsWith\(\s*['"`]\/['"`]|\[0\]\s*[!=]==?\s*['"`]\/['"`]|charAt\(0\)\s*[!=]==?\s*['"`]\/['"`]|\^\\\//.test(text);
  const notDouble = /['"`]\/\/['"`]|\/\\\/|\[1\]|charAt\(1\)|\(\?!\s*\[?\\?\/|\(\?!\\\//.test(text);
  const origin = /\.(origin|host|hostname)\s*(!==?|===?)|(!==?|===?)\s*[\w.]*\.(origin|host|hostname)\b|\.includes\([\w.]*\.(host|hostname|origin)\)/.test(text);
  if (name !== undefined && !new RegExp(`\\b${name.replace(/[$]/g, "\\$")}\\b`).test(text)) return false;
  return (startsSlash && (notDouble || prefixed)) || origin;
}

interface Taint {
  /** The user-controlled key (`next`, `redirectTo`). */
  key: string;
  /** The expression that carries it, as written at the redirect. */
  source: string;
}

interface TraceContext {
  sem: Semantics;
  depth: number;
  /** The redirect's file and position: a same-origin check of a name before it clears that name. */
  sourceFile: ts.SourceFile;
  before: number;
}

function actionFunctions(sem: Semantics, file: AnalysedFile): Set<FunctionFact> {
  return new Set(sem.routes(file).filter((r) => r.kind === "server-action" && r.handler).map((r) => r.handler!));
}

/** Whether an expression reads the request (query, body, form, search params, cookies), possibly through variables and parsing. */
function isRequestInput(ctx: TraceContext, file: AnalysedFile, expression: ts.Expression, depth = 0): boolean {
  if (depth > 6) return false;
  const expr = skipOuterExpressions(expression);
  if (isCallExpression(expr)) {
    const callee = skipOuterExpressions(expr.expression);
    const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : "";
    // Parsing or decoding what the request carries (`schema.safeParse(body)`, `decodeState(searchParams.get("state"))`) keeps it the request's.
    if (/^(parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|fromEntries|assign)$|^(decode|deseriali[sz]e|unseal|unpack|atob)/i.test(name)) return expr.arguments.some((a) => isRequestInput(ctx, file, a, depth + 1));
    // Only the callee chain counts: a request URL among a call's arguments does not make its result user input.
    if (REQUEST_TEXT.test(chainOf(callee).join("."))) return true;
    if (isPropertyAccessExpression(callee)) return isRequestInput(ctx, file, callee.expression, depth + 1);
    return false;
  }
  if (isNewExpression(expr)) {
    return /^(URL|URLSearchParams)$/.test(expr.expression.getText()) && (expr.arguments ?? []).some((a) => isRequestInput(ctx, file, a, depth + 1));
  }
  if (isIdentifier(expr)) {
    if (REQUEST_TEXT.test(expr.text)) return true;
    const found = bindingOf(ctx.sem.project, file, expr);
    const binding = found?.binding;
    if (binding?.kind === "var" && binding.init) return isRequestInput(ctx, found!.file, binding.init, depth + 1);
    // A handler's parameter, whether the route is registered here or imports the handler from here.
    if (binding?.kind === "param") return actionFunctions(ctx.sem, file).has(binding.fn) || ctx.sem.routesHandledBy(binding.fn).length > 0;
    return false;
  }
  if (isPropertyAccessExpression(expr) || isElementAccessExpression(expr)) {
    if (REQUEST_TEXT.test(chainOf(expr).join("."))) return true;
    return isRequestInput(ctx, file, expr.expression, depth + 1);
  }
  return false;
}

/** The request's own absolute URL (`request.url`, `c.req.url`, `request.nextUrl`): its origin is the server's, not the user's choice. */
const REQUEST_OWN_URL = /^(?:(?:c|ctx|context|event|e)\.)?(?:req|request)\.(?:url|nextUrl|nextUrl\.href)$/;

/** `new URL(request.url)`: one argument, the request's own URL, so the object keeps the app's origin (query params read from it are still the user's). */
function isRequestOwnUrlObject(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (!isNewExpression(e) || e.expression.getText() !== "URL" || e.arguments?.length !== 1) return false;
  const arg = skipOuterExpressions(e.arguments[0]!);
  return (isPropertyAccessExpression(arg) || isElementAccessExpression(arg)) && REQUEST_OWN_URL.test(chainOf(arg).join("."));
}

/** What is assigned to a URL variable's destination parts (`url.href = x`, `url.host = x`) in its scope before the redirect. */
function destinationAssignments(decl: ts.VariableDeclaration, name: string, before: number): ts.Expression[] {
  const scope = enclosingFunctionNode(decl) ?? decl.getSourceFile();
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (node.pos >= before) return;
    if (isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      if (isPropertyAccessExpression(left) && isIdentifier(left.expression) && left.expression.text === name && /^(href|host|hostname|origin|protocol)$/.test(left.name.text)) out.push(node.right);
    }
    forEachChild(node, visit);
  };
  forEachChild(scope, visit);
  return out;
}

/** Builder steps that attach an input schema to a handler (`.input(s)`, `.inputSchema(s)`, `.schema(s)`). */
const SCHEMA_STEP = /^(input|inputSchema|schema)$/;
/** Calls that validate a value with a schema (`schema.parse(x)`, `schema.safeParse(x)`). */
const SCHEMA_PARSE = /^(parse|safeParse|parseAsync|safeParseAsync)$/;
/** Steps of a schema that add a check to a field (zod `.refine`, `.superRefine`, `.regex`, `.startsWith`; yup `.test`, `.matches`). */
const SCHEMA_CHECK_STEP = /^(refine|superRefine|regex|startsWith|test|matches|check)$/;

interface SchemaRef {
  file: AnalysedFile;
  expr: ts.Expression;
}

/** The schemas that validated what an expression carries: `schema.parse(x)`, `schema.safeParse(x).data`, or the handler's builder `.input(s)`. */
function schemasOf(ctx: TraceContext, file: AnalysedFile, expression: ts.Expression, depth = 0): SchemaRef[] {
  if (depth > 6) return [];
  const expr = skipOuterExpressions(expression);
  if (isCallExpression(expr)) {
    const callee = skipOuterExpressions(expr.expression);
    return isPropertyAccessExpression(callee) && SCHEMA_PARSE.test(callee.name.text) ? [{ file, expr: callee.expression }] : [];
  }
  if (isPropertyAccessExpression(expr) && expr.name.text === "data") return schemasOf(ctx, file, expr.expression, depth + 1);
  if (!isIdentifier(expr)) return [];
  const found = bindingOf(ctx.sem.project, file, expr);
  const binding = found?.binding;
  if (binding?.kind === "var" && binding.init && binding.path.every((p) => p === "data")) return schemasOf(ctx, found!.file, binding.init, depth + 1);
  if (binding?.kind === "param") return builderSchemas(ctx, found!.file, binding.fn);
  return [];
}

/** The schemas a handler's builder chain gives it (`client.inputSchema(s).action(fn)`, `procedure.input(s).mutation(fn)`). */
function builderSchemas(ctx: TraceContext, file: AnalysedFile, fn: FunctionFact): SchemaRef[] {
  const call = fn.argumentOf?.node;
  if (!call || !isCallExpression(call)) return [];
  const out: SchemaRef[] = [];
  let current: ts.Expression = skipOuterExpressions(call.expression);
  let currentFile = file;
  for (let i = 0; i < 24; i++) {
    if (isPropertyAccessExpression(current)) {
      current = skipOuterExpressions(current.expression);
      continue;
    }
    if (isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (isPropertyAccessExpression(callee) && SCHEMA_STEP.test(callee.name.text) && current.arguments[0]) out.push({ file: currentFile, expr: current.arguments[0] });
      current = callee;
      continue;
    }
    if (isIdentifier(current)) {
      const found = bindingOf(ctx.sem.project, currentFile, current);
      if (found?.binding.kind !== "var" || !found.binding.init || found.binding.path.length > 0) break;
      currentFile = found.file;
      current = skipOuterExpressions(found.binding.init);
      continue;
    }
    break;
  }
  return out;
}

/** A schema expression with names replaced by what they were given: `returnPathSchema.optional()` reads `returnPathSchema`'s definition. */
function resolveSchema(ctx: TraceContext, ref: SchemaRef, depth = 0): SchemaRef {
  const expr = skipOuterExpressions(ref.expr);
  if (depth > 4 || !isIdentifier(expr)) return { file: ref.file, expr };
  const found = bindingOf(ctx.sem.project, ref.file, expr);
  if (found?.binding.kind !== "var" || !found.binding.init || found.binding.path.length > 0) return { file: ref.file, expr };
  return resolveSchema(ctx, { file: found.file, expr: found.binding.init }, depth + 1);
}

/** The steps of a schema chain, outermost first, each with the file it was written in (names along the receiver chain are followed). */
function schemaSteps(ctx: TraceContext, ref: SchemaRef): { file: AnalysedFile; call: ts.CallExpression; name: string }[] {
  const out: { file: AnalysedFile; call: ts.CallExpression; name: string }[] = [];
  let current = resolveSchema(ctx, ref);
  for (let i = 0; i < 32; i++) {
    const expr = current.expr;
    if (!isCallExpression(expr)) break;
    const callee = skipOuterExpressions(expr.expression);
    if (!isPropertyAccessExpression(callee)) break;
    out.push({ file: current.file, call: expr, name: callee.name.text });
    current = resolveSchema(ctx, { file: current.file, expr: callee.expression });
  }
  return out;
}

/** The code a schema check runs: its arguments, and the bodies of the PR functions they call or name. */
function checkText(ctx: TraceContext, file: AnalysedFile, call: ts.CallExpression): { text: string; namedSanitiser: boolean } {
  let text = call.arguments.map((a) => a.getText()).join("\n");
  let namedSanitiser = false;
  const visit = (node: ts.Node): void => {
    if (isCallExpression(node)) {
      const fact = ctx.sem.project.callOf(node);
      const r = fact ? ctx.sem.callee(file, fact) : undefined;
      if (r?.kind === "function" && r.fn) text += `\n${r.fn.node.getText()}`;
      else if (r?.kind === "module" && fact && SANITISER_NAME.test(fact.name)) namedSanitiser = true;
    } else if (isIdentifier(node) && node.parent && isCallExpression(node.parent) && node.parent.arguments.includes(node) && node.parent === call) {
      const found = bindingOf(ctx.sem.project, file, node);
      if (found?.binding.kind === "function") text += `\n${found.binding.fn.node.getText()}`;
      else if (found?.binding.kind === "import" && SANITISER_NAME.test(node.text)) namedSanitiser = true;
    }
    forEachChild(node, visit);
  };
  for (const arg of call.arguments) visit(arg);
  return { text, namedSanitiser };
}

/** Whether a field's own schema (`z.string().refine(isSafePath)`) checks a same-origin path. */
function fieldSchemaChecks(ctx: TraceContext, ref: SchemaRef): boolean {
  const steps = schemaSteps(ctx, ref);
  let text = steps.map((s) => (s.name === "startsWith" ? s.call.getText() : "")).join("\n");
  for (const step of steps) {
    if (!SCHEMA_CHECK_STEP.test(step.name)) continue;
    const check = checkText(ctx, step.file, step.call);
    if (check.namedSanitiser) return true;
    text += `\n${check.text}`;
  }
  return checksSameOrigin(text);
}

/** Whether an object schema validates its `key` field as a same-origin path, in the field's schema or an object-level refinement naming it. */
function schemaChecksKey(ctx: TraceContext, ref: SchemaRef, key: string, depth = 0): boolean {
  if (depth > 4) return false;
  for (const step of schemaSteps(ctx, ref)) {
    if (SCHEMA_CHECK_STEP.test(step.name) && new RegExp(`\\b${key.replace(/[$]/g, "\\$")}\\b`).test(step.call.arguments.map((a) => a.getText()).join("\n"))) {
      const check = checkText(ctx, step.file, step.call);
      if (check.namedSanitiser || checksSameOrigin(check.text)) return true;
    }
    if (!/^(object|strictObject|looseObject|extend|merge|shape)$/.test(step.name)) continue;
    const arg = step.call.arguments[0];
    if (!arg) continue;
    const shape = resolveSchema(ctx, { file: step.file, expr: arg });
    if (!isObjectLiteralExpression(shape.expr)) {
      if (step.name === "merge" && schemaChecksKey(ctx, shape, key, depth + 1)) return true;
      continue;
    }
    for (const property of shape.expr.properties) {
      if (property.name?.getText().replace(/['"]/g, "") !== key) continue;
      const value = isPropertyAssignment(property) ? property.initializer : isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (value && fieldSchemaChecks(ctx, { file: shape.file, expr: value })) return true;
    }
  }
  return false;
}

/** Whether a request value's `key` was validated as a same-origin path by the schema it was parsed with. */
function validatedBySchema(ctx: TraceContext, file: AnalysedFile, carrier: ts.Expression, key: string): boolean {
  return schemasOf(ctx, file, carrier).some((ref) => schemaChecksKey(ctx, ref, key));
}

/** Whether a call is a same-origin sanitiser: a PR helper whose code checks it, or a helper outside the PR named like one. */
function isSanitiser(ctx: TraceContext, file: AnalysedFile, call: ts.CallExpression): boolean | undefined {
  const fact = ctx.sem.project.callOf(call);
  if (!fact) return undefined;
  const r = ctx.sem.callee(file, fact);
  if (r.kind === "function" && r.fn) return checksSameOrigin(r.fn.node.getText());
  const name = fact.name;
  if (r.kind === "module" && SANITISER_NAME.test(name)) return true;
  return undefined;
}

/** The user-controlled redirect key an expression carries, or undefined when it is constant, checked or unknown. */
/** `prefixed`: the value is appended to the app's own origin, so a leading "/" is check enough. */
function taintOf(ctx: TraceContext, file: AnalysedFile, expression: ts.Expression, depth = 0, prefixed = false): Taint | undefined {
  if (depth > 10) return undefined;
  const expr = skipOuterExpressions(expression);
  const source = expr.getText();

  if (isIdentifier(expr)) {
    const found = bindingOf(ctx.sem.project, file, expr);
    const binding = found?.binding;
    if (!binding) return undefined;
    // An inline same-origin check of this name before the redirect clears it.
    const fn = ctx.sem.project.functionOf(enclosingFunctionNode(expr) ?? expr);
    if (fn && expr.getSourceFile() === ctx.sourceFile && fn.node.getStart() < ctx.before) {
      const sf = expr.getSourceFile();
      const text = sf.text.slice(fn.node.getStart(sf), ctx.before);
      if (checksSameOrigin(text, expr.text, prefixed)) return undefined;
    }
    if (binding.kind === "var" && binding.init) {
      const key = binding.path[binding.path.length - 1];
      if (binding.path.length > 0) {
        if (isRedirectKey(key) && isRequestInput(ctx, found!.file, binding.init) && !validatedBySchema(ctx, found!.file, binding.init, key)) return { key, source };
        return undefined;
      }
      const inner = taintOf(ctx, found!.file, binding.init, depth + 1, prefixed);
      if (inner) return { key: inner.key, source };
      // A URL object whose destination is set afterwards (`url.href = next`) carries what was assigned.
      const created = skipOuterExpressions(binding.init);
      if (isNewExpression(created) && created.expression.getText() === "URL") {
        const before = binding.decl.getSourceFile() === ctx.sourceFile ? ctx.before : Number.POSITIVE_INFINITY;
        for (const assigned of destinationAssignments(binding.decl, binding.name, before)) {
          const taint = taintOf(ctx, found!.file, assigned, depth + 1);
          if (taint) return { key: taint.key, source };
        }
      }
      return undefined;
    }
    if (binding.kind === "param") {
      const key = binding.path[binding.path.length - 1] ?? binding.name;
      if (isRedirectKey(key) && actionFunctions(ctx.sem, found!.file).has(binding.fn) && !builderSchemas(ctx, found!.file, binding.fn).some((ref) => schemaChecksKey(ctx, ref, key))) return { key, source };
      return undefined;
    }
    return undefined;
  }

  if (isPropertyAccessExpression(expr) || isElementAccessExpression(expr)) {
    const key = isPropertyAccessExpression(expr) ? expr.name.text : stringValue(expr.argumentExpression);
    if (isRedirectKey(key) && isRequestInput(ctx, file, expr.expression) && !validatedBySchema(ctx, file, expr.expression, key)) return { key, source };
    if (key === "value" || key === "href" || key === "toString") return taintOf(ctx, file, expr.expression, depth + 1);
    return undefined;
  }

  if (isCallExpression(expr)) {
    const callee = skipOuterExpressions(expr.expression);
    const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : "";
    const key = stringValue(expr.arguments[0]);
    if (isPropertyAccessExpression(callee) && /^(get|getAll|query|param|header|cookie)$/.test(name) && isRedirectKey(key)) {
      if (STORE_RECEIVER.test(callee.expression.getText())) return undefined;
      return { key, source };
    }
    const sanitiser = isSanitiser(ctx, file, expr);
    if (sanitiser === true) return undefined;
    if (PASS_THROUGH.test(name)) {
      const target = isIdentifier(callee) || name === "parse" ? expr.arguments[0] : isPropertyAccessExpression(callee) ? callee.expression : undefined;
      return target ? taintOf(ctx, file, target, depth + 1) : undefined;
    }
    // A PR helper that passes its argument through without the check.
    if (sanitiser === false && expr.arguments[0]) return taintOf(ctx, file, expr.arguments[0], depth + 1);
    return undefined;
  }

  // `new URL(request.url)` is the page the user is on: its origin is the app's own.
  if (isRequestOwnUrlObject(expr)) return undefined;
  if (isNewExpression(expr) && expr.expression.getText() === "URL" && expr.arguments?.[0]) return taintOf(ctx, file, expr.arguments[0], depth + 1);

  if (isConditionalExpression(expr)) {
    if (checksSameOrigin(expr.condition.getText())) return undefined;
    return taintOf(ctx, file, expr.whenTrue, depth + 1) ?? taintOf(ctx, file, expr.whenFalse, depth + 1);
  }

  if (isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) return taintOf(ctx, file, expr.left, depth + 1) ?? taintOf(ctx, file, expr.right, depth + 1);
    if (op === SyntaxKind.AmpersandAmpersandToken) return taintOf(ctx, file, expr.right, depth + 1);
    if (op === SyntaxKind.PlusToken) {
      const prefix = stringValue(expr.left);
      if (prefix !== undefined) return /[?#=&]/.test(prefix) || (/[^/]\/$/.test(prefix) && prefix !== "/") ? undefined : taintOf(ctx, file, expr.right, depth + 1, prefixed || (prefix !== "" && prefix !== "/"));
      return taintOf(ctx, file, expr.left, depth + 1, prefixed) ?? taintOf(ctx, file, expr.right, depth + 1, true);
    }
    return undefined;
  }

  if (isTemplateExpression(expr)) {
    // `${origin}${next}` and `https://app.com${next}` let `next` pick the host ("@evil.com", ".evil.com");
    // after a path (`/app/${next}`) or inside a query (`?next=${next}`) it cannot.
    let prefix = expr.head.text;
    for (const span of expr.templateSpans) {
      const placedSafely = /[?#=&]/.test(prefix) || (/[^/]\/$/.test(prefix) && prefix !== "/");
      if (!placedSafely) {
        const originFirst = prefix === "" && span !== expr.templateSpans[0];
        const inner = taintOf(ctx, file, span.expression, depth + 1, prefixed || originFirst);
        if (inner) return inner;
      }
      prefix += span.literal.text;
    }
    return undefined;
  }
  return undefined;
}

function enclosingFunctionNode(node: ts.Node): ts.Node | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (isFunctionDeclaration(current) || isFunctionExpression(current) || isArrowFunction(current) || isMethodDeclaration(current)) return current;
  }
  return undefined;
}

interface Sink {
  /** The node reported: the call or the assignment. */
  node: ts.Node;
  line: number;
  column: number;
  /** The destination expression. */
  target: ts.Expression;
  label: string;
  /** A return URL given to a provider as an option (Stripe's `success_url`): a full URL, not a path. */
  option?: boolean;
}

const RESPONSE_RECEIVER = /^(res|response|reply|c|ctx|context|h|event|resp)$/;

function redirectTarget(call: CallFact): ts.Expression | undefined {
  return call.args.find((a) => !isNumericLiteral(skipOuterExpressions(a)));
}

/** `sinkOf` is asked for every call: a sink's fields (and its label) are built only for a call that is one. */
function sinkAt(call: CallFact, target: ts.Expression, label = call.chain.filter((p) => p !== "()").join(".")): Sink {
  return { node: call.node, line: call.line, column: call.column, target, label };
}

function sinkOf(sem: Semantics, file: AnalysedFile, call: CallFact): Sink | undefined {
  if (call.name === "redirect" || call.name === "permanentRedirect" || call.name === "temporaryRedirect") {
    const r = sem.callee(file, call);
    const chain = call.chain;
    const receiver = chain[chain.length - 2];
    const isModule = r.kind === "module";
    const isResponse = receiver !== undefined && (RESPONSE_RECEIVER.test(receiver) || /^(NextResponse|Response)$/.test(receiver));
    if (!isModule && !isResponse && !(r.kind === "param" && receiver !== undefined)) return undefined;
    const target = redirectTarget(call);
    return target ? sinkAt(call, target) : undefined;
  }
  if ((call.name === "assign" || call.name === "replace") && /(^|\.)location$/.test(call.chain.slice(0, -1).join("."))) {
    const target = call.args[0];
    return target ? sinkAt(call, target) : undefined;
  }
  if ((call.name === "push" || call.name === "replace") && call.chain.length === 2) {
    const root = call.callee;
    if (isPropertyAccessExpression(root) && isIdentifier(root.expression)) {
      const found = bindingOf(sem.project, file, root.expression);
      if (found?.binding.kind === "var" && found.binding.init && /^useRouter\(/.test(skipOuterExpressions(found.binding.init).getText())) {
        const target = call.args[0];
        return target ? sinkAt(call, target) : undefined;
      }
    }
  }
  // `new Response(null, { status: 302, headers: { Location: next } })`.
  if (call.isNew && /^(Response|NextResponse)$/.test(call.name)) {
    const init = call.args[1] ? skipOuterExpressions(call.args[1]) : undefined;
    const headers = init && isObjectLiteralExpression(init) ? propertyOf(init, "headers") : undefined;
    const location = headers && isObjectLiteralExpression(headers) ? propertyOf(headers, "location") : undefined;
    return location ? sinkAt(call, location, `new ${call.name}(…, { headers: { Location } })`) : undefined;
  }
  if (/^(setHeader|set|header|append)$/.test(call.name) && /^location$/i.test(stringValue(call.args[0]) ?? "") && call.args[1]) {
    return sinkAt(call, call.args[1]);
  }
  return undefined;
}

/** Where a payment or account-link session sends the user back: Stripe's `success_url`, `cancel_url`, `return_url`, `refresh_url`. */
const RETURN_URL_OPTION = /^(success_?url|cancel_?url|return_?url|refresh_?url)$/i;

/** A call given return URLs as options (`stripe.checkout.sessions.create({ success_url })`): each is a redirect sink, placed on the call. */
function optionSinks(call: CallFact): Sink[] {
  if (!call.args.some((a) => isObjectLiteralExpression(skipOuterExpressions(a)))) return [];
  const out: Sink[] = [];
  for (const arg of call.args) {
    const options = skipOuterExpressions(arg);
    if (!isObjectLiteralExpression(options)) continue;
    for (const property of options.properties) {
      const key = property.name?.getText().replace(/['"]/g, "");
      if (!key || !RETURN_URL_OPTION.test(key)) continue;
      const value = isPropertyAssignment(property) ? property.initializer : isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (value) out.push({ ...sinkAt(call, value, `${call.chain.filter((p) => p !== "()").join(".")}({ ${key} })`), option: true });
    }
  }
  return out;
}

function propertyOf(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const property of object.properties) {
    const name = property.name?.getText().replace(/['"]/g, "").toLowerCase();
    if (name !== key) continue;
    if (isPropertyAssignment(property)) return skipOuterExpressions(property.initializer);
    if (isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/** `location.href = x`, `window.location = x`. */
function assignmentSinks(file: AnalysedFile): Sink[] {
  const sf = file.facts?.sourceFile;
  if (!sf || !/location/.test(file.text)) return [];
  const out: Sink[] = [];
  const stack: ts.Node[] = [sf];
  while (stack.length > 0) {
    const node = stack.pop()!;
    forEachChild(node, (child) => {
      stack.push(child);
    });
    if (!isBinaryExpression(node) || node.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
    const left = node.left.getText().replace(/\s+/g, "");
    if (!/(^|\.)location(\.href)?$/.test(left)) continue;
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ node, line: p.line + 1, column: p.character + 1, target: node.right, label: `${left} =` });
  }
  return out;
}

/** `safeNext(next)`, keeping a literal fallback (`cond ? next : "/x"`, `next ?? "/x"`) as its second argument. */
function wrapped(target: ts.Expression, taint: Taint): { node: ts.Expression; text: string } {
  const expr = skipOuterExpressions(target);
  if (isNewExpression(expr) && expr.expression.getText() === "URL" && expr.arguments?.[0]) {
    const inner = wrapped(expr.arguments[0], taint);
    return { node: inner.node, text: inner.text };
  }
  if (isTemplateExpression(expr) || (isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.PlusToken)) {
    const parts = isTemplateExpression(expr) ? expr.templateSpans.map((s) => s.expression) : [expr.left, expr.right];
    const part = parts.find((p) => p.getText() === taint.source);
    if (part) return { node: part, text: `safeNext(${part.getText()})` };
  }
  if (isConditionalExpression(expr)) {
    const fallback = stringValue(expr.whenFalse) !== undefined ? expr.whenFalse : stringValue(expr.whenTrue) !== undefined ? expr.whenTrue : undefined;
    if (fallback) return { node: target, text: `safeNext(${taint.source}, ${fallback.getText()})` };
  }
  if (isBinaryExpression(expr) && (expr.operatorToken.kind === SyntaxKind.BarBarToken || expr.operatorToken.kind === SyntaxKind.QuestionQuestionToken) && stringValue(expr.right) !== undefined) {
    return { node: target, text: `safeNext(${expr.left.getText()}, ${expr.right.getText()})` };
  }
  return { node: target, text: `safeNext(${target.getText()})` };
}

const SAFE_NEXT = [
  "export function safeNext(value: unknown, fallback = \"/\"): string {",
  "  if (typeof value !== \"string\" || !value.startsWith(\"/\") || value.startsWith(\"//\") || value.startsWith(\"/\\\\\")) return fallback;",
  "  return value;",
  "}",
].join("\n");

export default defineCheck<MessageId>({
  id: "redirect/open-redirect",
  title: "Open redirect to a user-supplied destination",
  section: "seed example safeNext",
  severity: "high",
  docs: "Flags a redirect (`redirect()`, `NextResponse.redirect`, `res.redirect`, `c.redirect`, `location.href =`) to a user-supplied `next` / `redirectTo` / `returnTo` / `callbackUrl` without the same-origin path check; the fix wraps it: `redirect(safeNext(next))`, with `safeNext` accepting only paths that start with `/` and not `//`.",
  messages: {
    openRedirect:
      "`{{sink}}` sends the user to `{{source}}`, taken from the request's `{{key}}`, without checking it is a same-origin path: a crafted link can bounce users to any site (e.g. a look-alike login page).",
    removedRedirectCheck: "`{{sink}}` in `{{route}}` no longer checks where it sends the user: {{change}}. If the destination can come from the request (a `next` parameter, an OAuth `state`), a crafted link can bounce users to any site.",
  },
  regressed({ routes, report }) {
    for (const compared of routes) {
      const lost = compared.lost.redirect;
      if (!lost) continue;
      report({
        file: compared.route.file,
        line: lost.line,
        column: lost.column,
        messageId: "removedRedirectCheck",
        data: { sink: lost.sink, route: compared.label, change: lost.change },
        fix: "Keep the destination check the base had (a same-origin path: starts with `/`, not `//` or `/\\`), or check the destination against an allowlist before redirecting.",
      });
    }
  },
  run({ project, sem, report }) {
    for (const file of project.files) {
      const facts = file.facts;
      if (!facts) continue;
      const sinks: Sink[] = [];
      for (const call of facts.calls) {
        const sink = sinkOf(sem, file, call);
        if (sink) sinks.push(sink);
        else sinks.push(...optionSinks(call));
      }
      sinks.push(...assignmentSinks(file));
      // One finding per call: a success and a cancel URL built from the same input are one redirect to fix.
      const reported = new Set<ts.Node>();
      for (const sink of sinks) {
        if (reported.has(sink.node)) continue;
        const sf = facts.sourceFile;
        const ctx: TraceContext = { sem, depth: 0, sourceFile: sf, before: sink.node.getStart(sf) };
        const taint = taintOf(ctx, file, sink.target);
        if (!taint) continue;
        reported.add(sink.node);
        const base = {
          file,
          line: sink.line,
          column: sink.column,
          messageId: "openRedirect" as const,
          data: { sink: sink.label, source: taint.source.length > 60 ? `${taint.source.slice(0, 57)}...` : taint.source, key: taint.key },
        };
        if (sink.option) {
          report({
            ...base,
            fix: "Build the return URL from the app's own configured origin (e.g. `${process.env.APP_URL}/settings/billing?checkout=success`), never from request input; if the page to return to must vary, take only a same-origin path from the request (checked with `safeNext`) and put it after that origin.",
          });
          continue;
        }
        const wrap = wrapped(sink.target, taint);
        const replacement = replaceNode(file, wrap.node, wrap.text);
        report({
          ...base,
          fix: `Redirect only to a same-origin path: wrap the destination in \`safeNext(…)\` (e.g. \`${wrap.text}\`), defined once (e.g. \`lib/safe-next.ts\`) as:\n\n${SAFE_NEXT}`,
          ...(replacement ? { replacement } : {}),
        });
      }
    }
  },
});
